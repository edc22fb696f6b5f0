"""The secrets of the private calendar feeds."""

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from planning.models import (
    CalendarFeedToken,
)


def calendar_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_token_issue(
    *, user: AbstractBaseUser
) -> tuple[CalendarFeedToken, str]:
    """A new secret for the user's calendar feed; the previous one stops working.

    Returns the row and the secret, which is shown once and never stored.
    """
    now = timezone.now()
    CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=now
    )
    secret = secrets.token_urlsafe(32)
    token = CalendarFeedToken(user=user, token_hash=calendar_token_hash(secret))
    token.full_clean()
    token.save()
    return token, secret


@transaction.atomic
def calendar_feed_token_revoke(*, user: AbstractBaseUser) -> int:
    """Stop the user's calendar feed; the number of secrets revoked."""
    return CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def calendar_feed_token_touch(*, token: CalendarFeedToken) -> None:
    """Record when a feed was last read (at most once an hour, to spare writes)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(hours=1):
        CalendarFeedToken.objects.filter(pk=token.pk).update(last_used_at=now)
