"""What every report shares: its shape, its specification, the planning year it covers."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from partners.models import (
    Contribution,
)
from planning.models import PlanningYear
from planning.selectors import planning_year_label

logger = logging.getLogger(__name__)

AGREED_SUPPORT = (
    Contribution.Status.AGREED,
    Contribution.Status.DELIVERING,
    Contribution.Status.COMPLETED,
)
# Support now: what tells a priority area is not a gap.
ACTIVE_SUPPORT = (Contribution.Status.AGREED, Contribution.Status.DELIVERING)
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
    # Where a figure leads, by (row, column): the list of the rows behind it
    # (partners/click_through.py); the page shows them, the downloads do not.
    links: dict[tuple[int, int], str] = field(default_factory=dict)


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
    # A few aggregated rows read from whole tables: shared between requests
    # until a change to what they count commits (partners.reports.figures).
    cached: bool = False


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


def _fill(report: Report, source, limit: int | None = None) -> list[tuple]:
    """The rows of a report read the way its download reads them; with
    ``limit``, only the rows a page shows, and their number in
    ``options["total_rows"]``. Returns the ids behind each row."""
    if limit is not None:
        report.options["total_rows"] = source.count
    keys = []
    for row_keys, (row, highlight) in source.keyed_rows(limit):
        if highlight:
            report.highlight.add(len(report.rows))
        report.rows.append(row)
        keys.append(row_keys)
    return keys
