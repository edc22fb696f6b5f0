"""Report downloads: streamed when small enough, otherwise built by the worker."""

import tempfile
from typing import Any

from django.contrib import messages
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from ceop_crm.access import StaffRequiredMixin
from ceop_crm.exceptions import ApplicationError
from ceop_crm.privacy.models import ReadLogEntry
from ceop_crm.privacy.services import contacts_read_log
from partners.downloads.models import ReportDownload
from partners.downloads.selectors import report_download_get, report_download_threshold
from partners.downloads.services import report_download_request
from partners.downloads.sources import ReportRows, report_rows
from partners.downloads.writers import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    csv_chunks,
    xlsx_write,
)
from partners.reports import REPORTS


def _log_personal_data(request, source: ReportRows, how: str) -> None:
    if source.contact_ids is not None:
        contacts_read_log(
            request=request,
            kind=ReadLogEntry.Kind.CONTACT_EXPORT,
            what=f"Report “{source.title}” ({how})",
            contact_ids=source.contact_ids(),
        )


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ReportDownloadView(StaffRequiredMixin, View):
    """GET: the file, streamed; past the threshold, a page offering to build it.
    POST: ask the worker to build it."""

    def _source(self, slug: str, fmt: str) -> ReportRows:
        if slug not in REPORTS or fmt not in ReportDownload.Format.values:
            raise Http404("Reports download as csv or xlsx.")
        return report_rows(slug=slug, year=self.request.GET.get("year") or None)

    def get(self, request, slug: str, fmt: str) -> HttpResponse:
        source = self._source(slug, fmt)
        if source.count > report_download_threshold():
            return TemplateView.as_view(
                template_name="staff/reports/download_offer.html",
                extra_context={
                    "nav_section": "reports",
                    "source": source,
                    "fmt": fmt,
                    "year": request.GET.get("year", ""),
                    "threshold": report_download_threshold(),
                },
            )(request)
        _log_personal_data(request, source, f"{fmt} download")
        filename = f"{source.file_stem}.{fmt}"
        if fmt == "csv":
            return _attachment(
                StreamingHttpResponse(
                    csv_chunks(source.columns, source.rows()),
                    content_type=CSV_CONTENT_TYPE,
                ),
                filename,
            )
        # Below the threshold: a small workbook, spooled to disk if it grows;
        # FileResponse closes it once sent.
        out = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115
        xlsx_write(
            title=source.title, columns=source.columns, rows=source.rows(), out=out
        )
        out.seek(0)
        return FileResponse(
            out, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
        )

    def post(self, request, slug: str, fmt: str) -> HttpResponse:
        self._source(slug, fmt)
        try:
            download = report_download_request(
                actor=request.user, slug=slug, fmt=fmt, year=request.GET.get("year")
            )
        except ApplicationError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("workspace:report", args=[slug]))
        return HttpResponseRedirect(
            reverse("workspace:report_download_detail", args=[download.pk])
        )


def _own(request, pk: int) -> ReportDownload:
    try:
        return report_download_get(pk=pk, user=request.user)
    except ReportDownload.DoesNotExist:
        raise Http404("No such download of yours.") from None


class ReportDownloadDetailView(StaffRequiredMixin, TemplateView):
    """The download's progress; htmx polls the partial until it is finished."""

    template_name = "staff/reports/download_detail.html"

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False):
            return ["staff/reports/partials/download_progress.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        download = _own(self.request, kwargs["pk"])
        context.update(
            nav_section="reports",
            download=download,
            spec=REPORTS.get(download.slug),
            list_title=_list_title(download.slug),
        )
        return context


def _list_title(slug: str) -> str:
    """A list's title, for the download of a list (ceop_crm.lists)."""
    from ceop_crm.lists.exports import SLUG_PREFIX
    from ceop_crm.lists.registry import LISTS, list_spec

    name = slug.removeprefix(SLUG_PREFIX)
    if not slug.startswith(SLUG_PREFIX) or name not in LISTS:
        return ""
    return list_spec(name).title


class ReportDownloadFileView(StaffRequiredMixin, View):
    def get(self, request, pk: int) -> HttpResponse:
        download = _own(request, pk)
        if download.status != ReportDownload.Status.DONE or not download.file:
            raise Http404("This download is not ready.")
        spec = REPORTS.get(download.slug)
        if spec is not None and spec.personal_data:
            source = report_rows(slug=download.slug, year=download.year or None)
            _log_personal_data(request, source, f"{download.fmt} download")
        return FileResponse(
            download.file.open("rb"),
            as_attachment=True,
            filename=download.file_name,
            content_type=XLSX_CONTENT_TYPE
            if download.fmt == ReportDownload.Format.XLSX
            else CSV_CONTENT_TYPE,
        )
