"""Reads of activities and follow-up tasks (staff only: never scoped to partners)."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from activities.models import Activity, Task
from ceop_crm.roles import EDITOR_ROLES


def assignable_users() -> QuerySet:
    """Who a task may go to: active relationship and senior managers."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=EDITOR_ROLES)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def assignable_people() -> list[tuple[int, str]]:
    """assignable_users as choices, (pk, full name or username) in their
    order: shared between requests until a change to a person or a role
    commits (partners.reports.figures, partners.signals)."""
    from partners.reports.figures import report_figures_cached

    return report_figures_cached(
        "assignable-people",
        today=timezone.localdate(),
        build=lambda: [
            (u.pk, u.get_full_name() or u.get_username()) for u in assignable_users()
        ],
    )


def activity_list(
    *, organisation_id: int | None = None, kind: str | None = None
) -> QuerySet[Activity]:
    """Activities newest first, with who recorded them and who took part."""
    activities = Activity.objects.select_related("recorded_by", "organisation")
    if organisation_id is not None:
        activities = activities.filter(organisation_id=organisation_id)
    if kind:
        activities = activities.filter(kind=kind)
    user_model = get_user_model()
    return activities.prefetch_related(
        Prefetch("participants", queryset=user_model.objects.order_by("pk")),
        "tasks",
    ).order_by("-occurred_at", "-pk")


def activity_get(*, pk: int) -> Activity:
    return activity_list().get(pk=pk)


def task_list(*, open_only: bool = False) -> QuerySet[Task]:
    """Tasks by due date, with their organisation and assignee."""
    tasks = Task.objects.select_related("organisation", "assignee")
    if open_only:
        tasks = tasks.filter(status=Task.Status.OPEN)
    return tasks.order_by("due_on", "pk")


def task_get(*, pk: int) -> Task:
    return task_list().get(pk=pk)


def week_end(today: dt.date) -> dt.date:
    """The last day of "this week": the coming seven days, today included (a
    calendar week would leave nothing ahead on a Sunday)."""
    return today + dt.timedelta(days=6)


def task_list_for_user_due(*, user, today: dt.date) -> QuerySet[Task]:
    """A person's open tasks due in the coming seven days (overdue included)."""
    return task_list(open_only=True).filter(
        assignee_id=user.pk, due_on__lte=week_end(today)
    )


def tasks_by_when(tasks, *, today: dt.date) -> dict[str, list[Task]]:
    """Tasks split into overdue, today and later this week (from one query)."""
    grouped: dict[str, list[Task]] = {"overdue": [], "today": [], "week": []}
    for task in tasks:
        if task.due_on < today:
            grouped["overdue"].append(task)
        elif task.due_on == today:
            grouped["today"].append(task)
        else:
            grouped["week"].append(task)
    return grouped


def task_list_for_calendar(*, user, since: dt.date, until: dt.date) -> QuerySet[Task]:
    """The open tasks in a person's calendar feed: theirs, in the feed's window."""
    return task_list(open_only=True).filter(
        assignee_id=user.pk, due_on__gte=since, due_on__lte=until
    )
