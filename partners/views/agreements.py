"""Due diligence and MoUs: record, decide, draft, upload, sign, renew, terminate."""

from datetime import date, timedelta
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from ceop_crm.access import StaffRequiredMixin
from partners import services
from partners.documents import mou_document_response
from partners.forms import (
    DueDiligenceDecideForm,
    DueDiligenceForm,
    MoUDocumentForm,
    MoUForm,
    MoURenewForm,
    MoUSignForm,
    MoUTerminateForm,
    OwnershipLevelForm,
)
from partners.models import DueDiligence, MoU, OwnershipLevel
from partners.selectors import mou_get
from partners.views.base import ServiceFormView, may_edit_organisation, organisation_for
from priorities.models import Principle

# --- Due diligence -----------------------------------------------------------


class DueDiligenceCreateView(ServiceFormView):
    form_class = DueDiligenceForm
    template_name = "staff/partners/due_diligence_form.html"
    page_title = "Record due diligence"
    intro = (
        "Assess the organisation against each principle of relationship management. "
        "The assessment starts in progress; approve it once every principle is met."
    )
    submit_label = "Record assessment"
    success_message = "Due diligence recorded."

    def load(self) -> None:
        self.organisation = organisation_for(self.kwargs["pk"])

    def get_initial(self) -> dict[str, Any]:
        return {"assessed_on": timezone.localdate()}

    def perform(self, form: DueDiligenceForm) -> DueDiligence:
        data = form.cleaned_data
        return services.due_diligence_record(
            organisation=self.organisation,
            assessed_on=data["assessed_on"],
            child_protection=data["child_protection"],
            brand_risk=data["brand_risk"],
            notes=data["notes"],
            findings=form.findings(),
            actor=self.request.user,
        )

    def get_success_url(self) -> str:
        return reverse("partners:due_diligence_detail", args=[self.result.pk])


def _due_diligence(pk: int) -> DueDiligence:
    return get_object_or_404(
        DueDiligence.objects.select_related(
            "organisation", "organisation__owner", "assessed_by"
        ),
        pk=pk,
    )


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class DueDiligenceDetailView(StaffRequiredMixin, TemplateView):
    template_name = "staff/partners/due_diligence_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        dd = _due_diligence(self.kwargs["pk"])
        assessments = {
            a.principle_id: a
            for a in dd.principle_assessments.select_related("principle")
        }
        context.update(
            nav_section="organisations",
            due_diligence=dd,
            organisation=dd.organisation,
            rows=[
                (p, assessments.get(p.pk)) for p in Principle.objects.order_by("order")
            ],
            may_edit=may_edit_organisation(self.request.user, dd.organisation),
            today=timezone.localdate(),
        )
        return context


class DueDiligenceDecideView(ServiceFormView):
    form_class = DueDiligenceDecideForm
    page_title = "Decide due diligence"
    intro = (
        "Approval needs every principle met, child protection procedures in place "
        "(where relevant), a brand risk that is not high, and an expiry date."
    )
    submit_label = "Record decision"

    def load(self) -> None:
        self.due_diligence = _due_diligence(self.kwargs["pk"])
        self.organisation = self.due_diligence.organisation

    def get_initial(self) -> dict[str, Any]:
        start = self.due_diligence.assessed_on
        return {"expires_on": _years_later(start, 1)}

    def perform(self, form: DueDiligenceDecideForm) -> DueDiligence:
        data = form.cleaned_data
        return services.due_diligence_decide(
            due_diligence=self.due_diligence,
            outcome=data["outcome"],
            expires_on=data["expires_on"],
            actor=self.request.user,
        )

    def get_success_message(self) -> str:
        return f"Due diligence {self.result.get_outcome_display().lower()}."

    def get_cancel_url(self) -> str:
        return reverse("partners:due_diligence_detail", args=[self.due_diligence.pk])

    def get_success_url(self) -> str:
        return self.get_cancel_url()


# --- MoUs ----------------------------------------------------------------------


class MoUDetailView(StaffRequiredMixin, TemplateView):
    template_name = "staff/partners/mou_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        try:
            mou = mou_get(pk=self.kwargs["pk"])
        except MoU.DoesNotExist:
            raise Http404 from None
        today = timezone.localdate()
        context.update(
            nav_section="organisations",
            mou=mou,
            organisation=mou.organisation,
            today=today,
            in_force=mou.in_force_on(today),
            days_left=(mou.end - today).days if mou.end else None,
            may_edit=may_edit_organisation(self.request.user, mou.organisation),
            editable=mou.status in (MoU.Status.DRAFT, MoU.Status.NEGOTIATION),
        )
        return context


class _MoUMixin:
    def load(self) -> None:
        try:
            self.mou = mou_get(pk=self.kwargs["pk"])
        except MoU.DoesNotExist:
            raise Http404 from None
        self.organisation = self.mou.organisation

    def get_cancel_url(self) -> str:
        return reverse("partners:mou_detail", args=[self.mou.pk])

    def get_success_url(self) -> str:
        return reverse("partners:mou_detail", args=[self.result.pk])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["mou"] = self.mou
        return context


class MoUCreateView(ServiceFormView):
    form_class = MoUForm
    page_title = "Draft an MoU"
    submit_label = "Save draft"
    success_message = "MoU drafted."

    def load(self) -> None:
        self.organisation = organisation_for(self.kwargs["pk"])

    def perform(self, form: MoUForm) -> MoU:
        return services.mou_create(
            organisation=self.organisation,
            actor=self.request.user,
            **form.service_fields(),
        )

    def get_success_url(self) -> str:
        return reverse("partners:mou_detail", args=[self.result.pk])


class MoUUpdateView(_MoUMixin, ServiceFormView):
    form_class = MoUForm
    page_title = "Edit MoU"
    submit_label = "Save MoU"
    success_message = "MoU saved."

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = MoU.objects.get(pk=self.mou.pk)
        return kwargs

    def perform(self, form: MoUForm) -> MoU:
        return services.mou_update(
            mou=self.mou, actor=self.request.user, **form.service_fields()
        )


class MoUUploadView(_MoUMixin, ServiceFormView):
    form_class = MoUDocumentForm
    page_title = "Upload the signed MoU"
    submit_label = "Upload"
    success_message = "Signed document uploaded."

    @property
    def intro(self) -> str:
        from django.conf import settings
        from django.template.defaultfilters import filesizeformat

        return (
            "A PDF of the signed MoU, up to "
            f"{filesizeformat(settings.MOU_DOCUMENT_MAX_BYTES)}."
        )

    def perform(self, form: MoUDocumentForm) -> MoU:
        return services.mou_update(
            mou=self.mou,
            actor=self.request.user,
            document=form.cleaned_data["document"],
        )


class MoUDocumentView(StaffRequiredMixin, View):
    """The signed PDF, for staff only (media is never served publicly)."""

    def get(self, request, *args, **kwargs):
        mou = get_object_or_404(MoU, pk=kwargs["pk"])
        return mou_document_response(mou=mou)


class MoUSignView(_MoUMixin, ServiceFormView):
    form_class = MoUSignForm
    page_title = "Sign the MoU"
    intro = "Both signatories, the date it was signed and the period it covers."
    submit_label = "Record signature"
    success_message = "MoU signed."

    def get_initial(self) -> dict[str, Any]:
        return {
            "signed_on": timezone.localdate(),
            "start": self.mou.start,
            "end": self.mou.end,
            "ceop_signatory": self.mou.ceop_signatory,
            "partner_signatory": self.mou.partner_signatory,
        }

    def perform(self, form: MoUSignForm) -> MoU:
        return services.mou_sign(
            mou=self.mou, actor=self.request.user, **form.cleaned_data
        )


class MoURenewView(_MoUMixin, ServiceFormView):
    form_class = MoURenewForm
    page_title = "Renew the MoU"
    intro = (
        "Drafts the next MoU with the same objectives, marketing terms and ownership "
        "hierarchy. Sign it when it is agreed."
    )
    submit_label = "Draft renewal"
    success_message = "Renewal drafted."

    def get_initial(self) -> dict[str, Any]:
        if self.mou.end:
            start = self.mou.end + timedelta(days=1)
            return {"start": start, "end": _years_later(start, 3) - timedelta(days=1)}
        return {}

    def perform(self, form: MoURenewForm) -> MoU:
        return services.mou_renew(
            mou=self.mou, actor=self.request.user, **form.cleaned_data
        )


class MoUTerminateView(_MoUMixin, ServiceFormView):
    form_class = MoUTerminateForm
    page_title = "Terminate the MoU"
    intro = (
        "Terminating ends the MoU on the date given. A Strategic Partner or Partner "
        "association resting on it will need a new MoU or a move of level."
    )
    submit_label = "Terminate MoU"
    danger = True
    success_message = "MoU terminated."

    def get_initial(self) -> dict[str, Any]:
        return {"terminated_on": timezone.localdate()}

    def perform(self, form: MoUTerminateForm) -> MoU:
        return services.mou_terminate(
            mou=self.mou,
            on=form.cleaned_data["terminated_on"],
            reason=form.cleaned_data["termination_reason"],
            actor=self.request.user,
        )


class OwnershipLevelCreateView(_MoUMixin, ServiceFormView):
    form_class = OwnershipLevelForm
    page_title = "Add a level to the ownership hierarchy"
    intro = (
        "Who owns an issue at each level, on both sides. Level 1 is the first point "
        "of contact; an issue escalates one level at a time."
    )
    submit_label = "Add level"
    success_message = "Ownership level added."

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = OwnershipLevel(mou=self.mou)
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        levels = [lvl.level for lvl in self.mou.ownership_levels.all()]
        return {"level": max(levels, default=0) + (0 if len(levels) % 2 else 1)}

    def perform(self, form: OwnershipLevelForm) -> MoU:
        services.ownership_level_save(level=form.instance, actor=self.request.user)
        return self.mou
