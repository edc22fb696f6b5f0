"""The task list: filters applied as they change, sortable headers, chosen
columns, saved views, export of exactly what it shows, and bulk actions that go
through the same services (and refusals) as the single action."""

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from activities import services
from activities.models import Task
from activities.selectors import assignable_users, task_list, week_end
from ceop_crm.access import EditorRequiredMixin, StaffRequiredMixin
from ceop_crm.lists.selectors import saved_view_default, saved_view_list
from ceop_crm.lists.services import clean_query, saved_view_delete, saved_view_save
from partners.reports import Report, report_csv, report_xlsx

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
            (str(u.pk), u.get_full_name() or u.get_username())
            for u in assignable_users()
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
    field = COLUMNS[sort.lstrip("-")][1]
    return tasks.order_by(f"-{field}" if sort.startswith("-") else field, "pk")


def _columns(data: dict) -> list[str]:
    return [c for c in DEFAULT_COLUMNS if c in (data.get("cols") or DEFAULT_COLUMNS)]


def task_report(tasks, columns: list[str]) -> Report:
    """The list as a report, for the reports' CSV and XLSX downloads."""
    return Report(
        slug="tasks",
        title="Tasks",
        description="The task list as shown",
        columns=[COLUMNS[c][0] for c in columns],
        rows=[[COLUMNS[c][2](t) for c in columns] for t in tasks],
    )


class TaskListView(StaffRequiredMixin, TemplateView):
    template_name = "staff/activities/task_list.html"

    def get(self, request, *args, **kwargs):
        if not request.GET:
            default = saved_view_default(user=request.user, list_name=LIST_NAME)
            if default is not None and default.query:
                return HttpResponseRedirect(
                    f"{request.path}?{default.query}&view={default.pk}"
                )
        form = TaskFilterForm(request.GET or None)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        today = timezone.localdate()
        tasks = task_list_filtered(user=request.user, data=data, today=today)
        columns = _columns(data)
        fmt = request.GET.get("format")
        if fmt in ("csv", "xlsx"):
            report = task_report(tasks, columns)
            return report_csv(report) if fmt == "csv" else report_xlsx(report)
        page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        current_sort = data.get("sort") or "due_on"
        headers = []
        for key in columns:
            sorted_here = current_sort.lstrip("-") == key
            descending = current_sort.startswith("-")
            params = query.copy()
            params["sort"] = f"-{key}" if sorted_here and not descending else key
            headers.append(
                {
                    "key": key,
                    "label": COLUMNS[key][0],
                    "url": "?" + params.urlencode(),
                    "aria_sort": (
                        ("descending" if descending else "ascending")
                        if sorted_here
                        else "none"
                    ),
                }
            )
        rows = [
            (t, [(key, COLUMNS[key][2](t)) for key in columns])
            for t in page.object_list
        ]
        context = self.get_context_data(
            nav_section="tasks",
            form=form,
            page=page,
            rows=rows,
            headers=headers,
            query=clean_query(query.urlencode()),
            today=today,
            saved_views=list(saved_view_list(user=request.user, list_name=LIST_NAME)),
            current_view=request.GET.get("view", ""),
            assignees=list(assignable_users()),
        )
        return self.render_to_response(context)


class SavedViewSaveView(StaffRequiredMixin, View):
    def post(self, request):
        try:
            view = saved_view_save(
                user=request.user,
                list_name=LIST_NAME,
                name=request.POST.get("name", ""),
                query=request.POST.get("query", ""),
                is_default=bool(request.POST.get("is_default")),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(
                reverse("activities:task_list") + "?" + request.POST.get("query", "")
            )
        messages.success(request, f"View “{view.name}” saved.")
        return HttpResponseRedirect(
            reverse("activities:task_list") + f"?{view.query}&view={view.pk}"
        )


class SavedViewDeleteView(StaffRequiredMixin, View):
    def post(self, request, pk: int):
        try:
            saved_view_delete(user=request.user, pk=pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(reverse("activities:task_list") + "?status=open")


class TaskBulkView(EditorRequiredMixin, View):
    """Complete or reassign the ticked tasks: each through its service; all or none."""

    def post(self, request):
        ids = [int(i) for i in request.POST.getlist("task") if i.isdigit()]
        action = request.POST.get("action")
        back = reverse("activities:task_list") + "?" + request.POST.get("query", "")
        tasks = list(task_list().filter(pk__in=ids))
        if not tasks or action not in ("complete", "reassign"):
            messages.error(request, "Tick at least one task and choose what to do.")
            return HttpResponseRedirect(back)
        assignee = None
        if action == "reassign":
            assignee = (
                assignable_users().filter(pk=request.POST.get("assignee") or 0).first()
            )
        refused = []
        try:
            with transaction.atomic():
                for task in tasks:
                    try:
                        if action == "complete":
                            services.task_complete(task=task, actor=request.user)
                        else:
                            services.task_reassign(
                                task=task, assignee=assignee, actor=request.user
                            )
                    except ValidationError as error:
                        refused.append(f"“{task.title}”: {' '.join(error.messages)}")
                    except PermissionDenied as error:
                        refused.append(f"“{task.title}”: {error}")
                if refused:
                    raise _Refused
        except _Refused:
            messages.error(request, "Nothing was changed. " + " ".join(refused))
            return HttpResponseRedirect(back)
        done = "completed" if action == "complete" else "reassigned"
        messages.success(
            request, f"{len(tasks)} task{'s' if len(tasks) != 1 else ''} {done}."
        )
        return HttpResponseRedirect(back)


class _Refused(Exception):
    pass
