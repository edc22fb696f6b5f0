"""Writes of the partner portal: invitations, accepting them, self-assessments.

Every function is keyword-only, runs in one transaction and raises
ApplicationError (with field names where it can) when a rule is broken.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ceop_crm.exceptions import ApplicationError
from ceop_crm.mail import email_queue
from ceop_crm.roles import is_staff_member
from partners.models import Contact, Organisation, PortalMembership
from partners.portal.tokens import INVITATION_VALID_FOR, invitation_tokens


def invitation_url(*, user: AbstractBaseUser, token: str | None = None) -> str:
    """The absolute single-use link that lets an invited user set a password."""
    path = reverse(
        "portal:invitation_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": token or invitation_tokens.make_token(user),
        },
    )
    return settings.SITE_URL.rstrip("/") + path


def _split_name(name: str) -> tuple[str, str]:
    first, _, last = name.strip().partition(" ")
    return first[:150], last[:150]


@transaction.atomic
def portal_invite(*, contact: Contact, actor: AbstractBaseUser) -> PortalMembership:
    """Give a contact portal access and email a link valid for seven days.

    Inviting someone again (before they accept) spends the earlier link.
    """
    User = get_user_model()
    organisation = contact.organisation
    email = (contact.email or "").strip().lower()
    if not email:
        raise ApplicationError(
            {"contact": ["Add an email address to this contact before inviting them."]}
        )
    if organisation.status == Organisation.Status.ENDED:
        raise ApplicationError(
            "The relationship with this organisation has ended; it cannot use the portal."
        )
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    if user is None:
        user = User.objects.filter(username__iexact=email).first()
    if user is not None:
        membership = PortalMembership.objects.filter(user=user).first()
        if user.is_staff or is_staff_member(user):
            raise ApplicationError(
                {
                    "contact": [
                        f"{email} belongs to a CEOP staff account; staff cannot use the portal as a partner."
                    ]
                }
            )
        if membership is not None and membership.organisation_id != organisation.pk:
            raise ApplicationError(
                {
                    "contact": [
                        f"{email} already has portal access for another organisation."
                    ]
                }
            )
        if membership is not None and user.has_usable_password():
            raise ApplicationError(
                {
                    "contact": [
                        f"{email} already uses the portal; they can reset their password from the sign-in page."
                    ]
                }
            )
    else:
        first_name, last_name = _split_name(contact.name)
        user = User(
            username=email[:150],
            email=email,
            first_name=first_name,
            last_name=last_name,
        )
        membership = None
    user.set_unusable_password()
    user.is_active = True
    user.full_clean(exclude=["password"])
    user.save()
    if membership is None:
        membership = PortalMembership(user=user, organisation=organisation)
    membership.contact = contact
    membership.invited_by = actor
    membership._history_user = actor
    membership._change_reason = "Invited to the portal"
    membership.full_clean()
    membership.save()
    token = invitation_tokens.make_token(user)
    from planning.services.preferences import preferences_url

    email_queue(
        to=[email],
        subject="Your invitation to the CEOP partner portal",
        template="portal_invitation",
        context={
            "name": contact.name,
            "organisation": organisation.name,
            "invited_by": actor.get_full_name() or actor.get_username(),
            "url": invitation_url(user=user, token=token),
            "valid_days": INVITATION_VALID_FOR.days,
            "preferences_url": preferences_url(user=user),
        },
        secrets=[token],
    )
    return membership


@transaction.atomic
def portal_accept_invitation(
    *, user: AbstractBaseUser, password: str
) -> AbstractBaseUser:
    """Set the invited user's password; this spends the invitation link."""
    membership = PortalMembership.objects.select_for_update().filter(user=user).first()
    if membership is None or is_staff_member(user) or user.is_staff:
        raise ApplicationError("This invitation is not for a partner account.")
    if user.has_usable_password():
        raise ApplicationError("This invitation has already been used.")
    if not user.is_active:
        # A deactivated account stays deactivated: an old link never revives it.
        raise ApplicationError("This invitation is no longer valid.")
    user.set_password(password)
    user.save(update_fields=["password"])
    membership._history_user = user
    membership._change_reason = "Invitation accepted"
    membership.save(update_fields=["updated_at"])
    return user


@transaction.atomic
def portal_access_revoke(
    *, membership: PortalMembership, actor: AbstractBaseUser
) -> AbstractBaseUser:
    """End one person's portal access at once: the membership goes (its history
    stays), the account is deactivated with no usable password, so any invitation
    or reset link is spent, and its API tokens and calendar feed are revoked."""
    from ceop_crm.api.services import api_token_revoke
    from planning.services.reminders import calendar_feed_token_revoke

    user = membership.user
    membership._history_user = actor
    membership._change_reason = "Portal access revoked"
    membership.delete()
    user.set_unusable_password()
    user.is_active = False
    user.save(update_fields=["password", "is_active"])
    for token in user.api_tokens.filter(revoked_at__isnull=True):
        api_token_revoke(token=token, actor=actor)
    calendar_feed_token_revoke(user=user)
    return user
