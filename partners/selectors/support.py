"""Reads of support and issues: contributions, proposals, relationship issues."""

from django.db.models import (
    Exists,
    OuterRef,
    QuerySet,
)

from partners.models import (
    Contribution,
    Organisation,
    Proposal,
    RelationshipIssue,
)


def contribution_list_for_organisation(
    *, organisation: Organisation
) -> QuerySet[Contribution]:
    return (
        Contribution.objects.filter(organisation=organisation)
        .prefetch_related("priority_areas", "centre_plan_objectives")
        .order_by("-created_at", "-pk")
    )


def relationship_issue_list(*, open_only: bool = False) -> QuerySet[RelationshipIssue]:
    issues = RelationshipIssue.objects.select_related("organisation", "owner")
    if open_only:
        issues = issues.filter(status=RelationshipIssue.Status.OPEN)
    return issues.order_by("status", "-escalation_level", "raised_on", "pk")


def proposal_list(
    *, status: str | None = None, priority_area: int | None = None
) -> QuerySet[Proposal]:
    proposals = Proposal.objects.select_related(
        "organisation", "threat", "decided_by", "contribution"
    ).prefetch_related("priority_areas")
    if status:
        proposals = proposals.filter(status=status)
    if priority_area:
        # A semi-join: a proposal for several areas is listed once.
        proposals = proposals.filter(
            Exists(
                Proposal.priority_areas.through.objects.filter(
                    proposal_id=OuterRef("pk"), priorityarea_id=priority_area
                )
            )
        )
    return proposals.order_by("-created_at", "-pk")
