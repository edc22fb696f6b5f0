"""Follow-up tasks in the reminder sweep: due today, then overdue.

The same rule as every other reminder: a row per (recipient, subject, step),
inserted by the sweep with ON CONFLICT DO NOTHING, so each person is told once
about each step of each task however often the sweep runs. The test "already
told?" is per assignee, so a task handed to someone else reaches them too.
Each step is due over a window ending where the next begins (the due step on
the due date, the overdue step from the day after until the catch-up window
ends), so a sweep missed during an outage is caught up by the next one.
"""

import datetime as dt
from functools import partial

from django.db.models import Exists, OuterRef, Q

from activities.models import Task
from planning.models import Reminder
from planning.services.reminders.base import Notice, Step
from planning.services.reminders.texts import _Paths, _uk

SUBJECT = "task"


def _texts(step: str, title: str, org_name: str, due: dt.date) -> tuple[str, str]:
    if step == Step.TASK_DUE:
        return (
            f"{org_name}: task due today",
            f"“{title}” for {org_name} is due today ({_uk(due)}).",
        )
    return (
        f"{org_name}: task overdue since {_uk(due)}",
        f"“{title}” for {org_name} was due on {_uk(due)} and is still open. "
        "Complete it, or hand it to someone who can.",
    )


def task_notices(*, today: dt.date, catch_up: int, paths: _Paths) -> list[Notice]:
    """Open tasks whose step is due today and not yet told to their assignee."""
    told = Reminder.objects.filter(
        subject_type=SUBJECT,
        subject_id=OuterRef("pk"),
        recipient_id=OuterRef("assignee_id"),
    )
    due_today = Q(due_on=today)
    overdue = Q(due_on__lt=today, due_on__gte=today - dt.timedelta(days=catch_up))
    rows = (
        Task.objects.filter(status=Task.Status.OPEN, assignee__is_active=True)
        .filter(due_today | overdue)
        .exclude(due_today & Exists(told.filter(step=Step.TASK_DUE)))
        .exclude(overdue & Exists(told.filter(step=Step.TASK_OVERDUE)))
        .values_list(
            "pk",
            "title",
            "due_on",
            "assignee_id",
            "organisation_id",
            "organisation__name",
        )
        .order_by("pk")
    )
    notices = []
    for pk, title, due_on, assignee_id, org_id, org_name in rows:
        step = Step.TASK_DUE if due_on == today else Step.TASK_OVERDUE
        notice = Notice(
            step=step,
            subject_type=SUBJECT,
            subject_id=pk,
            make_texts=partial(_texts, step, title, org_name, due_on),
            due_on=due_on,
            staff_path=paths.staff_organisation(org_id) + "#tasks",
            partner_path="",
        )
        notice.users.add(assignee_id)
        notices.append(notice)
    return notices
