"""Reads of sign-in state: who needs a second factor, which devices they have."""

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ceop_crm.roles import is_data_protection_officer, is_staff_member

# Set at sign-in when a user who is not obliged to has enrolled a second factor.
SESSION_ENROLLED = "ceop_second_factor_enrolled"


def second_factor_obliged(user: AbstractBaseUser) -> bool:
    """Staff, administrators and the data protection officer must use a second
    factor; partner users may."""
    return user.is_authenticated and (
        user.is_superuser
        or user.is_staff
        or is_staff_member(user)
        or is_data_protection_officer(user)
    )


def second_factor_required(request: HttpRequest) -> bool:
    """Does this signed-in session have to pass the second factor?"""
    user = request.user
    if not user.is_authenticated:
        return False
    return second_factor_obliged(user) or bool(request.session.get(SESSION_ENROLLED))


def second_factor_verified(request: HttpRequest) -> bool:
    user = request.user
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def second_factor_missing(request: HttpRequest) -> bool:
    """Signed in with a password, but the second factor is still owed."""
    return second_factor_required(request) and not second_factor_verified(request)


def totp_device_confirmed(*, user: AbstractBaseUser) -> TOTPDevice | None:
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
        if user.pk
        else None
    )


def second_factor_enrolled(*, user: AbstractBaseUser) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(*, user: AbstractBaseUser) -> int:
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device else 0
