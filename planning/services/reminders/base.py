"""The pieces every part of the sweep shares: the steps' lead times from settings,
a notice (one thing due, before it is fanned out) and the "already recorded?" test."""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef
from django.db.models.expressions import RawSQL

from planning.models import (
    Reminder,
)

Step = Reminder.Step


INSERT_BATCH = 1000


@dataclass(frozen=True)
class ReminderTimes:
    upcoming: int
    overdue: int
    escalated: int
    mou_ending: tuple[int, int, int]
    catch_up: int
    issue_default: int


def reminder_times() -> ReminderTimes:
    """The lead times of the steps, from settings (REMINDER_*)."""
    ending = sorted(getattr(settings, "REMINDER_MOU_ENDING_DAYS", [90, 30, 7]))[::-1]
    if len(ending) != 3:
        raise ValueError("REMINDER_MOU_ENDING_DAYS needs three numbers of days.")
    times = ReminderTimes(
        upcoming=getattr(settings, "REMINDER_REVIEW_UPCOMING_DAYS", 14),
        overdue=getattr(settings, "REMINDER_REVIEW_OVERDUE_DAYS", 7),
        escalated=getattr(settings, "REMINDER_REVIEW_ESCALATED_DAYS", 21),
        mou_ending=(ending[0], ending[1], ending[2]),
        catch_up=getattr(settings, "REMINDER_CATCH_UP_DAYS", 30),
        issue_default=getattr(settings, "REMINDER_ISSUE_DEFAULT_DAYS", 14),
    )
    if not 0 < times.overdue < times.escalated:
        raise ValueError("A review is overdue before it is escalated.")
    return times


MOU_STEPS = (Step.MOU_ENDING_90, Step.MOU_ENDING_30, Step.MOU_ENDING_7)
DUE_DILIGENCE_STEPS = (
    Step.DUE_DILIGENCE_ENDING_90,
    Step.DUE_DILIGENCE_ENDING_30,
    Step.DUE_DILIGENCE_ENDING_7,
)


@dataclass
class Notice:
    """One thing due today, before it is fanned out to its recipients."""

    step: str
    subject_type: str
    subject_id: int
    # (title, body), made only for reminders the sweep records: a no-op sweep
    # never formats a word.
    make_texts: Callable[[], tuple[str, str]]
    due_on: dt.date | None
    staff_path: str
    partner_path: str
    users: set[int] = field(default_factory=set)
    partner_users: set[int] = field(default_factory=set)
    # address -> greeting name, for people without a user account
    addresses: dict[str, str] = field(default_factory=dict)

    @cached_property
    def texts(self) -> tuple[str, str]:
        return self.make_texts()

    @property
    def title(self) -> str:
        return self.texts[0]

    @property
    def body(self) -> str:
        return self.texts[1]


def _in(values: Iterable, cast: str = "bigint"):
    """The right side of an IN: one array parameter on PostgreSQL, not thousands."""
    values = list(values)
    if connection.vendor == "postgresql":
        return RawSQL(f"SELECT unnest(%s::{cast}[])", (values,))  # noqa: S611 - cast is ours
    return values


def _recorded(subject_type: str, step) -> Exists:
    """A reminder of this subject and step is recorded already (for anyone).

    Subjects whose step went out already are skipped before anything else is
    read, which keeps a sweep with nothing new cheap. A person who joins later
    (a new portal user) gets the next step, not the one already sent.
    """
    return Exists(
        Reminder.objects.filter(
            subject_type=subject_type, subject_id=OuterRef("pk"), step=step
        )
    )
