"""The task list: filters applied as they change, sortable headers, chosen
columns, saved views, export of exactly what it shows, and bulk actions that go
through the same services (and refusals) as the single action; declared as a
``ceop_crm.lists`` list."""

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.html import format_html
from django.utils.safestring import SafeString

from activities import services
from activities.models import Task
from activities.selectors import assignable_people, task_list, week_end
from ceop_crm.lists import cells
from ceop_crm.lists.spec import (
    DESCENDING,
    BulkAction,
    Column,
    Listing,
    ListSpec,
    Sort,
)
from ceop_crm.lists.views import ListPageView

LIST_NAME = "tasks"
PAGE_SIZE = 50

# column key -> (heading, sort expression, value of a row)
COLUMNS: dict[str, tuple[str, str, Any]] = {
    "title": ("Task", "title", lambda t: t.title),
    "organisation": (
        "Organisation",
        "organisation__name",
        lambda t: t.organisation.name,
    ),
    "assignee": (
        "For",
        "assignee__last_name",
        lambda t: t.assignee.get_full_name() or t.assignee.get_username(),
    ),
    "due_on": ("Due", "due_on", lambda t: t.due_on),
    "status": ("Status", "status", lambda t: t.get_status_display()),
}
DEFAULT_COLUMNS = list(COLUMNS)


def _due_cell(task: Task, value, today: dt.date) -> SafeString:
    if task.is_open and value is not None and value < today:
        return format_html(
            '<span class="text-danger fw-semibold">{}, overdue</span>',
            cells.date(value),
        )
    return cells.text(cells.date(value))


CELLS = {
    "organisation": cells.link(
        "partners:organisation_detail",
        lambda t: t.organisation_id,
        anchor="#activities",
    ),
    "due_on": _due_cell,
}


class TaskFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Title or organisation")
    assignee = forms.ChoiceField(required=False, label="For")
    status = forms.ChoiceField(
        required=False,
        choices=[("open", "Open"), ("done", "Done"), ("all", "Any")],
        initial="open",
    )
    due = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Any time"),
            ("overdue", "Overdue"),
            ("today", "Today"),
            ("week", "Next seven days"),
        ],
    )
    sort = forms.ChoiceField(
        required=False,
        choices=[(k, k) for k in COLUMNS] + [(f"-{k}", f"-{k}") for k in COLUMNS],
    )
    cols = forms.MultipleChoiceField(
        required=False,
        choices=[(k, v[0]) for k, v in COLUMNS.items()],
        widget=forms.CheckboxSelectMultiple,
        label="Columns",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", "Anyone"), ("me", "Me")] + [
            (str(pk), name) for pk, name in assignable_people()
        ]
        self.fields["q"].widget.attrs.update(
            {"class": "form-control form-control-sm", "type": "search"}
        )
        for name in ("assignee", "status", "due"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["cols"].widget.attrs["class"] = "form-check-input"


def task_list_filtered(*, user, data: dict, today: dt.date) -> QuerySet[Task]:
    """The rows of the list for the (cleaned) filters, in the chosen order."""
    tasks = task_list()
    status = data.get("status") or "open"
    if status != "all":
        tasks = tasks.filter(status=status)
    assignee = data.get("assignee")
    if assignee == "me":
        tasks = tasks.filter(assignee_id=user.pk)
    elif assignee:
        tasks = tasks.filter(assignee_id=int(assignee))
    due = data.get("due")
    if due == "overdue":
        tasks = tasks.filter(due_on__lt=today, status=Task.Status.OPEN)
    elif due == "today":
        tasks = tasks.filter(due_on=today)
    elif due == "week":
        tasks = tasks.filter(due_on__gte=today, due_on__lte=week_end(today))
    if data.get("q"):
        tasks = tasks.filter(
            Q(title__icontains=data["q"]) | Q(organisation__name__icontains=data["q"])
        )
    sort = data.get("sort") or "due_on"
    return tasks.order_by(*TASKS.sorts[sort].order_by)


def task_listing(*, user, params, today: dt.date) -> Listing:
    form = TaskFilterForm(params or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return Listing(
        form=form, rows=task_list_filtered(user=user, data=data, today=today)
    )


def _complete(*, user, data):
    return lambda task: services.task_complete(task=task, actor=user)


def _reassign(*, user, data):
    chosen = data.get("assignee") or ""
    # Whoever it is, task_reassign refuses anyone a task may not go to.
    assignee = (
        get_user_model().objects.filter(pk=int(chosen)).first()
        if chosen.isdigit()
        else None
    )
    return lambda task: services.task_reassign(task=task, assignee=assignee, actor=user)


TASKS = ListSpec(
    name=LIST_NAME,
    title="Tasks",
    url_name="activities:task_list",
    noun="task",
    noun_plural="tasks",
    columns=[
        Column(
            key, heading, value, (key, f"-{key}"), render=CELLS.get(key, cells.as_is)
        )
        for key, (heading, _, value) in COLUMNS.items()
    ],
    sorts={
        **{key: Sort((field, "pk")) for key, (_, field, _) in COLUMNS.items()},
        **{
            f"-{key}": Sort((f"-{field}", "pk"), DESCENDING)
            for key, (_, field, _) in COLUMNS.items()
        },
    },
    default_sort="due_on",
    listing=task_listing,
    row_label=lambda t: t.title,
    bulk_actions=[
        BulkAction("complete", "Mark done", _complete),
        BulkAction("reassign", "Reassign to…", _reassign, fields=("assignee",)),
    ],
    bulk_rows=lambda ids: task_list().filter(pk__in=ids),
    # The assignee filter's people (after "Anyone" and "Me"): read once.
    people=lambda listing: listing.form.fields["assignee"].choices[2:],
    # Either every ticked task changes or none does.
    all_or_none=True,
    page_size=PAGE_SIZE,
)


class TaskListView(ListPageView):
    template_name = "staff/activities/task_list.html"
    spec = TASKS
    nav_section = "tasks"
