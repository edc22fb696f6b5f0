"""Workspace pages of joint support: who works with the lead on a contribution."""

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView

from ceop_crm.access import StaffRequiredMixin
from partners.forms import ConfirmForm
from partners.joint import services
from partners.joint.forms import OPTIONS_ID, ContributionPartyForm
from partners.joint.models import ContributionParty
from partners.joint.selectors import contribution_party_list, organisation_autocomplete
from partners.models import Contribution
from partners.views.base import ServiceFormView


class ContributionPartiesView(ServiceFormView):
    """The organisations working on a contribution, and a form to add one."""

    form_class = ContributionPartyForm
    template_name = "staff/partners/contribution_parties.html"
    submit_label = "Add the organisation"
    success_message = "Organisation added to the contribution."
    intro = (
        "The strategy encourages partners and supporters to work together. The "
        "contribution stays with its lead organisation; those added here see it, "
        "read-only, on their page and in their portal."
    )

    def load(self) -> None:
        self.contribution = get_object_or_404(
            Contribution.objects.select_related("organisation"), pk=self.kwargs["pk"]
        )
        self.organisation = self.contribution.organisation

    def get_page_title(self) -> str:
        return f"Organisations working on {self.contribution.title}"

    def perform(self, form: ContributionPartyForm) -> ContributionParty:
        return services.contribution_party_add(
            contribution=self.contribution,
            organisation=form.cleaned_data["organisation"],
            actor=self.request.user,
        )

    def get_success_message(self) -> str:
        return f"{self.result.organisation.name} now works on this contribution."

    def get_success_url(self) -> str:
        return reverse("partners:contribution_parties", args=[self.contribution.pk])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            contribution=self.contribution,
            parties=list(contribution_party_list(contribution=self.contribution)),
            options_id=OPTIONS_ID,
            **kwargs,
        )


class ContributionPartyRemoveView(ServiceFormView):
    form_class = ConfirmForm
    danger = True
    submit_label = "Remove"

    def load(self) -> None:
        self.party = get_object_or_404(
            ContributionParty.objects.select_related(
                "organisation", "contribution__organisation"
            ),
            pk=self.kwargs["party_pk"],
        )
        # Compared here, not in the query: a foreign key lookup with an id past
        # 64 bits overflows on SQLite where a primary key lookup finds nothing.
        if self.party.contribution_id != self.kwargs["pk"]:
            raise Http404("No such organisation on this contribution.")
        self.organisation = self.party.contribution.organisation

    def get_page_title(self) -> str:
        return (
            f"Remove {self.party.organisation.name} from "
            f"{self.party.contribution.title}"
        )

    def perform(self, form: ConfirmForm) -> None:
        services.contribution_party_remove(party=self.party, actor=self.request.user)

    def get_success_message(self) -> str:
        return f"{self.party.organisation.name} no longer works on this contribution."

    def get_success_url(self) -> str:
        return reverse(
            "partners:contribution_parties", args=[self.party.contribution_id]
        )

    def get_cancel_url(self) -> str:
        return self.get_success_url()


class OrganisationAutocompleteView(StaffRequiredMixin, TemplateView):
    """Suggestions for an organisation's name, as <option>s of a datalist (htmx)."""

    template_name = "staff/partners/_organisation_options.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        query = self.request.GET.get("organisation") or self.request.GET.get("q", "")
        return super().get_context_data(
            organisations=organisation_autocomplete(q=query), **kwargs
        )
