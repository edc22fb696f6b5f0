"""Reports: each a page; the CSV and XLSX downloads are in partners.downloads."""

from typing import Any

from django.http import Http404
from django.utils import timezone
from django.views.generic import TemplateView

from ceop_crm.access import StaffRequiredMixin
from ceop_crm.privacy.models import ReadLogEntry
from ceop_crm.privacy.services import contacts_read_log
from partners.downloads.selectors import report_download_threshold
from partners.reports import REPORTS, report_build, year_choices

ROWS_ON_PAGE = 500
DOWNLOAD_FORMATS = [
    ("csv", "CSV", "bi-filetype-csv"),
    ("xlsx", "Excel", "bi-file-earmark-excel"),
]


class ReportListView(StaffRequiredMixin, TemplateView):
    template_name = "staff/reports/report_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        from planning.services.scheduled_reports import may_subscribe

        context.update(
            nav_section="reports",
            reports=list(REPORTS.values()),
            may_schedule=may_subscribe(self.request.user),
        )
        return context


def _report(slug: str, year: str | None, limit: int | None = None):
    if slug not in REPORTS:
        raise Http404("No such report.")
    return report_build(slug=slug, year=year or None, limit=limit)


def _log_personal_data(request, report, how: str) -> None:
    if REPORTS[report.slug].personal_data:
        contacts_read_log(
            request=request,
            kind=ReadLogEntry.Kind.CONTACT_EXPORT,
            what=f"Report “{report.title}” ({how})",
            contact_ids=report.options.get("contact_ids", []),
        )


class ReportView(StaffRequiredMixin, TemplateView):
    template_name = "staff/reports/report.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        year = self.request.GET.get("year")
        report = _report(self.kwargs["slug"], year, limit=ROWS_ON_PAGE)
        total_rows = report.options.get("total_rows", len(report.rows))
        spec = REPORTS[self.kwargs["slug"]]
        _log_personal_data(self.request, report, "page")
        context.update(
            nav_section="reports",
            report=report,
            spec=spec,
            rows=[
                (
                    index in report.highlight,
                    [
                        (cell, report.links.get((index, c)))
                        for c, cell in enumerate(row)
                    ],
                )
                for index, row in enumerate(report.rows[:ROWS_ON_PAGE])
            ],
            truncated=total_rows > ROWS_ON_PAGE,
            build_in_background=total_rows > report_download_threshold(),
            download_formats=DOWNLOAD_FORMATS,
            total_rows=total_rows,
            rows_on_page=ROWS_ON_PAGE,
            years=year_choices(timezone.localdate()) if spec.takes_year else [],
            year=report.options.get("year", ""),
        )
        return context
