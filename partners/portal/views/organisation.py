"""The organisation's own record: its details, contacts and the brand."""

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView, TemplateView, View

from ceop_crm.forms import add_service_error
from partners.models import Contact
from partners.portal import forms as portal_forms
from partners.portal.mixins import PortalOrganisationMixin
from partners.portal.selectors import (
    logo_entitled,
)
from partners.selectors import mou_in_force
from partners.services import (
    contact_delete,
    contact_save,
    organisation_update,
)

LOGO_PATH = (
    Path(__file__).resolve().parent.parent / "assets" / "official-supporter-logo.svg"
)


# Organisation and contacts ---------------------------------------------------------


class OrganisationView(PortalOrganisationMixin, TemplateView):
    template_name = "portal/organisation.html"
    portal_section = "organisation"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            contacts=self.scope.contacts(),
            association=self.scope.current_association(),
            **kwargs,
        )


def form_fields(view: FormView) -> list[str]:
    return list(view.get_form_class().base_fields)


class OrganisationEditView(PortalOrganisationMixin, FormView):
    template_name = "portal/organisation_form.html"
    form_class = portal_forms.OrganisationProfileForm
    portal_section = "organisation"

    def get_initial(self):
        organisation = self.scope.organisation
        return {name: getattr(organisation, name) for name in form_fields(self)}

    def form_valid(self, form):
        try:
            organisation_update(
                organisation=self.scope.organisation,
                actor=self.request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Your organisation's details are saved.")
        return redirect("portal:organisation")


class ContactFormView(PortalOrganisationMixin, FormView):
    template_name = "portal/contact_form.html"
    form_class = portal_forms.ContactForm
    portal_section = "organisation"

    def get_contact(self) -> Contact:
        if "contact_pk" in self.kwargs:
            return self.scoped_object(
                self.scope.contacts(), pk=self.kwargs["contact_pk"]
            )
        return Contact(organisation=self.scope.organisation)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.contact
        return kwargs

    def get(self, request, *args, **kwargs):
        self.contact = self.get_contact()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.contact = self.get_contact()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        contact = form.save(commit=False)
        contact.organisation = self.scope.organisation
        try:
            contact_save(contact=contact, actor=self.request.user)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{contact.name} is saved.")
        return redirect("portal:organisation")

    def get_context_data(self, **kwargs):
        return super().get_context_data(contact=self.contact, **kwargs)


class ContactDeleteView(PortalOrganisationMixin, TemplateView):
    template_name = "portal/contact_confirm_delete.html"
    portal_section = "organisation"

    def get_contact(self) -> Contact:
        return self.scoped_object(self.scope.contacts(), pk=self.kwargs["contact_pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(contact=self.get_contact(), **kwargs)

    def post(self, request, *args, **kwargs):
        contact = self.get_contact()
        name = contact.name
        try:
            contact_delete(contact=contact, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("portal:organisation")
        messages.success(request, f"{name} has been removed.")
        return redirect("portal:organisation")


# Logo and brand ----------------------------------------------------------------------


class BrandView(PortalOrganisationMixin, TemplateView):
    template_name = "portal/brand.html"
    portal_section = "brand"

    def get_context_data(self, **kwargs):
        association = self.scope.current_association()
        tier = association.tier if association else None
        mou = None
        if tier is not None and tier.requires_mou:
            mou = mou_in_force(
                organisation=self.scope.organisation, on=timezone.localdate()
            )
        return super().get_context_data(
            association=association,
            tier=tier,
            logo_entitled=logo_entitled(association=association),
            is_associated=tier is not None and tier.is_association,
            mou=mou,
            **kwargs,
        )


class LogoDownloadView(PortalOrganisationMixin, View):
    """The logo, for organisations whose tier carries the logo benefit only."""

    def get(self, request):
        if not logo_entitled(association=self.scope.current_association()):
            raise PermissionDenied
        response = HttpResponse(LOGO_PATH.read_bytes(), content_type="image/svg+xml")
        disposition = "attachment" if request.GET.get("download") else "inline"
        response["Content-Disposition"] = (
            f'{disposition}; filename="ceop-official-supporter-logo.svg"'
        )
        response["Cache-Control"] = "private, no-store"
        response["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'"
        )
        return response
