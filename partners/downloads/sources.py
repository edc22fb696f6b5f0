"""Each report's rows as an iterator, read from the database in chunks.

The reports that grow with the data (MoUs, contacts, the Annual Review's
recognition list) are read here with ``QuerySet.iterator(chunk_size=...)``
(a server-side cursor on PostgreSQL); ``partners.reports`` builds their pages
from the same rows, so a download holds what the page shows and memory does not
grow with the rows. The other reports are a few dozen aggregated rows: they are
built as the page builds them.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone

from partners import reports
from partners.downloads.writers import file_stem
from partners.models import Contact, MoU, Sector
from tiers.models import Association, Benefit, BenefitDelivery

CHUNK_ROWS = 2000

# (cells, highlighted)
Row = tuple[list, bool]


@dataclass
class ReportRows:
    """A report's heading and a way to read its rows once, in order."""

    slug: str
    title: str
    columns: list[str]
    file_stem: str
    # An upper bound of the rows (one COUNT, read when first asked for): decides
    # where the download is built; the report's page never asks.
    counter: Callable[[], int]
    # rows(limit=None): every row, or with ``limit`` the first rows only, read
    # with a LIMIT (the report's page), so PostgreSQL can plan for a few rows
    # (walk an index) rather than sort the whole table for a cursor.
    rows: Callable[..., Iterator[Row]]
    # The contacts the rows show, in their order (personal data is logged when
    # read); contact_ids(limit=None) as rows.
    contact_ids: Callable[..., Iterable[int]] | None = None
    # The planning year's label, first and last day, for the reports of a year.
    period: tuple[str, date, date] | None = None
    # The ids behind each row, in the rows' order (the page links a row to its
    # record; the downloads do not use them); row_keys(limit=None) as rows.
    row_keys: Callable[..., Iterator[tuple]] | None = None

    @cached_property
    def count(self) -> int:
        return self.counter()


def _read(queryset, limit: int | None):
    """``queryset``'s rows in chunks, the first ``limit`` only if given."""
    if limit is not None:
        queryset = queryset[:limit]
    return queryset.iterator(chunk_size=CHUNK_ROWS)


def report_rows_mous(today: date, year: str | None) -> ReportRows:
    labels = dict(MoU.Status.choices)
    order = Case(
        *[When(status=s, then=Value(i)) for i, s in enumerate(MoU.Status.values)],
        output_field=IntegerField(),
    )
    soon = today + timedelta(days=90)
    queryset = MoU.objects.order_by(order, F("end").asc(nulls_last=True), "pk")

    def rows(limit: int | None = None) -> Iterator[Row]:
        for name, title, status, signed, start, end in _read(
            queryset.values_list(
                "organisation__name", "title", "status", "signed_on", "start", "end"
            ),
            limit,
        ):
            days = (end - today).days if end else ""
            highlight = status == MoU.Status.SIGNED and end is not None and end <= soon
            yield [name, title, labels[status], signed, start, end, days], highlight

    return ReportRows(
        slug="mous",
        title="MoUs by state and end date",
        columns=[
            "Organisation",
            "MoU",
            "State",
            "Signed",
            "Start",
            "End",
            "Days to end",
        ],
        file_stem=file_stem("mous"),
        counter=MoU.objects.count,
        rows=rows,
        # (organisation, MoU)
        row_keys=lambda limit=None: _read(
            queryset.values_list("organisation_id", "pk"), limit
        ),
    )


def report_rows_contacts(today: date, year: str | None) -> ReportRows:
    queryset = Contact.objects.order_by(
        "organisation__name", "-is_primary", "name", "pk"
    )

    def rows(limit: int | None = None) -> Iterator[Row]:
        for name, *cells, primary in _read(
            queryset.values_list(
                "organisation__name",
                "name",
                "job_title",
                "email",
                "phone",
                "is_primary",
            ),
            limit,
        ):
            yield [name, *cells, "yes" if primary else ""], False

    return ReportRows(
        slug="contacts",
        title="Contacts",
        columns=["Organisation", "Name", "Job title", "Email", "Phone", "Primary"],
        file_stem=file_stem("contacts"),
        counter=Contact.objects.count,
        rows=rows,
        # In the rows' order: the page logs the contacts it shows.
        contact_ids=lambda limit=None: _read(
            queryset.values_list("pk", flat=True), limit
        ),
        # (organisation,)
        row_keys=lambda limit=None: _read(
            queryset.values_list("organisation_id"), limit
        ),
    )


def report_rows_annual_review(today: date, year: str | None) -> ReportRows:
    label, start, end = reports._year(year, today)
    benefits = {
        b.tier_id: b
        for b in Benefit.objects.filter(
            text__in=reports.ANNUAL_REVIEW_BENEFITS, tier__is_association=True
        )
    }
    # The Annual Review's own list first, as the report sorts it.
    benefit_order = Case(
        *[
            When(
                tier_id=tier_id,
                then=Value(reports.ANNUAL_REVIEW_BENEFITS.index(b.text)),
            )
            for tier_id, b in benefits.items()
        ],
        default=Value(0),
        output_field=IntegerField(),
    )
    associations = (
        Association.objects.filter(tier_id__in=list(benefits), start__lte=end)
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .order_by(benefit_order, "-tier__rank", "organisation__name", "start")
    )
    sectors = dict(Sector.choices)

    def rows() -> Iterator[Row]:
        delivered: dict[tuple[int, int], list[str]] = {}
        for org_id, benefit_id, day, text in (
            BenefitDelivery.objects.filter(
                benefit_id__in=[b.pk for b in benefits.values()],
                delivered_on__gte=start,
                delivered_on__lte=end,
            )
            .order_by("delivered_on", "pk")
            .values_list("organisation_id", "benefit_id", "delivered_on", "description")
        ):
            entry = f"{day:%d/%m/%Y}" + (f": {text}" if text else "")
            delivered.setdefault((org_id, benefit_id), []).append(entry)
        seen: set[tuple[int, int]] = set()
        for (
            tier_id,
            org_id,
            tier,
            name,
            sector,
            first,
            last,
        ) in associations.values_list(
            "tier_id",
            "organisation_id",
            "tier__name",
            "organisation__name",
            "organisation__sector",
            "start",
            "end",
        ).iterator(chunk_size=CHUNK_ROWS):
            # An organisation moved within a level in the year is listed once per level.
            if (tier_id, org_id) in seen:
                continue
            seen.add((tier_id, org_id))
            benefit = benefits[tier_id]
            yield (
                [
                    benefit.text,
                    tier,
                    name,
                    sectors.get(sector, sector),
                    first,
                    last or "",
                    "; ".join(delivered.get((org_id, benefit.pk), [])) or "Not yet",
                ],
                False,
            )

    def row_keys() -> Iterator[tuple]:
        """(organisation, level's code, level's name) of each row, listed once
        per level as rows() does."""
        seen: set[tuple[str, int]] = set()
        for org_id, code, name in associations.values_list(
            "organisation_id", "tier__code", "tier__name"
        ).iterator(chunk_size=CHUNK_ROWS):
            if (code, org_id) not in seen:
                seen.add((code, org_id))
                yield org_id, code, name

    return ReportRows(
        slug="annual-review",
        title=f"Annual Review {label}: recognition list",
        columns=[
            "Recognition",
            "Level",
            "Organisation",
            "Sector",
            "Associated from",
            "Until",
            "Delivered in the year",
        ],
        file_stem=file_stem("annual-review", label),
        counter=associations.count,
        period=(label, start, end),
        rows=rows,
        row_keys=row_keys,
    )


STREAMED: dict[str, Callable[[date, str | None], ReportRows]] = {
    "mous": report_rows_mous,
    "contacts": report_rows_contacts,
    "annual-review": report_rows_annual_review,
}


def report_rows(*, slug: str, year: str | None = None) -> ReportRows:
    """A report's rows to download (KeyError when there is no such report)."""
    spec = reports.REPORTS[slug]
    if slug in STREAMED:
        return STREAMED[slug](timezone.localdate(), year or None)
    report = spec.build(today=timezone.localdate(), year=year or None)
    return ReportRows(
        slug=report.slug,
        title=report.title,
        columns=report.columns,
        file_stem=file_stem(report.slug, report.options.get("year", "")),
        counter=lambda: len(report.rows),
        rows=lambda: (
            (row, i in report.highlight) for i, row in enumerate(report.rows)
        ),
        contact_ids=(lambda: report.options.get("contact_ids", []))
        if spec.personal_data
        else None,
    )
