"""The workspace's reports: each is a table (title, columns, rows) read in a few queries.

A report is shown as a page and downloaded as CSV or XLSX from the same rows, so
the three never disagree. The dashboard's plots read the same functions.
"""

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q
from django.http import HttpResponse
from django.utils import timezone

from partners.models import (
    Contribution,
    MoU,
    Organisation,
    Proposal,
    Sector,
)
from planning.models import MilestoneKind, PlanningYear, Review
from planning.selectors import planning_year_label
from priorities.models import PriorityArea
from tiers.models import Association, TierLevel

logger = logging.getLogger(__name__)

AGREED_SUPPORT = (
    Contribution.Status.AGREED,
    Contribution.Status.DELIVERING,
    Contribution.Status.COMPLETED,
)
NO_LEVEL = "No current level"


@dataclass
class Report:
    slug: str
    title: str
    description: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    # Rows whose first cell should stand out (gaps, totals).
    highlight: set[int] = field(default_factory=set)
    note: str = ""
    options: dict = field(default_factory=dict)


@dataclass
class ReportSpec:
    slug: str
    title: str
    description: str
    build: Callable[..., Report]
    takes_year: bool = False
    # Holds contacts' personal data: each view and download is in the read log,
    # with the contacts it held (Report.options["contact_ids"]).
    personal_data: bool = False


def _year(label: str | None, today: date) -> tuple[str, date, date]:
    """A planning year's label and dates (from the database when it is there)."""
    label = label or planning_year_label(today)
    year = PlanningYear.objects.filter(label=label).first()
    if year is not None:
        return year.label, year.start, year.end
    try:
        first = int(label.split("/")[0])
        start, end = date(first, 4, 1), date(first + 1, 3, 31)
    except (ValueError, OverflowError):
        # Not a planning year label: show the current year.
        label = planning_year_label(today)
        first = int(label.split("/")[0])
        start, end = date(first, 4, 1), date(first + 1, 3, 31)
    return label, start, end


def year_choices(today: date) -> list[str]:
    labels = set(PlanningYear.objects.values_list("label", flat=True))
    labels.add(planning_year_label(today))
    return sorted(labels, reverse=True)


# --- Partners by tier and sector --------------------------------------------


def tier_sector_counts(*, today: date | None = None) -> dict:
    """Current associations by tier and sector; organisations with none as NO_LEVEL."""
    counts: dict[tuple[str, str], int] = {}
    for row in (
        Association.objects.filter(end__isnull=True)
        .values("tier__name", "organisation__sector")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[(row["tier__name"], row["organisation__sector"])] = row["n"]
    for row in (
        Organisation.objects.exclude(
            Exists(
                Association.objects.filter(
                    organisation=OuterRef("pk"), end__isnull=True
                )
            )
        )
        .values("sector")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[(NO_LEVEL, row["sector"])] = row["n"]
    tiers = list(TierLevel.objects.order_by("-rank").values_list("name", flat=True))
    return {"tiers": [*tiers, NO_LEVEL], "counts": counts}


def report_partners_by_tier(*, today: date, **_) -> Report:
    data = tier_sector_counts(today=today)
    sectors = list(Sector.choices)
    associated = set(
        TierLevel.objects.filter(is_association=True).values_list("name", flat=True)
    )
    report = Report(
        slug="partners-by-tier",
        title="Partners by tier and sector",
        description="Organisations associated with CEOP by their current level and "
        "sector. Suppliers and contractors are paid in full and are not "
        "associations: they are counted on their own line, outside the total.",
        columns=["Level", *[label for _, label in sectors], "Total"],
    )

    def row_for(tier: str) -> list[int]:
        return [data["counts"].get((tier, code), 0) for code, _ in sectors]

    totals = [0] * len(sectors)
    for tier in data["tiers"]:
        if tier in associated:
            row = row_for(tier)
            totals = [a + b for a, b in zip(totals, row, strict=True)]
            report.rows.append([tier, *row, sum(row)])
    report.rows.append(["Total associated", *totals, sum(totals)])
    report.highlight.add(len(report.rows) - 1)
    for tier in data["tiers"]:
        if tier not in associated:
            row = row_for(tier)
            label = tier if tier == NO_LEVEL else f"{tier} (not an association)"
            report.rows.append([label, *row, sum(row)])
    return report


# --- Reviews per quarter ------------------------------------------------------


def review_quarter_counts(*, label: str | None = None, today: date) -> dict:
    """Reviews of a planning year per monitoring window: due, on time, late, overdue."""
    label, start, end = _year(label, today)
    rows = (
        Review.objects.filter(milestone__planning_year__label=label)
        .exclude(status=Review.Status.CANCELLED)
        .values("milestone__kind", "milestone__quarter")
        .annotate(
            due=Count("pk"),
            on_time=Count(
                "pk",
                filter=Q(
                    status=Review.Status.COMPLETED,
                    completed_on__lte=F("due_on"),
                ),
            ),
            late=Count(
                "pk",
                filter=Q(status=Review.Status.COMPLETED, completed_on__gt=F("due_on")),
            ),
            overdue=Count(
                "pk", filter=Q(status=Review.Status.SCHEDULED, due_on__lt=today)
            ),
            upcoming=Count(
                "pk", filter=Q(status=Review.Status.SCHEDULED, due_on__gte=today)
            ),
        )
        .order_by()
    )
    windows = {
        f"Q{q}": dict.fromkeys(("due", "on_time", "late", "overdue", "upcoming"), 0)
        for q in (1, 2, 3, 4)
    }
    windows["Annual"] = dict.fromkeys(
        ("due", "on_time", "late", "overdue", "upcoming"), 0
    )
    for row in rows:
        if row["milestone__kind"] == MilestoneKind.ANNUAL_MONITORING:
            key = "Annual"
        else:
            key = f"Q{row['milestone__quarter'] or 0}"
        bucket = windows.setdefault(
            key, dict.fromkeys(("due", "on_time", "late", "overdue", "upcoming"), 0)
        )
        for name in bucket:
            bucket[name] += row[name]
    return {"label": label, "start": start, "end": end, "windows": windows}


def report_reviews(*, today: date, year: str | None = None, **_) -> Report:
    data = review_quarter_counts(label=year, today=today)
    report = Report(
        slug="reviews",
        title=f"Reviews {data['label']}: due, done and overdue per quarter",
        description="Reviews of each monitoring window of the planning year "
        "(quarterly for Strategic Partners and Partners, annual for Official "
        "Supporters). Cancelled reviews are left out. The on-time rate counts "
        "every review due by today, completed or overdue.",
        columns=[
            "Window",
            "Due",
            "Completed on time",
            "Completed late",
            "Overdue",
            "Not yet due",
            "On time %",
        ],
        options={"year": data["label"]},
    )
    for key, c in data["windows"].items():
        # Every review due by today counts, done or not: an overdue one is not
        # on time any more than a late one.
        due_by_today = c["on_time"] + c["late"] + c["overdue"]
        rate = round(100 * c["on_time"] / due_by_today) if due_by_today else ""
        report.rows.append(
            [key, c["due"], c["on_time"], c["late"], c["overdue"], c["upcoming"], rate]
        )
        if c["overdue"]:
            report.highlight.add(len(report.rows) - 1)
    return report


# --- MoUs by state and end date ---------------------------------------------

MOU_ROWS_ON_PAGE = 300


def report_mous(*, today: date, **_) -> Report:
    from partners.downloads.sources import report_rows_mous

    source = report_rows_mous(today, None)
    report = Report(
        slug="mous",
        title=source.title,
        description="Every Memorandum of Understanding, by state, soonest end first.",
        columns=source.columns,
    )
    _fill(report, source)
    labels = dict(MoU.Status.choices)
    order = {s: i for i, s in enumerate(MoU.Status.values)}
    summary = MoU.objects.values("status").annotate(n=Count("pk")).order_by("status")
    report.options["summary"] = [
        (labels[r["status"]], r["n"])
        for r in sorted(summary, key=lambda r: order[r["status"]])
    ]
    return report


def _fill(report: Report, source) -> None:
    """The rows of a report read the way its download reads them."""
    for row, highlight in source.rows():
        if highlight:
            report.highlight.add(len(report.rows))
        report.rows.append(row)


# --- Contacts ---------------------------------------------------------------


def report_contacts(*, today: date, **_) -> Report:
    from partners.downloads.sources import report_rows_contacts

    source = report_rows_contacts(today, None)
    report = Report(
        slug="contacts",
        title=source.title,
        description="Every organisation's contacts, primary contact first.",
        columns=source.columns,
        note="Personal data: each view and download is recorded in the read log.",
    )
    _fill(report, source)
    report.options["contact_ids"] = list(source.contact_ids())
    return report


# --- Priority-area coverage ---------------------------------------------------


def priority_coverage(*, today: date | None = None) -> list[dict]:
    """Agreed support per priority area: contributions, organisations, open proposals.

    Contributions and proposals are counted in separate grouped queries: joining
    both to the areas at once would multiply the rows.
    """
    active_statuses = [Contribution.Status.AGREED, Contribution.Status.DELIVERING]
    support = {
        row["priorityarea_id"]: row
        for row in Contribution.priority_areas.through.objects.filter(
            contribution__status__in=AGREED_SUPPORT
        )
        .values("priorityarea_id")
        .annotate(
            support=Count("contribution_id", distinct=True),
            active=Count(
                "contribution_id",
                filter=Q(contribution__status__in=active_statuses),
                distinct=True,
            ),
            organisations=Count("contribution__organisation_id", distinct=True),
        )
        .order_by()
    }
    proposals = dict(
        Proposal.priority_areas.through.objects.filter(
            proposal__status=Proposal.Status.SUBMITTED
        )
        .values("priorityarea_id")
        .annotate(n=Count("proposal_id", distinct=True))
        .order_by()
        .values_list("priorityarea_id", "n")
    )
    rows = []
    for area in PriorityArea.objects.order_by("number").only("pk", "number", "title"):
        counts = support.get(area.pk, {})
        active = counts.get("active", 0)
        rows.append(
            {
                "pk": area.pk,
                "number": area.number,
                "title": area.title,
                "support": counts.get("support", 0),
                "active": active,
                "organisations": counts.get("organisations", 0),
                "proposals_open": proposals.get(area.pk, 0),
                "gap": active == 0,
            }
        )
    return rows


def report_priority_coverage(*, today: date, **_) -> Report:
    report = Report(
        slug="priority-coverage",
        title="Priority-area coverage",
        description="Agreed support (agreed, delivering or completed contributions) "
        "for each of CEOP's priority areas for external support. An area with no "
        "agreed or delivering support is a gap.",
        columns=[
            "No.",
            "Priority area",
            "Agreed support",
            "Agreed or delivering now",
            "Organisations",
            "Proposals awaiting triage",
            "Gap",
        ],
    )
    for row in priority_coverage(today=today):
        report.rows.append(
            [
                row["number"],
                row["title"],
                row["support"],
                row["active"],
                row["organisations"],
                row["proposals_open"],
                "Gap" if row["gap"] else "",
            ]
        )
        if row["gap"]:
            report.highlight.add(len(report.rows) - 1)
    return report


# --- Annual Review recognition list --------------------------------------------


# The benefits whose recognition the Annual Review gives, in the strategy's
# words: an Official Supporter's "Recognition in CEOP Annual Review" and a
# Strategic Partner's "Prominent recognition in relevant CEOP publications".
ANNUAL_REVIEW_BENEFITS = (
    "Recognition in CEOP Annual Review",
    "Prominent recognition in relevant CEOP publications",
)


def report_annual_review(*, today: date, year: str | None = None, **_) -> Report:
    """Who the Annual Review recognises: the organisations whose level, at any time
    in the year, is entitled to a recognition benefit, with what was delivered."""
    from partners.downloads.sources import report_rows_annual_review

    source = report_rows_annual_review(today, year)
    label, start, end = source.period
    report = Report(
        slug="annual-review",
        title=source.title,
        description="Recognition follows the benefit: first the organisations "
        "entitled to “Recognition in CEOP Annual Review”, then the Strategic "
        "Partners entitled to “Prominent recognition in relevant CEOP "
        f"publications”, at any time in the planning year ({start:%-d %b %Y} to "
        f"{end:%-d %b %Y}), with the deliveries of that benefit in the year. "
        "Suppliers and contractors are not associations and are never listed.",
        columns=source.columns,
        options={"year": label},
    )
    _fill(report, source)
    return report


PLOTS_CACHE_SECONDS = 60


PLOTS_VERSION_KEY = "workspace:dashboard-plots:version"


def _plots_version():
    """The plots' version in the shared cache (Redis when configured)."""
    from django.core.cache import caches

    try:
        return caches["shared"].get(PLOTS_VERSION_KEY, 0)
    except Exception:  # the cache is an optimisation, never an outage
        logger.warning("Shared cache unavailable: dashboard plots unversioned")
        return "unversioned"


def dashboard_plots_invalidate() -> None:
    """A change the plots count was committed: every process reads them afresh.

    Called on commit of a change to organisations, associations, reviews,
    contributions, proposals or priority areas (partners.signals).
    """
    from django.core.cache import caches

    shared = caches["shared"]
    try:
        try:
            shared.incr(PLOTS_VERSION_KEY)
        except ValueError:  # not set yet, or expired
            shared.set(PLOTS_VERSION_KEY, 1, None)
    except Exception:  # a save never fails on the cache
        logger.warning("Shared cache unavailable: dashboard plots not invalidated")


def dashboard_plots(*, today: date) -> dict:
    """The three dashboard plots' figures, shared for a minute.

    They aggregate whole tables, so every dashboard view would otherwise pay for
    them. A committed change to what they count bumps their version
    (dashboard_plots_invalidate), so they are never stale after a change; the
    minute only bounds how long an unused copy is kept. The report pages always
    read live figures.
    """
    from django.core.cache import cache

    key = f"workspace:dashboard-plots:{today.isoformat()}:{_plots_version()}"
    plots = cache.get(key)
    if plots is None:
        plots = {
            "tiers": tier_sector_counts(today=today),
            "quarters": review_quarter_counts(today=today),
            "coverage": priority_coverage(today=today),
        }
        cache.set(key, plots, PLOTS_CACHE_SECONDS)
    return plots


REPORTS: dict[str, ReportSpec] = {
    spec.slug: spec
    for spec in (
        ReportSpec(
            "partners-by-tier",
            "Partners by tier and sector",
            "Current levels of association by sector.",
            report_partners_by_tier,
        ),
        ReportSpec(
            "reviews",
            "Reviews per quarter",
            "Reviews due, done on time, late and overdue in each monitoring window.",
            report_reviews,
            takes_year=True,
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


def report_build(*, slug: str, year: str | None = None) -> Report:
    """Build a report by its slug (KeyError when there is none)."""
    spec = REPORTS[slug]
    return spec.build(today=timezone.localdate(), year=year)


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
