"""Writes of sign-in state: second-factor devices, recovery codes, ending sessions."""

import secrets
from base64 import b32encode

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ceop_crm.auth.models import UserSession
from ceop_crm.exceptions import ApplicationError

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
WRONG_CODE = (
    "That code is not right. Check the time on your phone and try the newest code."
)


def user_sessions_end(
    *, user: AbstractBaseUser, keep_session_key: str | None = None
) -> int:
    """End every session of a user (but ``keep_session_key``); returns how many."""
    sessions = UserSession.objects.filter(user_id=user.pk)
    if keep_session_key:
        sessions = sessions.exclude(session_key=keep_session_key)
    deleted, _ = sessions.delete()
    return deleted


def organisation_partner_sessions_end(*, organisation) -> int:
    """End the sessions of every partner user of an organisation (relationship over)."""
    user_ids = get_user_model().objects.filter(
        portal_membership__organisation=organisation
    )
    deleted, _ = UserSession.objects.filter(user_id__in=user_ids.values("pk")).delete()
    return deleted


def session_expired_delete() -> int:
    """Remove sessions past their expiry (the clearsessions command does the same)."""
    deleted, _ = UserSession.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@transaction.atomic
def totp_device_start(*, user: AbstractBaseUser) -> TOTPDevice:
    """A new, unconfirmed authenticator for the user to scan (replaces an earlier one)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    device.full_clean()
    device.save()
    return device


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str) -> list[str]:
    """Confirm an authenticator with its first code; returns new recovery codes.

    Earlier authenticators of the user are removed: one app per user.
    """
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if device.confirmed:
        raise ApplicationError("This authenticator is already set up.")
    if not device.verify_token(_digits(token)):
        raise ApplicationError({"token": [WRONG_CODE]})
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_generate(user=device.user)


@transaction.atomic
def recovery_codes_generate(*, user: AbstractBaseUser) -> list[str]:
    """Ten new single-use recovery codes; the earlier ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": "Recovery codes", "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=code) for code in codes]
    )
    return codes


@transaction.atomic
def second_factor_issue(*, user: AbstractBaseUser) -> tuple[str, list[str]]:
    """Give a user a confirmed authenticator and recovery codes without a code
    from an app: for development's demo users only (create_demo_users, which
    refuses to run when DEBUG is off). Returns the key (base32) and the codes."""
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice(user=user, name=AUTHENTICATOR_NAME, confirmed=True)
    device.full_clean()
    device.save()
    return totp_key_base32(device), recovery_codes_generate(user=user)


def totp_key_base32(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed: base32, no padding."""
    return b32encode(device.bin_key).decode().rstrip("=")


@transaction.atomic
def second_factor_reset(*, user: AbstractBaseUser) -> None:
    """Remove a user's authenticators and recovery codes (a lost phone) and end
    their sessions: they enrol again at their next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    user_sessions_end(user=user)


def _digits(token: str) -> str:
    return "".join(token.split())


def _recovery_code() -> str:
    # 10 characters of base32 without look-alikes, shown as two groups of five.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"
