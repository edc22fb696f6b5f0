"""Staff side of the portal: a relationship manager invites a contact, sees who
has access and revokes it.

Mounted by the workspace (see staff_urls.py); partner users never reach it
(PartnerAreaMiddleware) and only editors may invite.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView, View

from ceop_crm.access import EditorRequiredMixin, may_edit_organisation
from ceop_crm.forms import add_service_error
from partners.models import Contact, Organisation, PortalMembership
from partners.portal.services import portal_access_revoke, portal_invite
from partners.selectors import relationship_is_live


class PortalInviteForm(forms.Form):
    contact = forms.ModelChoiceField(
        label="Contact to invite",
        queryset=Contact.objects.none(),
        empty_label=None,
        help_text="They receive an email with a link, valid for seven days, to set a password.",
    )

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = (
            Contact.objects.filter(organisation=organisation)
            .exclude(email="")
            .order_by("-is_primary", "name")
        )
        self.fields["contact"].label_from_instance = lambda c: f"{c.name} <{c.email}>"


class _OrganisationPortalMixin(EditorRequiredMixin):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.organisation = get_object_or_404(Organisation, pk=kwargs["pk"])

    def has_role(self, user) -> bool:
        # Portal access opens the organisation's records to outsiders: the
        # owner, the deputy or a senior manager only, as for any other change.
        return super().has_role(user) and may_edit_organisation(user, self.organisation)


class PortalInviteView(_OrganisationPortalMixin, FormView):
    template_name = "portal/staff/invite.html"
    form_class = PortalInviteForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["organisation"] = self.organisation
        return kwargs

    def form_valid(self, form):
        try:
            membership = portal_invite(
                contact=form.cleaned_data["contact"], actor=self.request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Invitation sent to {membership.user.email}; the link is valid for seven days.",
        )
        return redirect(self.request.path)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            organisation=self.organisation,
            nav_section="organisations",
            relationship_live=relationship_is_live(
                organisation_id=self.organisation.pk
            ),
            memberships=PortalMembership.objects.filter(organisation=self.organisation)
            .select_related("user", "contact", "invited_by")
            .order_by("user__email"),
            **kwargs,
        )


class PortalAccessRevokeView(_OrganisationPortalMixin, View):
    """POST only: end one person's portal access (and spend their invitation)."""

    def post(self, request, pk: int, membership_pk: int):
        membership = get_object_or_404(
            PortalMembership.objects.select_related("user"),
            pk=membership_pk,
            organisation=self.organisation,
        )
        user = portal_access_revoke(membership=membership, actor=request.user)
        messages.success(
            request, f"{user.email or user.get_username()} no longer has portal access."
        )
        return redirect("portal_staff:invite", pk=self.organisation.pk)
