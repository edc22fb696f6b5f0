"""Sign-in lockout (django-axes): per user and address, and per address alone.

AXES_LOCKOUT_PARAMETERS lists two keys: (username, address), locked after
AXES_FAILURE_LIMIT failures, and the address alone, locked after
AXES_ADDRESS_FAILURE_LIMIT failures across any usernames (password spraying).
Axes has one limit for every key, so this handler compares each key with its
own limit. The client address comes from ``client_ip`` below.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_login_failed
from django.db.models import Sum
from django.http import HttpRequest


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AddressAwareHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None) -> bool:
        if not settings.AXES_LOCK_OUT_AT_FAILURE:
            return False
        per_user, per_address = self.get_user_attempts(request, credentials)
        return (
            _failures(per_user) >= settings.AXES_FAILURE_LIMIT
            or _failures(per_address) >= settings.AXES_ADDRESS_FAILURE_LIMIT
        )

    def reset_user_attempts(self, request, credentials=None) -> int:
        # A success clears that user's failures only: one valid account must
        # not wipe the address's count of a spray.
        per_user = self.filter_user_attempts(request, credentials)[0]
        count, _ = per_user.delete()
        return count


def password_check_allowed(*, request: HttpRequest, user: AbstractBaseUser) -> bool:
    """May this user's password be checked again from this address?"""
    return AxesProxyHandler.is_allowed(
        request, credentials={"username": user.get_username()}
    )


def password_check_failed(*, request: HttpRequest, user: AbstractBaseUser) -> None:
    """Count a wrong password typed outside the sign-in form (a password change)."""
    user_login_failed.send(
        sender=__name__,
        credentials={"username": user.get_username()},
        request=request,
    )
