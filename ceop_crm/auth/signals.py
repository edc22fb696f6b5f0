"""Sign-in starts a fresh session; deactivation and lost portal access end them."""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_otp import DEVICE_ID_SESSION_KEY

from ceop_crm.auth.middleware import SESSION_LAST_SEEN, SESSION_SIGNED_IN_AT
from ceop_crm.auth.selectors import (
    SESSION_ENROLLED,
    second_factor_enrolled,
    second_factor_obliged,
)
from ceop_crm.auth.services import user_sessions_end


@receiver(user_logged_in, dispatch_uid="ceop_auth_session_start")
def session_start(sender, request, user, **kwargs) -> None:
    """Every sign-in (password, reset, invitation) starts unverified, with a new key.

    django.contrib.auth.login() cycles the key; a sign-in of the same user in a
    session keeps its data, so an earlier verification is dropped here.
    """
    session = request.session
    session.pop(DEVICE_ID_SESSION_KEY, None)
    now = int(time.time())
    session[SESSION_SIGNED_IN_AT] = now
    session[SESSION_LAST_SEEN] = now
    if not second_factor_obliged(user) and second_factor_enrolled(user=user):
        session[SESSION_ENROLLED] = True
    else:
        session.pop(SESSION_ENROLLED, None)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="ceop_auth_inactive")
def deactivated_user_sessions_end(sender, instance, **kwargs) -> None:
    if not instance.is_active:
        user_sessions_end(user=instance)


@receiver(
    post_delete, sender="partners.PortalMembership", dispatch_uid="ceop_auth_member"
)
def membership_removed_sessions_end(sender, instance, **kwargs) -> None:
    # The user may be going too (a cascade): only their id is needed.
    user_sessions_end(user=get_user_model()(pk=instance.user_id))
