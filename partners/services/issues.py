"""Writes and rules of relationship issues: raising, escalating, resolving."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from ceop_crm.exceptions import ApplicationError
from partners.models import (
    MoU,
    Organisation,
    OwnershipLevel,
    RelationshipIssue,
)
from partners.services.common import Actor, _save


@transaction.atomic
def relationship_issue_raise(
    *, organisation: Organisation, title: str, actor: Actor, **fields: Any
) -> RelationshipIssue:
    fields.setdefault("raised_on", timezone.localdate())
    if fields["raised_on"] > timezone.localdate():
        raise ApplicationError(
            {"raised_on": ["An issue cannot be raised in the future."]}
        )
    fields.setdefault("owner", organisation.owner)
    return _save(
        RelationshipIssue(organisation=organisation, title=title, **fields), actor
    )


@transaction.atomic
def relationship_issue_escalate(
    *, issue: RelationshipIssue, actor: Actor
) -> RelationshipIssue:
    """Move an open issue one level up the MoU's ownership hierarchy."""
    if issue.status != RelationshipIssue.Status.OPEN:
        raise ApplicationError("Only an open issue can be escalated.")
    top = (
        OwnershipLevel.objects.filter(
            mou__organisation=issue.organisation, mou__status=MoU.Status.SIGNED
        )
        .order_by("-level")
        .values_list("level", flat=True)
        .first()
    )
    if top is not None and issue.escalation_level >= top:
        raise ApplicationError(
            "The issue is already at the top of the ownership hierarchy."
        )
    issue.escalation_level += 1
    issue.escalated_at = timezone.now()
    return _save(issue, actor)


@transaction.atomic
def relationship_issue_resolve(
    *,
    issue: RelationshipIssue,
    resolution: str,
    actor: Actor,
    resolved_on: date | None = None,
) -> RelationshipIssue:
    if issue.status != RelationshipIssue.Status.OPEN:
        raise ApplicationError("This issue is already resolved.")
    if not resolution.strip():
        raise ApplicationError({"resolution": ["Describe how the issue was resolved."]})
    issue.status = RelationshipIssue.Status.RESOLVED
    issue.resolution = resolution.strip()
    issue.resolved_on = resolved_on or timezone.localdate()
    return _save(issue, actor)
