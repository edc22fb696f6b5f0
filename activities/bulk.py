""" "Add a task" as a bulk action of the lists: a follow-up task for each ticked
row's organisation, each through ``task_create`` with its rules and history."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.http import QueryDict

from activities import services
from ceop_crm.exceptions import ApplicationError
from ceop_crm.lists.spec import BulkAction


def _due_on(data: QueryDict) -> dt.date | None:
    text = (data.get("due_on") or "").strip()
    if not text:
        return None  # task_create refuses it, row by row, as the single form does
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ApplicationError({"due_on": ["Give the due date as a date."]}) from None


def _assignee(data: QueryDict, user):
    chosen = data.get("assignee") or ""
    if not chosen:
        return user
    if not chosen.isdigit():
        raise ApplicationError({"assignee": ["Choose who the task is for."]})
    # Whoever it is, task_create refuses anyone a task may not go to.
    return get_user_model().objects.filter(pk=int(chosen)).first()


def add_task_action(
    *,
    organisation_of: Callable[[Any], Any] = lambda row: row,
    links: Callable[[Any], dict] = lambda row: {},
) -> BulkAction:
    """A task for each row's organisation (linked to the row where a task can be)."""

    def apply(*, user, data: QueryDict):
        title = data.get("title", "")
        due_on = _due_on(data)
        assignee = _assignee(data, user)

        def one(row):
            return services.task_create(
                actor=user,
                organisation=organisation_of(row),
                title=title,
                due_on=due_on,
                assignee=assignee,
                **links(row),
            )

        return one

    return BulkAction(
        key="task",
        label="Add a follow-up task",
        apply=apply,
        fields=("title", "due_on", "assignee"),
    )
