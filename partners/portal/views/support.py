"""Support: what the organisation gives, its proposals and contributions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from ceop_crm.forms import add_service_error
from partners.models import Proposal
from partners.portal import forms as portal_forms
from partners.portal.mixins import PortalOrganisationMixin
from partners.portal.selectors import (
    priority_area_list,
    threat_list_current,
)
from partners.services import (
    proposal_submit,
)

# Support -------------------------------------------------------------------------


class SupportView(PortalOrganisationMixin, TemplateView):
    template_name = "portal/support.html"
    portal_section = "support"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            priority_areas=priority_area_list(),
            proposals=self.scope.proposals(),
            contributions=self.scope.contributions(),
            **kwargs,
        )


class ProposalCreateView(PortalOrganisationMixin, FormView):
    template_name = "portal/proposal_form.html"
    form_class = portal_forms.ProposalForm
    portal_section = "support"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["priority_areas"] = priority_area_list()
        kwargs["threats"] = threat_list_current(today=timezone.localdate())
        initial_area = self.request.GET.get("area")
        if initial_area and initial_area.isdigit():
            kwargs.setdefault("initial", {})["priority_areas"] = [int(initial_area)]
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        membership = self.scope.membership
        contact = membership.contact
        try:
            proposal = proposal_submit(
                organisation=self.scope.organisation,
                title=data["title"],
                offer=data["offer"],
                kind=data["kind"],
                priority_areas=data["priority_areas"],
                threat=data.get("threat"),
                new_threat=data.get("new_threat", ""),
                source=Proposal.Source.PORTAL,
                actor=self.request.user,
                contact_name=contact.name
                if contact
                else self.request.user.get_full_name(),
                contact_email=(contact.email if contact else "")
                or self.request.user.email,
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            "Thank you. Your proposal has been sent to CEOP; you can follow its progress here.",
        )
        return redirect("portal:proposal_detail", proposal_pk=proposal.pk)


class ProposalDetailView(PortalOrganisationMixin, TemplateView):
    template_name = "portal/proposal_detail.html"
    portal_section = "support"

    def get_context_data(self, **kwargs):
        proposal = self.scoped_object(
            self.scope.proposals(), pk=self.kwargs["proposal_pk"]
        )
        return super().get_context_data(proposal=proposal, **kwargs)


class ContributionDetailView(PortalOrganisationMixin, TemplateView):
    template_name = "portal/contribution_detail.html"
    portal_section = "support"

    def get_context_data(self, **kwargs):
        contribution = self.scoped_object(
            self.scope.contributions(), pk=self.kwargs["contribution_pk"]
        )
        return super().get_context_data(contribution=contribution, **kwargs)
