"""Partners by level and sector."""

from datetime import date

from django.db.models import Count, FilteredRelation, Q

from partners.click_through import links_partners_by_tier
from partners.models import (
    Organisation,
    Sector,
)
from partners.reports.base import NO_LEVEL, Report
from tiers.models import TierLevel

# --- Partners by tier and sector --------------------------------------------


def tier_sector_counts(*, today: date | None = None) -> dict:
    """Current associations by tier and sector; organisations with none as NO_LEVEL.

    One pass over the organisations, each joined to its current association
    (at most one, rule 1) when it has one.
    """
    counts: dict[tuple[str, str], int] = {}
    for row in (
        Organisation.objects.annotate(
            current=FilteredRelation(
                "associations", condition=Q(associations__end__isnull=True)
            )
        )
        .values("current__tier__name", "sector")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[(row["current__tier__name"] or NO_LEVEL, row["sector"])] = row["n"]
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
    links_partners_by_tier(report, sectors=[code for code, _ in sectors])
    return report
