"""The data protection room's pages: only the data protection officer and
administrators reach them (DataProtectionRequiredMixin)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from ceop_crm.access import DataProtectionRequiredMixin
from ceop_crm.forms import add_service_error
from ceop_crm.privacy import services
from ceop_crm.privacy.forms import ErasureForm, PersonForm
from ceop_crm.privacy.models import (
    ErasureEvent,
    PrivacyNotice,
    ReadLogEntry,
    SubjectAccessExport,
)
from ceop_crm.privacy.selectors import (
    erasure_event_list,
    person_search,
    subject_access_export_get,
    subject_access_export_list,
)
from ceop_crm.privacy.sources import personal_data_sources


class PersonSearchView(DataProtectionRequiredMixin, TemplateView):
    template_name = "staff/privacy/search.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        submitted = bool(self.request.GET)
        form = PersonForm(self.request.GET or None)
        matches = None
        if submitted and form.is_valid():
            query = form.person_query(exact=False)
            matches = person_search(query=query)
            services.read_log_record(
                user=self.request.user,
                kind=ReadLogEntry.Kind.PERSON_SEARCH,
                what=f"Person search: {len(matches)} matches",
                request=self.request,
                query=" / ".join(query.terms),
            )
        context.update(
            nav_section="privacy",
            form=form,
            matches=matches,
            current=[m for m in matches or [] if not m.is_history],
            versions=[m for m in matches or [] if m.is_history],
            exports=list(subject_access_export_list(user=self.request.user)[:10]),
            erasures=list(erasure_event_list()[:10]),
        )
        return context


class SubjectAccessExportCreateView(DataProtectionRequiredMixin, View):
    def post(self, request) -> HttpResponse:
        form = PersonForm(request.POST)
        if form.is_valid():
            try:
                export = services.subject_access_export_request(
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data.get("email") or "",
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                return HttpResponseRedirect(
                    reverse("privacy:export_detail", args=[export.pk])
                )
        else:
            messages.error(request, "Give the person's name or email.")
        return HttpResponseRedirect(reverse("privacy:search"))


def _own_export(request, pk: int) -> SubjectAccessExport:
    try:
        return subject_access_export_get(pk=pk, user=request.user)
    except SubjectAccessExport.DoesNotExist:
        raise Http404("No such export of yours.") from None


class SubjectAccessExportDetailView(DataProtectionRequiredMixin, TemplateView):
    template_name = "staff/privacy/export_detail.html"

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False):
            return ["staff/privacy/partials/export_progress.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            nav_section="privacy", export=_own_export(self.request, kwargs["pk"])
        )
        return context


class SubjectAccessExportDownloadView(DataProtectionRequiredMixin, View):
    def get(self, request, pk: int) -> HttpResponse:
        export = _own_export(request, pk)
        if export.status != SubjectAccessExport.Status.DONE or not export.file:
            raise Http404("This export is not ready.")
        services.subject_access_export_downloaded(export=export, request=request)
        return FileResponse(
            export.file.open("rb"),
            as_attachment=True,
            filename=f"subject-access-{export.pk}-{export.created_at:%Y%m%d}.zip",
            content_type="application/zip",
        )


class PersonEraseView(DataProtectionRequiredMixin, FormView):
    template_name = "staff/privacy/erase.html"
    form_class = ErasureForm

    def get_initial(self) -> dict:
        return {
            "name": self.request.GET.get("name", ""),
            "email": self.request.GET.get("email", ""),
        }

    def _preview(self, form: ErasureForm) -> dict:
        lookup = PersonForm(
            {"name": form["name"].value() or "", "email": form["email"].value() or ""}
        )
        if not lookup.is_valid():
            return {}
        plan = services.person_erasure_plan(
            query=lookup.person_query(exact=True), today=timezone.localdate()
        )
        matches = person_search(query=plan.query) if plan.query else []
        return {
            "plan": plan,
            "matches": matches,
            "current": [m for m in matches if not m.is_history],
            "versions": [m for m in matches if m.is_history],
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(nav_section="privacy", **self._preview(context["form"]))
        return context

    def form_valid(self, form: ErasureForm) -> HttpResponse:
        try:
            event = services.person_erase(
                query=form.person_query(exact=True),
                reason=form.cleaned_data["reason"],
                actor=self.request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "The person has been erased everywhere.")
        return HttpResponseRedirect(reverse("privacy:erasure_detail", args=[event.pk]))


class ErasureEventDetailView(DataProtectionRequiredMixin, TemplateView):
    template_name = "staff/privacy/erasure_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        event = get_object_or_404(
            ErasureEvent.objects.select_related("actor"), pk=kwargs["pk"]
        )
        labels = {
            **{source.key: source.label for source in personal_data_sources()},
            "other_text": "Other rows naming them (any table)",
            "subject_access_exports_deleted": "Subject access exports deleted",
        }
        counts = [
            (labels[key], event.counts[key]) for key in labels if key in event.counts
        ] + [(key, value) for key, value in event.counts.items() if key not in labels]
        context.update(nav_section="privacy", event=event, counts=counts)
        return context


class PrivacyNoticeView(TemplateView):
    """Public: linked from the public form, the portal and the sign-in pages."""

    template_name = "privacy/notice.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["notice"] = PrivacyNotice.objects.filter(pk=1).first()
        return context
