"""Workspace views of activities and tasks: a form calls one service, a page one selector.

Reads are open to every staff role; writes go through ``ServiceFormView``
(editors, and only for organisations they may change) and the services, which
check again. Partner users are kept out by the partner-area middleware.
"""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from activities import services
from activities.forms import ActivityForm, ActivityLogForm, TaskForm, TaskReassignForm
from activities.models import Activity, Task
from activities.selectors import activity_list, task_get, task_list
from ceop_crm.access import EditorRequiredMixin, may_edit_organisation
from ceop_crm.forms import add_service_error
from ceop_crm.roles import is_senior_manager
from partners.models import Organisation
from partners.views.base import ServiceFormView, organisation_for
from partners.views.timeline import ACTIVITY_EVENT

PANEL_ROWS = 10
# A task made from a review or an issue is due, unless changed, in a week.
TASK_LEAD = dt.timedelta(days=7)


def organisation_panel(
    *, organisation: Organisation, user, form=None, contacts: list | None = None
) -> dict[str, Any]:
    """What the organisation page's "Activities and tasks" section shows
    (``contacts``: the organisation's, when the page has read them)."""
    may_edit = may_edit_organisation(user, organisation)
    if form is None and may_edit:
        form = ActivityForm(organisation=organisation, user=user, contacts=contacts)
    return {
        "organisation": organisation,
        "activity_form": form,
        "may_edit": may_edit,
        "activities": list(activity_list(organisation_id=organisation.pk)[:PANEL_ROWS]),
        "open_tasks": list(
            task_list(open_only=True)
            .filter(organisation_id=organisation.pk)
            .select_related("review__milestone", "issue")
        ),
        "activity_kinds": Activity.Kind.choices,
    }


class ActivityCreateView(ServiceFormView):
    """The short form on the organisation page (htmx), or a page of its own."""

    form_class = ActivityForm
    page_title = "Log an activity"
    submit_label = "Log it"

    def load(self) -> None:
        self.organisation = organisation_for(self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(organisation=self.organisation, user=self.request.user)
        return kwargs

    def perform(self, form: ActivityForm) -> Activity:
        return services.activity_record(
            actor=self.request.user,
            organisation=self.organisation,
            **form.service_fields(),
        )

    def get_success_message(self) -> str:
        return f"{self.result.get_kind_display()} logged."

    def get_success_url(self) -> str:
        return self.organisation_url() + "#activities"

    def _panel(self, form, status: int = 200, note: str = "") -> HttpResponse:
        context = organisation_panel(
            organisation=self.organisation, user=self.request.user, form=form
        )
        context["note"] = note
        return render(
            self.request, "staff/activities/_panel.html", context, status=status
        )

    def form_valid(self, form: ActivityForm) -> HttpResponse:
        if not self.request.htmx:
            return super().form_valid(form)
        try:
            self.result = self.perform(form)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        return self._logged()

    def _logged(self) -> HttpResponse:
        """The panel, and the timeline read again so that it shows the activity."""
        from partners.views.organisations import organisation_page_lists
        from partners.views.timeline import organisation_timeline_section

        note = self.get_success_message()
        context = organisation_panel(
            organisation=self.organisation, user=self.request.user
        )
        kind = self.request.GET.get("kind", "")
        context.update(
            organisation_timeline_section(
                today=timezone.localdate(),
                lists=organisation_page_lists(organisation=self.organisation),
                activities=context["activities"],
                may_edit=context["may_edit"],
                organisation_id=self.organisation.pk,
                kind=kind,
            ),
            note=note,
            today=timezone.localdate(),
        )
        shown = not kind or kind == ACTIVITY_EVENT
        context["timeline_note"] = (
            f"{note} It is now in the timeline."
            if shown
            else f"{note} The timeline shows only {kind}."
        )
        return render(self.request, "staff/activities/_panel_logged.html", context)

    def form_invalid(self, form: ActivityForm) -> HttpResponse:
        if not self.request.htmx:
            return super().form_invalid(form)
        # 200 so htmx swaps the errors in beside the fields.
        return self._panel(form)


class ActivityLogView(ServiceFormView):
    """From the dashboard: one of one's own organisations, then the same service."""

    form_class = ActivityLogForm
    page_title = "Log an activity"
    submit_label = "Log it"
    nav_section = "dashboard"

    def organisations(self):
        user = self.request.user
        mine = Organisation.objects.filter(Q(owner=user) | Q(deputy=user))
        if is_senior_manager(user):
            # Senior managers run every organisation; the list offers their own
            # first and the organisation page serves the rest.
            mine = mine | Organisation.objects.filter(owner__isnull=True)
        return mine.order_by("name")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(organisations=self.organisations(), user=self.request.user)
        return kwargs

    def get_cancel_url(self) -> str:
        return reverse("workspace:dashboard")

    def perform(self, form: ActivityLogForm) -> Activity:
        return services.activity_record(
            actor=self.request.user, **form.service_fields()
        )

    def get_success_message(self) -> str:
        return (
            f"{self.result.get_kind_display()} with {self.result.organisation} logged."
        )

    def get_success_url(self) -> str:
        return reverse("workspace:dashboard")


class TaskCreateView(ServiceFormView):
    form_class = TaskForm
    page_title = "Add a follow-up task"
    submit_label = "Add task"
    success_message = "Task added."

    def load(self) -> None:
        self.organisation = organisation_for(self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def perform(self, form: TaskForm) -> Task:
        return services.task_create(
            actor=self.request.user, organisation=self.organisation, **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return self.organisation_url() + "#activities"


class ReviewTaskCreateView(TaskCreateView):
    """A task from a review's recommendation, prefilled, linked to the review."""

    def load(self) -> None:
        from planning.selectors import review_list

        self.source = get_object_or_404(review_list(), pk=self.kwargs["pk"])
        self.organisation = self.source.organisation

    @property
    def intro(self) -> str:
        return f"From the {self.source.milestone.name} review of {self.organisation}."

    def get_initial(self) -> dict[str, Any]:
        review = self.source
        if review.recommendation:
            title = f"Act on the review's recommendation: {review.get_recommendation_display()}"
        else:
            title = f"Follow up the {review.milestone.name} review"
        return {"title": title[:200], "due_on": timezone.localdate() + TASK_LEAD}

    def perform(self, form: TaskForm) -> Task:
        return services.task_create(
            actor=self.request.user,
            organisation=self.organisation,
            review=self.source,
            **form.cleaned_data,
        )

    def get_cancel_url(self) -> str:
        return reverse("planning:review_detail", args=[self.source.pk])

    def get_success_url(self) -> str:
        return self.get_cancel_url()


class IssueTaskCreateView(ReviewTaskCreateView):
    """A task from a relationship issue, prefilled, linked to the issue."""

    def load(self) -> None:
        from partners.selectors import relationship_issue_list

        self.source = get_object_or_404(relationship_issue_list(), pk=self.kwargs["pk"])
        self.organisation = self.source.organisation

    @property
    def intro(self) -> str:
        return f"From the issue “{self.source.title}” with {self.organisation}."

    def get_initial(self) -> dict[str, Any]:
        title = f"Follow up the issue: {self.source.title}"
        return {"title": title[:200], "due_on": timezone.localdate() + TASK_LEAD}

    def perform(self, form: TaskForm) -> Task:
        return services.task_create(
            actor=self.request.user,
            organisation=self.organisation,
            issue=self.source,
            **form.cleaned_data,
        )

    def get_cancel_url(self) -> str:
        return reverse("partners:issue_detail", args=[self.source.pk])


def _task_or_404(pk: int) -> Task:
    try:
        return task_get(pk=pk)
    except Task.DoesNotExist:
        raise Http404("No such task.") from None


class TaskCompleteView(EditorRequiredMixin, View):
    """POST only: the assignee or whoever runs the organisation marks it done."""

    def post(self, request, pk: int) -> HttpResponse:
        task = _task_or_404(pk)
        try:
            services.task_complete(task=task, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"“{task.title}” done.")
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target,
            allowed_hosts={request.get_host()},
            require_https=request.is_secure(),
        ):
            target = reverse(
                "partners:organisation_detail", args=[task.organisation_id]
            )
        return HttpResponseRedirect(target)


class TaskReassignView(ServiceFormView):
    form_class = TaskReassignForm
    submit_label = "Reassign"
    success_message = "Task reassigned."

    def load(self) -> None:
        self.task = _task_or_404(self.kwargs["pk"])
        self.organisation = self.task.organisation

    def get_page_title(self) -> str:
        return f"Reassign “{self.task.title}”"

    @property
    def intro(self) -> str:
        who = self.task.assignee.get_full_name() or self.task.assignee
        return f"Now with {who}, due {self.task.due_on:%d/%m/%Y}."

    def perform(self, form: TaskReassignForm) -> Task:
        return services.task_reassign(
            task=self.task, actor=self.request.user, **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return self.organisation_url() + "#activities"
