"""Workspace pages of imports (senior managers and administrators only)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView
from django_htmx.http import HttpResponseClientRedirect

from ceop_crm.access import SeniorManagerRequiredMixin
from ceop_crm.forms import add_service_error
from partners.forms import ConfirmForm
from partners.imports import services
from partners.imports.forms import ImportMappingForm, ImportUploadForm
from partners.imports.mapping import import_job_map
from partners.imports.models import ImportJob, ImportRow
from partners.imports.selectors import (
    import_job_get,
    import_job_list,
    import_preview,
    import_result_rows,
    import_row_name,
)
from partners.views.base import query_without_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _JobMixin(SeniorManagerRequiredMixin):
    nav_section = "organisations"

    def job(self) -> ImportJob:
        if not hasattr(self, "_job"):
            try:
                self._job = import_job_get(pk=self.kwargs["pk"])
            except ImportJob.DoesNotExist:
                raise Http404 from None
        return self._job


class ImportListView(SeniorManagerRequiredMixin, FormView):
    """Earlier imports and the upload of a new file."""

    template_name = "staff/imports/import_list.html"
    form_class = ImportUploadForm

    def form_valid(self, form: ImportUploadForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        try:
            job = services.import_job_create(
                name=upload.name, content=upload.read(), actor=self.request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        return HttpResponseRedirect(reverse("partners:import_mapping", args=[job.pk]))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(nav_section="organisations", jobs=import_job_list()[:20])
        return context


class ImportMappingView(_JobMixin, FormView):
    template_name = "staff/imports/import_mapping.html"
    form_class = ImportMappingForm

    def get(self, request, *args, **kwargs):
        if self.job().status != ImportJob.Status.UPLOADED:
            return HttpResponseRedirect(
                reverse("partners:import_detail", args=[self.job().pk])
            )
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        samples = list(
            self.job().rows.order_by("number").values_list("values", flat=True)[:3]
        )
        kwargs.update(job=self.job(), samples=samples)
        return kwargs

    def form_valid(self, form: ImportMappingForm) -> HttpResponse:
        try:
            import_job_map(
                job=self.job(), mapping=form.mapping(), actor=self.request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        return HttpResponseRedirect(
            reverse("partners:import_detail", args=[self.job().pk])
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            job=self.job(), nav_section=self.nav_section, **kwargs
        )


class ImportDetailView(_JobMixin, TemplateView):
    """The preview of an import not yet confirmed; its progress once it is."""

    def get(self, request, *args, **kwargs):
        if self.job().status == ImportJob.Status.DONE:
            return HttpResponseRedirect(
                reverse("partners:import_result", args=[self.job().pk])
            )
        return super().get(request, *args, **kwargs)

    def get_template_names(self) -> list[str]:
        if self.job().status == ImportJob.Status.UPLOADED:
            return ["staff/imports/import_preview.html"]
        return ["staff/imports/import_progress.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        job = self.job()
        context.update(job=job, nav_section=self.nav_section)
        if job.status == ImportJob.Status.UPLOADED:
            problems = self.request.GET.get("problems") == "1"
            context.update(
                preview=import_preview(
                    job=job,
                    page_number=self.request.GET.get("page"),
                    problems_only=problems,
                ),
                problems_only=problems,
                query=query_without_page(self.request),
                confirm_form=ConfirmForm(),
            )
        return context


class ImportConfirmView(_JobMixin, FormView):
    """Start an import (the preview's button posts here)."""

    template_name = "staff/form.html"
    form_class = ConfirmForm

    def form_valid(self, form: ConfirmForm) -> HttpResponse:
        try:
            services.import_job_confirm(job=self.job(), actor=self.request.user)
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
        return HttpResponseRedirect(
            reverse("partners:import_detail", args=[self.job().pk])
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        job = self.job()
        return super().get_context_data(
            page_title=f"Import {job.file_name}?",
            intro=(
                f"{job.total} row{'s' if job.total != 1 else ''} will be imported "
                "in the background, each through the workspace's rules."
            ),
            submit_label="Import",
            cancel_url=reverse("partners:import_detail", args=[job.pk]),
            nav_section=self.nav_section,
            **kwargs,
        )


class ImportProgressView(_JobMixin, View):
    """The progress bar, polled by htmx until the import is done."""

    def get(self, request, *args, **kwargs):
        job = self.job()
        if job.status == ImportJob.Status.DONE and request.htmx:
            return HttpResponseClientRedirect(
                reverse("partners:import_result", args=[job.pk])
            )
        return render(request, "staff/imports/_progress.html", {"job": job})


class ImportResultView(_JobMixin, TemplateView):
    template_name = "staff/imports/import_result.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        job = self.job()
        outcome = self.request.GET.get("outcome", "")
        page = import_result_rows(
            job=job, outcome=outcome, page_number=self.request.GET.get("page")
        )
        rows = [(row, import_row_name(row, job)) for row in page.object_list]
        context.update(
            job=job,
            page=page,
            rows=rows,
            outcome=outcome,
            outcomes=[
                (value, label)
                for value, label in ImportRow.Outcome.choices
                if value != ImportRow.Outcome.PENDING
            ],
            query=query_without_page(self.request),
            nav_section=self.nav_section,
        )
        return context


class ImportFailedRowsView(_JobMixin, View):
    """The failed rows as a spreadsheet, with each reason, to fix and import again."""

    def get(self, request, *args, **kwargs):
        job = self.job()
        stem = job.file_name.rsplit(".", 1)[0] or "import"
        response = HttpResponse(
            services.import_failed_rows_xlsx(job=job), content_type=XLSX
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{stem}-failed-rows.xlsx"'
        )
        return response
