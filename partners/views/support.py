"""Contributions, proposals (triage) and relationship issues."""

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from activities.selectors import task_list
from ceop_crm.access import StaffRequiredMixin
from ceop_crm.lists.views import ListPageView
from partners import services
from partners.dedupe.selectors import organisation_likely_duplicates
from partners.forms import (
    ConfirmForm,
    ContributionForm,
    ProposalDeclineForm,
    ProposalForm,
    RelationshipIssueForm,
    RelationshipIssueResolveForm,
)
from partners.lists import PROPOSALS
from partners.models import (
    Contribution,
    OwnershipLevel,
    Proposal,
    RelationshipIssue,
)
from partners.selectors import proposal_list, relationship_issue_list
from partners.views.base import (
    ServiceFormView,
    may_edit_organisation,
    organisation_for,
    query_without_page,
)

PAGE_SIZE = 25

# --- Contributions -------------------------------------------------------------


class ContributionCreateView(ServiceFormView):
    form_class = ContributionForm
    page_title = "Record a contribution"
    intro = (
        "Support the organisation gives CEOP, linked to the priority areas it serves."
    )
    submit_label = "Save contribution"
    success_message = "Contribution saved."

    def load(self) -> None:
        self.organisation = organisation_for(self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Contribution(organisation=self.organisation)
        return kwargs

    def perform(self, form: ContributionForm) -> Contribution:
        return services.contribution_save(
            contribution=form.instance,
            actor=self.request.user,
            priority_areas=form.cleaned_data["priority_areas"],
            centre_plan_objectives=form.cleaned_data["centre_plan_objectives"],
        )

    def get_success_url(self) -> str:
        return self.organisation_url() + "#support"


class ContributionUpdateView(ContributionCreateView):
    page_title = "Edit contribution"

    def load(self) -> None:
        self.contribution = get_object_or_404(
            Contribution.objects.select_related("organisation"), pk=self.kwargs["pk"]
        )
        self.organisation = self.contribution.organisation

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super(ContributionCreateView, self).get_form_kwargs()
        kwargs["instance"] = self.contribution
        return kwargs


# --- Proposals -----------------------------------------------------------------


class ProposalListView(ListPageView):
    """By status, searchable, sortable; saved views, export, add a task."""

    template_name = "staff/partners/proposal_list.html"
    spec = PROPOSALS
    nav_section = "proposals"


def _proposal(pk: int) -> Proposal:
    try:
        return proposal_list().get(pk=pk)
    except Proposal.DoesNotExist:
        raise Http404 from None


class ProposalDetailView(StaffRequiredMixin, TemplateView):
    template_name = "staff/partners/proposal_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        proposal = _proposal(self.kwargs["pk"])
        organisation = proposal.organisation
        duplicates = []
        if (
            proposal.status == Proposal.Status.SUBMITTED
            and organisation.status == organisation.Status.PROSPECT
        ):
            # An approach from an organisation new to CEOP: is it one we know?
            duplicates = organisation_likely_duplicates(
                name=organisation.name,
                website=organisation.website,
                email=proposal.contact_email,
                exclude_pk=organisation.pk,
            )
        context.update(
            likely_duplicates=duplicates,
            nav_section="proposals",
            proposal=proposal,
            organisation=proposal.organisation,
            may_edit=may_edit_organisation(self.request.user, proposal.organisation),
            decline_form=ProposalDeclineForm(),
        )
        return context


class ProposalCreateView(ServiceFormView):
    form_class = ProposalForm
    page_title = "Record a proposal"
    intro = (
        "An approach offering support. It must serve a priority area (a CEOP "
        "service) or a threat."
    )
    submit_label = "Record proposal"
    success_message = "Proposal recorded; it awaits triage."
    nav_section = "proposals"

    def load(self) -> None:
        self.organisation = organisation_for(self.kwargs["pk"])

    def perform(self, form: ProposalForm) -> Proposal:
        return services.proposal_submit(
            organisation=self.organisation,
            actor=self.request.user,
            source=Proposal.Source.STAFF,
            **form.cleaned_data,
        )

    def get_success_url(self) -> str:
        return reverse("partners:proposal_detail", args=[self.result.pk])


class _ProposalMixin:
    nav_section = "proposals"

    def load(self) -> None:
        self.proposal = _proposal(self.kwargs["pk"])
        self.organisation = self.proposal.organisation

    def get_cancel_url(self) -> str:
        return reverse("partners:proposal_detail", args=[self.proposal.pk])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["proposal"] = self.proposal
        return context


class ProposalAcceptView(_ProposalMixin, ServiceFormView):
    form_class = ConfirmForm
    submit_label = "Accept and record the contribution"
    template_name = "staff/partners/proposal_decide.html"

    def get_page_title(self) -> str:
        return f"Accept “{self.proposal.title}”?"

    intro = "The proposal becomes an agreed contribution from the organisation."

    def perform(self, form) -> Contribution:
        return services.proposal_accept(proposal=self.proposal, actor=self.request.user)

    def get_success_message(self) -> str:
        return "Proposal accepted: it is now an agreed contribution."

    def get_success_url(self) -> str:
        return reverse("partners:contribution_update", args=[self.result.pk])


class ProposalDeclineView(_ProposalMixin, ServiceFormView):
    form_class = ProposalDeclineForm
    submit_label = "Decline proposal"
    danger = True
    template_name = "staff/partners/proposal_decide.html"
    intro = "The reason is kept with the proposal."
    success_message = "Proposal declined."

    def get_page_title(self) -> str:
        return f"Decline “{self.proposal.title}”?"

    def perform(self, form: ProposalDeclineForm) -> Proposal:
        return services.proposal_decline(
            proposal=self.proposal,
            reason=form.cleaned_data["decline_reason"],
            actor=self.request.user,
        )

    def get_success_url(self) -> str:
        return reverse("partners:proposal_list")


# --- Relationship issues -------------------------------------------------------


class RelationshipIssueListView(StaffRequiredMixin, TemplateView):
    template_name = "staff/partners/issue_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        show = self.request.GET.get("show", "open")
        rows = relationship_issue_list(open_only=show != "all")
        page = Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(
            nav_section="issues",
            page=page,
            show=show,
            query=query_without_page(self.request),
        )
        return context


def _issue(pk: int) -> RelationshipIssue:
    return get_object_or_404(
        RelationshipIssue.objects.select_related(
            "organisation", "organisation__owner", "owner"
        ),
        pk=pk,
    )


def _hierarchy(issue: RelationshipIssue) -> list[OwnershipLevel]:
    return list(
        OwnershipLevel.objects.filter(
            mou__organisation=issue.organisation, mou__status="signed"
        ).order_by("level", "side")
    )


class RelationshipIssueDetailView(StaffRequiredMixin, TemplateView):
    template_name = "staff/partners/issue_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        issue = _issue(self.kwargs["pk"])
        context.update(
            nav_section="issues",
            issue=issue,
            organisation=issue.organisation,
            hierarchy=_hierarchy(issue),
            may_edit=may_edit_organisation(self.request.user, issue.organisation),
            source_tasks=list(task_list().filter(issue=issue)),
        )
        return context


class RelationshipIssueCreateView(ServiceFormView):
    form_class = RelationshipIssueForm
    page_title = "Raise a relationship issue"
    submit_label = "Raise issue"
    success_message = "Issue raised."

    def load(self) -> None:
        self.organisation = organisation_for(self.kwargs["pk"])

    def get_initial(self) -> dict[str, Any]:
        return {"raised_on": timezone.localdate(), "owner": self.organisation.owner_id}

    def perform(self, form: RelationshipIssueForm) -> RelationshipIssue:
        data = dict(form.cleaned_data)
        if data.get("owner") is None:
            data.pop("owner")
        return services.relationship_issue_raise(
            organisation=self.organisation, actor=self.request.user, **data
        )

    def get_success_url(self) -> str:
        return reverse("partners:issue_detail", args=[self.result.pk])


class _IssueMixin:
    def load(self) -> None:
        self.issue = _issue(self.kwargs["pk"])
        self.organisation = self.issue.organisation

    def get_cancel_url(self) -> str:
        return reverse("partners:issue_detail", args=[self.issue.pk])

    def get_success_url(self) -> str:
        return self.get_cancel_url()


class RelationshipIssueEscalateView(_IssueMixin, ServiceFormView):
    form_class = ConfirmForm
    submit_label = "Escalate"
    danger = True

    def get_page_title(self) -> str:
        return (
            f"Escalate “{self.issue.title}” to level {self.issue.escalation_level + 1}?"
        )

    @property
    def intro(self) -> str:
        nxt = [
            f"{lvl.get_side_display()}: {lvl.name}"
            + (f" ({lvl.role})" if lvl.role else "")
            for lvl in _hierarchy(self.issue)
            if lvl.level == self.issue.escalation_level + 1
        ]
        who = "; ".join(nxt) if nxt else "the next level of the ownership hierarchy"
        return f"The issue moves up to {who}."

    def perform(self, form) -> RelationshipIssue:
        return services.relationship_issue_escalate(
            issue=self.issue, actor=self.request.user
        )

    def get_success_message(self) -> str:
        return f"Issue escalated to level {self.result.escalation_level}."


class RelationshipIssueResolveView(_IssueMixin, ServiceFormView):
    form_class = RelationshipIssueResolveForm
    submit_label = "Resolve issue"
    success_message = "Issue resolved."

    def get_page_title(self) -> str:
        return f"Resolve “{self.issue.title}”"

    def get_initial(self) -> dict[str, Any]:
        return {"resolved_on": timezone.localdate()}

    def perform(self, form: RelationshipIssueResolveForm) -> RelationshipIssue:
        return services.relationship_issue_resolve(
            issue=self.issue,
            resolution=form.cleaned_data["resolution"],
            resolved_on=form.cleaned_data["resolved_on"],
            actor=self.request.user,
        )
