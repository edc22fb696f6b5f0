"""Reads of the operations room: the last run of a task, the outbox backlog."""

from datetime import datetime

from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Min, Q

from ceop_crm.mail import mail_max_attempts
from ceop_crm.models import OutboundEmail, TaskRun

SWEEP = "planning.reminders_sweep"


def task_run_last(*, name: str) -> TaskRun | None:
    return TaskRun.objects.filter(name=name).order_by("-finished_at", "-pk").first()


def database_set_up_at() -> datetime | None:
    """When this database was first migrated: a fresh installation has had no
    time to run its first sweep yet."""
    return MigrationRecorder.Migration.objects.aggregate(first=Min("applied"))["first"]


def outbox_backlog() -> dict[str, int]:
    """Emails waiting to go (still to be tried) and given up (attempts spent)."""
    unsent = OutboundEmail.objects.filter(sent_at=None)
    given_up = Q(attempts__gte=mail_max_attempts())
    return {
        "waiting": unsent.exclude(given_up).count(),
        "given_up": unsent.filter(given_up).count(),
    }
