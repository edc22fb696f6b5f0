"""In-app read and unread state of a user's notifications."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from ceop_crm.exceptions import ApplicationError
from planning.models import (
    Reminder,
)


@transaction.atomic
def reminder_mark_read(*, reminder: Reminder, user: AbstractBaseUser) -> Reminder:
    """Mark one of the user's own notifications read; refuses anyone else's."""
    if reminder.recipient_id != user.pk:
        raise ApplicationError("This notification belongs to someone else.")
    if reminder.read_at is None:
        reminder.read_at = timezone.now()
        Reminder.objects.filter(pk=reminder.pk, read_at__isnull=True).update(
            read_at=reminder.read_at
        )
    return reminder


@transaction.atomic
def reminder_mark_unread(*, reminder: Reminder, user: AbstractBaseUser) -> Reminder:
    if reminder.recipient_id != user.pk:
        raise ApplicationError("This notification belongs to someone else.")
    reminder.read_at = None
    Reminder.objects.filter(pk=reminder.pk).update(read_at=None)
    return reminder


@transaction.atomic
def reminder_mark_all_read(*, user: AbstractBaseUser) -> int:
    return Reminder.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
