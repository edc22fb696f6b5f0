"""Writes of API tokens: created and revoked by an administrator."""

from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from ceop_crm.api.models import ApiToken
from ceop_crm.exceptions import ApplicationError

LAST_USED_PRECISION = timedelta(minutes=5)


def api_token_validate(
    *, user: AbstractBaseUser, expires_at: datetime | None = None
) -> None:
    """The rules of a new token: an active user and an expiry in the future."""
    errors: dict[str, list[str]] = {}
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = ["The expiry must be in the future."]
    if not user.is_active:
        errors["user"] = ["This user cannot sign in."]
    if errors:
        raise ApplicationError(errors)


@transaction.atomic
def api_token_create(
    *,
    user: AbstractBaseUser,
    name: str,
    actor: AbstractBaseUser | None,
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Issue a token; the raw value is returned once and never stored."""
    api_token_validate(user=user, expires_at=expires_at)
    raw, prefix, digest = ApiToken.generate()
    token = ApiToken(
        user=user,
        name=name.strip(),
        prefix=prefix,
        digest=digest,
        created_by=actor,
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: AbstractBaseUser | None) -> ApiToken:
    """Revoke a token at once; revoking twice keeps the first date."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_touch(*, token: ApiToken) -> None:
    """Record use, at most once per few minutes, so a busy token costs no write per call."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
