"""What every workspace view shares: service errors on forms, object-level edit rights."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views.generic import FormView

from ceop_crm.access import EditorRequiredMixin, may_edit_organisation
from ceop_crm.forms import add_service_error
from ceop_crm.roles import can_edit
from partners.models import Organisation


class ServiceFormView(EditorRequiredMixin, FormView):
    """A form whose valid input goes to one service.

    Subclasses set `organisation` in `load()` (checked against the user's edit
    rights), implement `perform(form)` (calling the service) and
    `get_success_url()`. A service error is shown on the form, which keeps what
    was typed.
    """

    template_name = "staff/form.html"
    page_title = ""
    intro = ""
    submit_label = "Save"
    danger = False
    success_message = "Saved."
    nav_section = "organisations"
    organisation: Organisation | None = None
    result: Any = None

    def dispatch(self, request, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated and can_edit(request.user):
            self.load()
            if self.organisation is not None and not may_edit_organisation(
                request.user, self.organisation
            ):
                raise PermissionDenied(
                    "Only the relationship owner, the deputy or a senior manager "
                    "can change this organisation."
                )
        return super().dispatch(request, *args, **kwargs)

    def load(self) -> None:
        """Fetch the objects of the URL; set self.organisation when there is one."""

    def perform(self, form: BaseForm) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def get_page_title(self) -> str:
        return self.page_title

    def get_cancel_url(self) -> str:
        if self.organisation is not None:
            return self.organisation_url()
        return "/"

    def organisation_url(self) -> str:
        from django.urls import reverse

        return reverse("partners:organisation_detail", args=[self.organisation.pk])

    def get_success_message(self) -> str:
        return self.success_message

    def form_valid(self, form: BaseForm) -> HttpResponse:
        try:
            self.result = self.perform(form)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.get_success_message())
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form: BaseForm) -> HttpResponse:
        messages.error(self.request, "Please correct the errors below.")
        return super().form_invalid(form)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            page_title=self.get_page_title(),
            intro=self.intro,
            submit_label=self.submit_label,
            danger=self.danger,
            cancel_url=self.get_cancel_url(),
            organisation=self.organisation,
            nav_section=self.nav_section,
        )
        return context


def organisation_for(pk: int) -> Organisation:
    return get_object_or_404(Organisation.objects.select_related("owner"), pk=pk)


def query_without_page(request) -> str:
    """The request's query string without its page number (for pagination links)."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
