"""Organisations: the list, the page, create and edit; contacts."""

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.generic import TemplateView

from activities.views import organisation_panel
from ceop_crm.access import StaffRequiredMixin, may_change_ownership
from ceop_crm.lists.views import ListPageView
from ceop_crm.privacy.models import ReadLogEntry
from ceop_crm.privacy.services import contacts_read_log
from partners import services
from partners.dedupe.views import FollowMergedMixin
from partners.forms import ConfirmForm, ContactForm, OrganisationForm
from partners.joint.selectors import (
    contribution_list_involving,
    contribution_party_prefetch,
)
from partners.lists import ORGANISATIONS
from partners.models import Contact, MoU, Organisation
from partners.reports.figures import report_figures_cached
from partners.selectors import (
    due_diligence_list_for_organisation,
    mou_list_for_organisation,
    organisation_at_risk_reasons,
    organisation_contacts,
    organisation_get,
    organisation_history,
    proposal_list,
    relationship_issue_list,
)
from partners.views.base import ServiceFormView, may_edit_organisation, organisation_for
from partners.views.timeline import organisation_timeline_section
from planning.models import Review
from planning.selectors import review_list_for_organisation
from tiers.selectors import (
    association_list_for_organisation,
    benefit_delivery_list_for_organisation,
    tier_change_list_for_organisation,
)

PAGE_SIZE = 25


class OrganisationListView(ListPageView):
    """Filters (partners.filters), sortable headers, chosen columns, saved
    views, export and bulk actions: the list as declared in partners.lists."""

    template_name = "staff/partners/organisation_list.html"
    spec = ORGANISATIONS
    nav_section = "organisations"


def _mou_action(organisation: Organisation, mous: list[MoU]) -> tuple[str, str]:
    """What puts an MoU back in force: sign the draft, renew the last, or draft one."""
    for mou in mous:
        if mou.status in (MoU.Status.DRAFT, MoU.Status.NEGOTIATION):
            return reverse("partners:mou_sign", args=[mou.pk]), "Sign the drafted MoU"
    for mou in mous:
        if mou.status in (MoU.Status.SIGNED, MoU.Status.EXPIRED):
            return reverse("partners:mou_renew", args=[mou.pk]), "Renew the MoU"
    return reverse("partners:mou_create", args=[organisation.pk]), "Draft an MoU"


def organisation_page_lists(*, organisation: Organisation) -> dict[str, list]:
    """The organisation page's lists, which its timeline is built from too."""
    # Each list joins only what this page shows (the selectors serve pages
    # that show more).
    associations = list(
        association_list_for_organisation(organisation=organisation)
        .select_related(None)
        .select_related("tier")
    )
    tier_changes = list(
        tier_change_list_for_organisation(organisation=organisation)
        .select_related(None)
        .select_related("to_tier", "requested_by")
    )
    # The page shows none of the MoUs' ownership levels or objectives, nor the
    # principles of due diligence, nor the proposals' priority areas.
    mous = list(
        mou_list_for_organisation(organisation=organisation).prefetch_related(None)
    )
    reviews = list(
        review_list_for_organisation(organisation=organisation)
        .select_related(None)
        .select_related("milestone__planning_year")
    )
    contributions = list(
        contribution_list_involving(organisation=organisation)
        .prefetch_related(None)
        .prefetch_related("priority_areas", contribution_party_prefetch())
    )
    benefits = list(
        benefit_delivery_list_for_organisation(organisation=organisation)
        .select_related(None)
        .select_related("benefit")
    )
    issues = list(
        relationship_issue_list().filter(organisation=organisation).select_related(None)
    )
    due_diligence = list(
        due_diligence_list_for_organisation(organisation=organisation)
        .select_related(None)
        .prefetch_related(None)
    )
    proposals = list(
        proposal_list()
        .filter(organisation=organisation)
        .select_related(None)
        .prefetch_related(None)
    )
    return {
        "associations": associations,
        "tier_changes": tier_changes,
        "mous": mous,
        "reviews": reviews,
        "contributions": contributions,
        "benefits": benefits,
        "issues": issues,
        "due_diligence": due_diligence,
        "proposals": proposals,
    }


def organisation_page_shared(*, pk: int, today) -> dict[str, Any]:
    """The organisation with its list figures, and its page's lists
    (organisation_page_lists), shared between requests until a change to what
    they read commits (partners.reports.figures; partners.signals names every
    model they read). Its contacts, activities and tasks are read each time:
    viewing contacts is logged, and neither activities nor tasks are counted.
    Raises Organisation.DoesNotExist."""

    def build() -> dict[str, Any]:
        organisation = organisation_get(pk=pk, today=today)
        return {
            "organisation": organisation,
            **organisation_page_lists(organisation=organisation),
        }

    return dict(
        report_figures_cached(f"organisation-page:{pk}", today=today, build=build)
    )


class OrganisationDetailView(FollowMergedMixin, StaffRequiredMixin, TemplateView):
    template_name = "staff/partners/organisation_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        try:
            lists = organisation_page_shared(pk=self.kwargs["pk"], today=today)
        except Organisation.DoesNotExist:
            raise Http404("No such organisation.") from None
        organisation = lists.pop("organisation")
        associations, tier_changes, mous = (
            lists["associations"],
            lists["tier_changes"],
            lists["mous"],
        )
        reviews, contributions, benefits = (
            lists["reviews"],
            lists["contributions"],
            lists["benefits"],
        )
        issues, due_diligence, proposals = (
            lists["issues"],
            lists["due_diligence"],
            lists["proposals"],
        )
        current = next((a for a in associations if a.end is None), None)
        in_force = next((m for m in mous if m.in_force_on(today)), None)
        may_edit = may_edit_organisation(self.request.user, organisation)
        at_risk = organisation_at_risk_reasons(organisation)
        contacts = list(organisation_contacts(organisation=organisation))
        contacts_read_log(
            request=self.request,
            kind=ReadLogEntry.Kind.CONTACT_VIEW,
            what=f"Contacts on the page of organisation #{organisation.pk}",
            contact_ids=[c.pk for c in contacts],
        )
        panel = organisation_panel(
            organisation=organisation, user=self.request.user, contacts=contacts
        )
        kind = self.request.GET.get("kind", "")
        timeline = organisation_timeline_section(
            today=today,
            lists=lists,
            activities=panel["activities"],
            may_edit=may_edit,
            organisation_id=organisation.pk,
            kind=kind,
        )
        context.update(panel)
        context.update(
            timeline,
            nav_section="organisations",
            organisation=organisation,
            today=today,
            may_edit=may_edit,
            current=current,
            associations=associations,
            tier_changes=tier_changes,
            pending_change=next(
                (c for c in tier_changes if c.status == "pending"), None
            ),
            contacts=contacts,
            mous=mous,
            mou_in_force=in_force,
            at_risk=at_risk,
            mou_action=_mou_action(organisation, mous) if at_risk else None,
            reviews=reviews,
            open_reviews=[r for r in reviews if r.status == Review.Status.SCHEDULED],
            contributions=contributions,
            benefits=benefits,
            issues=issues,
            due_diligence=due_diligence,
            due_diligence_current=next(
                (d for d in due_diligence if d.is_current_on(today)), None
            ),
            proposals=proposals,
        )
        return context


class OrganisationHistoryView(FollowMergedMixin, StaffRequiredMixin, TemplateView):
    """Who changed what: loaded into the organisation page by htmx, or a page of
    its own when followed as a link (no JavaScript)."""

    def get_template_names(self) -> list[str]:
        if self.request.htmx:
            return ["staff/partners/_organisation_history.html"]
        return ["staff/partners/organisation_history.html"]

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        # The same URL answers a fragment or a page: caches must tell them apart.
        patch_vary_headers(response, ("HX-Request",))
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        organisation = organisation_for(self.kwargs["pk"])
        context.update(
            nav_section="organisations",
            organisation=organisation,
            history=organisation_history(organisation=organisation),
        )
        return context


class OrganisationCreateView(ServiceFormView):
    form_class = OrganisationForm
    template_name = "staff/partners/organisation_form.html"
    page_title = "New organisation"
    submit_label = "Create organisation"

    def get_initial(self) -> dict[str, Any]:
        return {"owner": self.request.user.pk, "country": "United Kingdom"}

    def get_cancel_url(self) -> str:
        return reverse("partners:organisation_list")

    def perform(self, form: OrganisationForm) -> Organisation:
        return services.organisation_create(
            actor=self.request.user, **form.service_fields()
        )

    def get_success_message(self) -> str:
        return (
            f"{self.result.name} created. Record due diligence before any association."
        )

    def get_success_url(self) -> str:
        return reverse("partners:organisation_detail", args=[self.result.pk])


class OrganisationUpdateView(FollowMergedMixin, ServiceFormView):
    form_class = OrganisationForm
    submit_label = "Save changes"
    success_message = "Organisation saved."

    def load(self) -> None:
        self.organisation = organisation_for(self.kwargs["pk"])

    def get_page_title(self) -> str:
        return f"Edit {self.organisation.name}"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        # A fresh copy, so a failed save never leaks into the page's heading.
        kwargs["instance"] = Organisation.objects.get(pk=self.organisation.pk)
        return kwargs

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if not may_change_ownership(self.request.user, self.organisation):
            for name in ("owner", "deputy"):
                form.fields[name].disabled = True
                form.fields[
                    name
                ].help_text = (
                    "Only the relationship owner or a senior manager changes this."
                )
        return form

    def perform(self, form: OrganisationForm) -> Organisation:
        return services.organisation_update(
            organisation=self.organisation,
            actor=self.request.user,
            **form.service_fields(),
        )

    def get_success_url(self) -> str:
        return self.organisation_url()


class ContactCreateView(ServiceFormView):
    form_class = ContactForm
    page_title = "Add a contact"
    submit_label = "Add contact"
    success_message = "Contact added."

    def load(self) -> None:
        self.organisation = organisation_for(self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Contact(organisation=self.organisation)
        return kwargs

    def perform(self, form: ContactForm) -> Contact:
        return services.contact_save(contact=form.instance, actor=self.request.user)

    def get_success_url(self) -> str:
        return self.organisation_url() + "#contacts"


class ContactUpdateView(ContactCreateView):
    page_title = "Edit contact"
    submit_label = "Save contact"
    success_message = "Contact saved."

    def load(self) -> None:
        self.contact = get_object_or_404(
            Contact.objects.select_related("organisation"), pk=self.kwargs["pk"]
        )
        self.organisation = self.contact.organisation

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super(ContactCreateView, self).get_form_kwargs()
        kwargs["instance"] = self.contact
        return kwargs

    def get(self, request, *args, **kwargs):
        contacts_read_log(
            request=request,
            kind=ReadLogEntry.Kind.CONTACT_VIEW,
            what=f"Contact #{self.contact.pk} opened to edit",
            contact_ids=[self.contact.pk],
        )
        return super().get(request, *args, **kwargs)


class ContactDeleteView(ServiceFormView):
    form_class = ConfirmForm
    submit_label = "Delete contact"
    danger = True

    def load(self) -> None:
        self.contact = get_object_or_404(
            Contact.objects.select_related("organisation"), pk=self.kwargs["pk"]
        )
        self.organisation = self.contact.organisation

    def get_page_title(self) -> str:
        return f"Delete {self.contact.name}?"

    @property
    def intro(self) -> str:
        return (
            f"{self.contact.name} will be removed from {self.organisation.name}'s "
            "contacts. The change is kept in the history."
        )

    def perform(self, form) -> None:
        services.contact_delete(contact=self.contact, actor=self.request.user)

    def get_success_message(self) -> str:
        return f"{self.contact.name} deleted."

    def get_success_url(self) -> str:
        return self.organisation_url() + "#contacts"
