"""Tier moves (request, approve, reject) and benefit deliveries."""

from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from ceop_crm.access import SeniorManagerRequiredMixin, StaffRequiredMixin
from ceop_crm.lists.views import ListPageView
from ceop_crm.roles import is_senior_manager
from partners.forms import ConfirmForm
from partners.selectors import mou_in_force
from partners.templatetags.workspace import move_label_text
from partners.views.base import (
    ServiceFormView,
    may_edit_organisation,
    organisation_for,
)
from tiers import services
from tiers.forms import BenefitDeliveryForm, TierChangeDecisionForm, TierChangeForm
from tiers.lists import TIER_MOVES
from tiers.models import CharacteristicCheck, TierChange, TierLevel
from tiers.selectors import (
    association_current,
    characteristic_checks,
    tier_change_get,
)

END = "end"


def check_labels() -> dict[str, str]:
    """How each automatic check reads beside a characteristic ("…: yes/no")."""
    labels = dict(CharacteristicCheck.choices)
    # The monitoring checks test that no review is overdue.
    labels[CharacteristicCheck.MONITORING_QUARTERLY] = "Reviews up to date"
    labels[CharacteristicCheck.MONITORING_ANNUAL] = "Reviews up to date"
    return labels


class TierChangeListView(ListPageView):
    """By status, searchable, sortable; saved views and export."""

    template_name = "staff/tiers/tier_change_list.html"
    spec = TIER_MOVES
    nav_section = "tier_moves"


class TierChangeCreateView(ServiceFormView):
    """Choose the target level, then give evidence against each key characteristic."""

    template_name = "staff/tiers/tier_change_form.html"
    form_class = TierChangeForm
    submit_label = "Ask for approval"
    success_message = "Tier move requested; a senior manager will decide it."

    def load(self) -> None:
        self.organisation = organisation_for(self.kwargs["pk"])
        self.current = association_current(organisation=self.organisation)
        self.tiers = list(TierLevel.objects.order_by("-rank"))
        target = self.request.GET.get("to") or self.request.POST.get("to")
        self.ending = target == END
        self.target = next((t for t in self.tiers if t.code == target), None)
        self.characteristics = (
            list(self.target.characteristics.order_by("order")) if self.target else []
        )

    def get_page_title(self) -> str:
        if self.ending:
            return f"End {self.organisation.name}'s association"
        if self.target:
            return f"Move {self.organisation.name} to {self.target.name}"
        return f"Change {self.organisation.name}'s level"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["characteristics"] = self.characteristics
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        return {"effective_date": timezone.localdate()}

    def _checks(self, form) -> list[dict]:
        if not self.target:
            return []
        on = timezone.localdate()
        if form.is_bound and form.is_valid():
            on = form.cleaned_data["effective_date"]
        checks = characteristic_checks(
            organisation=self.organisation, tier=self.target, on=on
        )
        labels = check_labels()
        return [
            {
                "characteristic": c,
                "field": form[f"evidence_{c.pk}"],
                "check": checks.get(c.pk),
                "check_label": labels.get(c.automatic_check, ""),
            }
            for c in self.characteristics
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context.update(
            current=self.current,
            tiers=self.tiers,
            target=self.target,
            ending=self.ending,
            choosing=not (self.target or self.ending),
            rows=self._checks(context["form"]),
            mou_in_force=mou_in_force(organisation=self.organisation, on=today)
            is not None,
            pending=TierChange.objects.filter(
                organisation=self.organisation, status=TierChange.Status.PENDING
            ).first(),
        )
        return context

    def perform(self, form: TierChangeForm) -> TierChange:
        if not (self.target or self.ending):
            raise Http404
        return services.tier_change_request(
            organisation=self.organisation,
            to_tier=self.target,
            effective_date=form.cleaned_data["effective_date"],
            reason=form.cleaned_data["reason"],
            evidence=form.evidence(),
            actor=self.request.user,
        )

    def get_success_url(self) -> str:
        return reverse("tiers:tier_change_detail", args=[self.result.pk])


def _tier_change(pk: int) -> TierChange:
    try:
        return tier_change_get(pk=pk)
    except TierChange.DoesNotExist:
        raise Http404 from None


class TierChangeDetailView(StaffRequiredMixin, TemplateView):
    template_name = "staff/tiers/tier_change_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        change = _tier_change(self.kwargs["pk"])
        user = self.request.user
        labels = check_labels()
        context.update(
            nav_section="tier_moves",
            change=change,
            organisation=change.organisation,
            evidence=[
                (e, labels.get(e.characteristic.automatic_check, ""))
                for e in change.evidence.all()
            ],
            may_decide=is_senior_manager(user)
            and change.status == TierChange.Status.PENDING
            and change.requested_by_id != user.pk,
            may_edit=may_edit_organisation(user, change.organisation),
            may_withdraw=change.status == TierChange.Status.PENDING
            and change.requested_by_id == user.pk,
        )
        return context


class _DecisionView(SeniorManagerRequiredMixin, ServiceFormView):
    form_class = TierChangeDecisionForm
    nav_section = "tier_moves"
    template_name = "staff/tiers/tier_change_decide.html"

    def load(self) -> None:
        self.change = _tier_change(self.kwargs["pk"])
        self.organisation = self.change.organisation

    def get_cancel_url(self) -> str:
        return reverse("tiers:tier_change_detail", args=[self.change.pk])

    def get_success_url(self) -> str:
        return self.get_cancel_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        labels = check_labels()
        context.update(
            change=self.change,
            evidence=[
                (e, labels.get(e.characteristic.automatic_check, ""))
                for e in self.change.evidence.all()
            ],
        )
        return context


class TierChangeApproveView(_DecisionView):
    submit_label = "Approve move"
    intro = (
        "Approving closes the current association, opens the new one and "
        "reschedules the organisation's reviews."
    )

    def get_page_title(self) -> str:
        return f"Approve: {self.organisation.name}, {move_label_text(self.change)}"

    def perform(self, form: TierChangeDecisionForm) -> TierChange:
        return services.tier_change_approve(
            tier_change=self.change,
            actor=self.request.user,
            reason=form.cleaned_data["decision_reason"],
        )

    def get_success_message(self) -> str:
        return (
            f"Move approved. {self.organisation.name}'s level and reviews are updated."
        )


class TierChangeRejectView(_DecisionView):
    submit_label = "Reject move"
    danger = True
    intro = "The organisation stays at its current level; the reason is kept."
    success_message = "Move rejected."

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["reason_required"] = True
        return kwargs

    def get_page_title(self) -> str:
        return f"Reject: {self.organisation.name}, {move_label_text(self.change)}"

    def perform(self, form: TierChangeDecisionForm) -> TierChange:
        return services.tier_change_reject(
            tier_change=self.change,
            actor=self.request.user,
            reason=form.cleaned_data["decision_reason"],
        )


class TierChangeWithdrawView(ServiceFormView):
    """The manager who asked for a move withdraws it while it is pending."""

    form_class = ConfirmForm
    nav_section = "tier_moves"
    submit_label = "Withdraw move"
    danger = True
    success_message = "Move withdrawn."
    intro = "The organisation stays at its current level; the request is kept."

    def load(self) -> None:
        self.change = _tier_change(self.kwargs["pk"])
        self.organisation = self.change.organisation

    def get_page_title(self) -> str:
        return f"Withdraw: {self.organisation.name}, {move_label_text(self.change)}"

    def get_cancel_url(self) -> str:
        return reverse("tiers:tier_change_detail", args=[self.change.pk])

    def get_success_url(self) -> str:
        return self.get_cancel_url()

    def perform(self, form) -> TierChange:
        return services.tier_change_withdraw(
            tier_change=self.change, actor=self.request.user
        )


class BenefitDeliveryCreateView(ServiceFormView):
    form_class = BenefitDeliveryForm
    page_title = "Record a benefit delivered"
    submit_label = "Record benefit"
    success_message = "Benefit recorded."

    def load(self) -> None:
        self.organisation = organisation_for(self.kwargs["pk"])
        self.current = association_current(organisation=self.organisation)

    @property
    def intro(self) -> str:
        if self.current is None:
            return "The organisation has no current level; a benefit can only be recorded for a date when it had one."
        if not self.current.tier.benefits_allowed:
            return (
                f"A {self.current.tier.name} is paid in full and receives no benefits."
            )
        return f"Benefits a {self.current.tier.name} is entitled to."

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["tier"] = self.current.tier if self.current else None
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        return {"delivered_on": timezone.localdate()}

    def perform(self, form: BenefitDeliveryForm):
        return services.benefit_delivery_record(
            organisation=self.organisation,
            actor=self.request.user,
            **form.cleaned_data,
        )

    def get_success_url(self) -> str:
        return self.organisation_url() + "#benefits"
