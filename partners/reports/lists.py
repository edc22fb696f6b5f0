"""The long reports: MoUs by state and end date, and contacts (personal data, logged when read)."""

from datetime import date

from django.db.models import Count

from partners.click_through import links_contacts, links_mous
from partners.models import (
    MoU,
)
from partners.reports.base import Report, _fill
from partners.reports.figures import report_figures_cached

# --- MoUs by state and end date ---------------------------------------------


def report_mous(*, today: date, limit: int | None = None, **_) -> Report:
    from partners.downloads.sources import report_rows_mous

    source = report_rows_mous(today, None)
    report = Report(
        slug="mous",
        title=source.title,
        description="Every Memorandum of Understanding, by state, soonest end "
        "first. The figures count the organisations holding an MoU in each state.",
        columns=source.columns,
    )
    keys = _fill(report, source, limit)
    labels = dict(MoU.Status.choices)
    order = {s: i for i, s in enumerate(MoU.Status.values)}
    summary = report_figures_cached(
        "report:mous:summary",
        today=today,
        build=lambda: list(
            MoU.objects.values("status")
            .annotate(n=Count("organisation", distinct=True))
            .order_by("status")
        ),
    )
    report.options["summary"] = [
        (r["status"], labels[r["status"]], r["n"])
        for r in sorted(summary, key=lambda r: order[r["status"]])
    ]
    links_mous(report, keys=keys)
    return report


# --- Contacts ---------------------------------------------------------------


def report_contacts(*, today: date, limit: int | None = None, **_) -> Report:
    from partners.downloads.sources import report_rows_contacts

    source = report_rows_contacts(today, None)
    report = Report(
        slug="contacts",
        title=source.title,
        description="Every organisation's contacts, primary contact first.",
        columns=source.columns,
        note="Personal data: each view and download is recorded in the read log.",
    )
    keys = _fill(report, source, limit)
    # The contacts it holds: those a page shows, or every one for a download.
    report.options["contact_ids"] = [contact for _org, contact in keys]
    links_contacts(report, keys=keys)
    return report
