"""Every report by its slug, how to build one, and its downloads."""

import io

from django.http import HttpResponse
from django.utils import timezone

from partners.reports.annual_review import report_annual_review
from partners.reports.base import Report, ReportSpec
from partners.reports.coverage import report_priority_coverage
from partners.reports.figures import report_figures_cached
from partners.reports.levels import report_partners_by_tier
from partners.reports.lists import report_contacts, report_mous
from partners.reports.reviews import report_reviews


def _report_organisations(**kwargs) -> Report:
    from partners.report_organisations import report_organisations

    return report_organisations(**kwargs)


REPORTS: dict[str, ReportSpec] = {
    spec.slug: spec
    for spec in (
        ReportSpec(
            "organisations",
            "Organisations",
            "The organisation list: level, owner, MoU and reviews of each.",
            _report_organisations,
        ),
        ReportSpec(
            "partners-by-tier",
            "Partners by tier and sector",
            "Current levels of association by sector.",
            report_partners_by_tier,
            cached=True,
        ),
        ReportSpec(
            "reviews",
            "Reviews per quarter",
            "Reviews due, done on time, late and overdue in each monitoring window.",
            report_reviews,
            takes_year=True,
            cached=True,
        ),
        ReportSpec(
            "mous",
            "MoUs by state and end date",
            "Every MoU by state, soonest end first.",
            report_mous,
        ),
        ReportSpec(
            "priority-coverage",
            "Priority-area coverage",
            "Agreed support for each of the 11 priority areas, with the gaps.",
            report_priority_coverage,
            cached=True,
        ),
        ReportSpec(
            "annual-review",
            "Annual Review recognition list",
            "Associations current in the year, by level; never suppliers.",
            report_annual_review,
            takes_year=True,
        ),
        ReportSpec(
            "contacts",
            "Contacts",
            "Every organisation's contacts (personal data: reads are logged).",
            report_contacts,
            personal_data=True,
        ),
    )
}


def report_build(
    *, slug: str, year: str | None = None, limit: int | None = None
) -> Report:
    """Build a report by its slug (KeyError when there is none). With ``limit``,
    the long reports read only that many rows and put their number of rows in
    ``options["total_rows"]``; the others build every row. The aggregate
    reports are shared between requests (partners.reports.figures)."""
    spec = REPORTS[slug]
    today = timezone.localdate()
    if spec.cached:
        return report_figures_cached(
            f"report:{slug}:{year or ''}",
            today=today,
            build=lambda: spec.build(today=today, year=year),
        )
    return spec.build(today=today, year=year, limit=limit)


# --- Downloads ---------------------------------------------------------------
# Built whole in memory from a Report: the reference the streamed downloads
# (partners.downloads) are tested against, with the same writers.


def report_csv(report: Report) -> HttpResponse:
    from partners.downloads.writers import CSV_CONTENT_TYPE, csv_chunks

    rows = ((row, i in report.highlight) for i, row in enumerate(report.rows))
    response = HttpResponse(
        "".join(csv_chunks(report.columns, rows)), content_type=CSV_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(report)}.csv"'
    return response


def report_xlsx(report: Report) -> HttpResponse:
    from partners.downloads.writers import XLSX_CONTENT_TYPE, xlsx_write

    out = io.BytesIO()
    rows = ((row, i in report.highlight) for i, row in enumerate(report.rows))
    xlsx_write(title=report.title, columns=report.columns, rows=rows, out=out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(report)}.xlsx"'
    return response


def _filename(report: Report) -> str:
    from partners.downloads.writers import file_stem

    return file_stem(report.slug, report.options.get("year", ""))
