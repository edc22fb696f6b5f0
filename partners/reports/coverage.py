"""Coverage of the strategy's priority areas by agreed support."""

from datetime import date

from django.db.models import Count, Q

from partners.click_through import links_priority_coverage
from partners.models import (
    Contribution,
    Proposal,
)
from partners.reports.base import ACTIVE_SUPPORT, AGREED_SUPPORT, Report
from priorities.models import PriorityArea

# --- Priority-area coverage ---------------------------------------------------


def priority_coverage(*, today: date | None = None) -> list[dict]:
    """Agreed support per priority area: contributions, organisations, open proposals.

    Contributions and proposals are counted in separate grouped queries: joining
    both to the areas at once would multiply the rows.
    """
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
                filter=Q(contribution__status__in=ACTIVE_SUPPORT),
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
    coverage = priority_coverage(today=today)
    for row in coverage:
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
    links_priority_coverage(report, area_pks=[row["pk"] for row in coverage])
    return report
