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

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.utils import timezone

from ceop_crm.lookups import id_in
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
    rows: Callable[[], Iterator[Row]]
    # The contacts the download shows (personal data is logged when read).
    contact_ids: Callable[[], Iterable[int]] | None = None
    # The planning year's label, first and last day, for the reports of a year.
    period: tuple[str, date, date] | None = None
    # Each row with the ids behind it, in order (the page links a row to its
    # record; the downloads do not use them); with a limit, only the first
    # rows, cut by the database: what a page reads, in one query.
    keyed_rows: Callable[[int | None], Iterator[tuple[tuple, Row]]] | None = None

    @cached_property
    def count(self) -> int:
        return self.counter()


def _shared_count(model) -> int:
    """Every row of the model, counted once for every request until a change
    to it is committed (partners.reports.figures; the model is one of those
    partners.signals counts). At 100,000 organisations counting the 180,000
    contacts took 12 ms of the contacts report's page."""
    return reports.report_figures_cached(
        f"count:{model._meta.label_lower}",
        today=timezone.localdate(),
        build=model._default_manager.count,
    )


def _first_of_parts(parts: Iterable, limit: int) -> list[tuple]:
    """The first ``limit`` rows of ``parts`` (querysets, in the report's order)
    read one after another, each cut by the database at what is still wanted.
    Each part is always asked (for one row at least), so a page's queries do
    not depend on the data."""
    rows: list[tuple] = []
    for part in parts:
        wanted = max(limit - len(rows), 1)
        rows += list(part[:wanted])[: limit - len(rows)]
    return rows


def _mous_first(values, limit: int) -> list[tuple]:
    """The MoU report's first ``limit`` rows: one query per state, in the
    states' order, each read from the (status, end) index in the order of the
    end; one query sorting every MoU by its state's place cost a sort of the
    whole table."""
    return _first_of_parts(
        (
            values.filter(status=status).order_by(F("end").asc(nulls_last=True), "pk")
            for status in MoU.Status.values
        ),
        limit,
    )


def report_rows_mous(today: date, year: str | None) -> ReportRows:
    labels = dict(MoU.Status.choices)
    order = Case(
        *[When(status=s, then=Value(i)) for i, s in enumerate(MoU.Status.values)],
        output_field=IntegerField(),
    )
    soon = today + timedelta(days=90)
    queryset = MoU.objects.order_by(order, F("end").asc(nulls_last=True), "pk")

    def keyed(limit: int | None = None) -> Iterator[tuple[tuple, Row]]:
        """Each row with its (organisation, MoU); with ``limit``, the first
        rows only, cut by the database."""
        values = queryset.values_list(
            "organisation__name",
            "title",
            "status",
            "signed_on",
            "start",
            "end",
            "organisation_id",
            "pk",
        )
        read = (
            _mous_first(values, limit)
            if limit is not None
            else values.iterator(CHUNK_ROWS)
        )
        for name, title, status, signed, start, end, org_id, pk in read:
            days = (end - today).days if end else ""
            highlight = status == MoU.Status.SIGNED and end is not None and end <= soon
            yield (
                (org_id, pk),
                ([name, title, labels[status], signed, start, end, days], highlight),
            )

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
        counter=lambda: _shared_count(MoU),
        rows=lambda: (row for _keys, row in keyed()),
        keyed_rows=keyed,
    )


def report_rows_contacts(today: date, year: str | None) -> ReportRows:
    queryset = Contact.objects.order_by(
        "organisation__name", "-is_primary", "name", "pk"
    )

    def keyed(limit: int | None = None) -> Iterator[tuple[tuple, Row]]:
        """Each row with its (organisation, contact); with ``limit``, the first
        rows only, sorted and cut by the database."""
        values = queryset.values_list(
            "organisation__name",
            "name",
            "job_title",
            "email",
            "phone",
            "is_primary",
            "organisation_id",
            "pk",
        )
        read = values[:limit] if limit is not None else values.iterator(CHUNK_ROWS)
        for name, *cells, primary, org_id, pk in read:
            yield (org_id, pk), ([name, *cells, "yes" if primary else ""], False)

    return ReportRows(
        slug="contacts",
        title="Contacts",
        columns=["Organisation", "Name", "Job title", "Email", "Phone", "Primary"],
        file_stem=file_stem("contacts"),
        counter=lambda: _shared_count(Contact),
        rows=lambda: (row for _keys, row in keyed()),
        contact_ids=lambda: Contact.objects.values_list("pk", flat=True).iterator(
            chunk_size=CHUNK_ROWS
        ),
        keyed_rows=keyed,
    )


ANNUAL_REVIEW_COLUMNS = [
    "Recognition",
    "Level",
    "Organisation",
    "Sector",
    "Associated from",
    "Until",
    "Delivered in the year",
]


class AnnualReviewListing:
    """The Annual Review's recognition list of a planning year: its rows in the
    report's order (all of them for a download, the first ``limit`` for the
    page), the ids behind each, and the organisations listed at each level.

    An organisation moved within a level in the year is listed once per level,
    with its first association of the year at that level: the database leaves
    the later ones out, so a page can ask for exactly its rows.
    """

    def __init__(self, today: date, year: str | None) -> None:
        self.period = reports._year(year, today)
        _label, start, end = self.period
        self.benefits = {
            b.tier_id: b
            for b in Benefit.objects.filter(
                text__in=reports.ANNUAL_REVIEW_BENEFITS, tier__is_association=True
            ).select_related("tier")
        }
        # The Annual Review's own list first, as the report sorts it.
        self.benefit_order = Case(
            *[
                When(
                    tier_id=tier_id,
                    then=Value(reports.ANNUAL_REVIEW_BENEFITS.index(b.text)),
                )
                for tier_id, b in self.benefits.items()
            ],
            default=Value(0),
            output_field=IntegerField(),
        )
        in_year = Q(start__lte=end) & (Q(end__isnull=True) | Q(end__gte=start))
        # Every association of the year at a recognised level.
        self.associations = Association.objects.filter(
            in_year, tier_id__in=list(self.benefits)
        )
        earlier = Association.objects.filter(
            in_year,
            organisation_id=OuterRef("organisation_id"),
            tier_id=OuterRef("tier_id"),
        ).filter(
            Q(start__lt=OuterRef("start"))
            | Q(start=OuterRef("start"), pk__lt=OuterRef("pk"))
        )
        # One per organisation and level: its first association of the year.
        self.listed = self.associations.exclude(Exists(earlier)).order_by(
            self.benefit_order, "-tier__rank", "organisation__name", "start", "pk"
        )

    def count(self) -> int:
        """An upper bound of the rows (one COUNT): every association of the year."""
        return self.associations.count()

    def summary(self) -> list[tuple[str, str, int]]:
        """(level's code, level's name, organisations listed at that level), in
        the order the rows list the levels: one aggregate query."""
        counts = (
            self.associations.values(
                "tier_id", "tier__code", "tier__name", "tier__rank"
            )
            .annotate(n=Count("organisation_id", distinct=True))
            .order_by()
        )
        return [
            (row["tier__code"], row["tier__name"], row["n"])
            for row in sorted(
                counts,
                key=lambda row: (
                    reports.ANNUAL_REVIEW_BENEFITS.index(
                        self.benefits[row["tier_id"]].text
                    ),
                    -row["tier__rank"],
                ),
            )
        ]

    def _delivered(self, organisation_ids: list[int] | None) -> dict:
        """What was delivered of each recognition benefit in the year, by
        (organisation, benefit): of the given organisations, or of all."""
        _label, start, end = self.period
        deliveries = BenefitDelivery.objects.filter(
            benefit_id__in=[b.pk for b in self.benefits.values()],
            delivered_on__gte=start,
            delivered_on__lte=end,
        )
        if organisation_ids is not None:
            deliveries = deliveries.filter(id_in("organisation_id", organisation_ids))
        delivered: dict[tuple[int, int], list[str]] = {}
        for org_id, benefit_id, day, text in deliveries.order_by(
            "delivered_on", "pk"
        ).values_list("organisation_id", "benefit_id", "delivered_on", "description"):
            entry = f"{day:%d/%m/%Y}" + (f": {text}" if text else "")
            delivered.setdefault((org_id, benefit_id), []).append(entry)
        return delivered

    def _first(self, columns, limit: int) -> list[tuple]:
        """The first ``limit`` rows, one query per recognised level in the
        report's order (the Annual Review's own list first, then by rank).

        Within a level the rows follow the organisations' names, which the
        database reads in the order of their index and stops at the limit;
        sorting every level's rows at once had it join and sort every
        association of the year.
        """
        levels = sorted(
            self.benefits.values(),
            key=lambda b: (reports.ANNUAL_REVIEW_BENEFITS.index(b.text), -b.tier.rank),
        )
        return _first_of_parts(
            (
                columns.filter(tier_id=benefit.tier_id).order_by(
                    "organisation__name", "start", "pk"
                )
                for benefit in levels
            ),
            limit,
        )

    def rows(self, limit: int | None = None) -> Iterator[tuple[tuple, Row]]:
        """Each row with the ids behind it, (organisation, level's code, level's
        name). With ``limit``, only the first rows are read, and only their
        deliveries; without it every row, in chunks."""
        columns = self.listed.values_list(
            "tier_id",
            "organisation_id",
            "tier__code",
            "tier__name",
            "organisation__name",
            "organisation__sector",
            "start",
            "end",
        )
        if limit is not None:
            listed = self._first(columns, limit)
            delivered = self._delivered([row[1] for row in listed])
        else:
            listed = columns.iterator(chunk_size=CHUNK_ROWS)
            delivered = self._delivered(None)
        sectors = dict(Sector.choices)
        for tier_id, org_id, code, tier, name, sector, first, last in listed:
            benefit = self.benefits[tier_id]
            yield (
                (org_id, code, tier),
                (
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
                ),
            )


def report_rows_annual_review(today: date, year: str | None) -> ReportRows:
    listing = AnnualReviewListing(today, year)
    label = listing.period[0]
    return ReportRows(
        slug="annual-review",
        title=f"Annual Review {label}: recognition list",
        columns=ANNUAL_REVIEW_COLUMNS,
        file_stem=file_stem("annual-review", label),
        counter=listing.count,
        period=listing.period,
        rows=lambda: (row for _keys, row in listing.rows()),
        keyed_rows=listing.rows,
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
