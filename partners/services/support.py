"""Writes and rules of support: contributions and the proposals that become them."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from ceop_crm.exceptions import ApplicationError
from partners.models import (
    Contribution,
    Organisation,
    Proposal,
)
from partners.services.common import Actor, _save
from priorities.models import PriorityArea, Threat


@transaction.atomic
def contribution_save(
    *,
    contribution: Contribution,
    actor: Actor,
    priority_areas: Iterable[PriorityArea] | None = None,
    centre_plan_objectives: Iterable[Any] | None = None,
) -> Contribution:
    if (
        contribution.status == Contribution.Status.COMPLETED
        and not contribution.outcomes.strip()
    ):
        raise ApplicationError(
            {"outcomes": ["Record the outcomes of completed support."]}
        )
    _save(contribution, actor)
    if priority_areas is not None:
        contribution.priority_areas.set(priority_areas)
    if centre_plan_objectives is not None:
        contribution.centre_plan_objectives.set(centre_plan_objectives)
    return contribution


@transaction.atomic
def proposal_submit(
    *,
    organisation: Organisation,
    title: str,
    offer: str,
    actor: Actor,
    priority_areas: Iterable[PriorityArea] = (),
    threat: Threat | None = None,
    new_threat: str = "",
    source: str = Proposal.Source.STAFF,
    kind: str = "other",
    contact_name: str = "",
    contact_email: str = "",
    other_suggestion: bool = False,
    submitted_as: str = "",
    matched_by_name: bool = False,
) -> Proposal:
    """An approach serves a priority area (a CEOP service) or a threat, or is
    another suggestion, which the strategy welcomes and triage sees flagged."""
    priority_areas = list(priority_areas)
    if (
        not priority_areas
        and threat is None
        and not new_threat.strip()
        and not other_suggestion
    ):
        raise ApplicationError(
            {
                "priority_areas": [
                    "Choose at least one priority area, name the threat this "
                    "support addresses, or offer it as another suggestion."
                ]
            }
        )
    proposal = _save(
        Proposal(
            organisation=organisation,
            title=title,
            offer=offer,
            kind=kind,
            threat=threat,
            new_threat=new_threat.strip(),
            other_suggestion=other_suggestion,
            source=source,
            contact_name=contact_name,
            contact_email=contact_email,
            submitted_as=submitted_as,
            matched_by_name=matched_by_name,
            submitted_by=actor
            if actor is not None and actor.is_authenticated
            else None,
        ),
        actor,
    )
    proposal.priority_areas.set(priority_areas)
    return proposal


def _triageable(proposal: Proposal) -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != Proposal.Status.SUBMITTED:
        raise ApplicationError(
            f"This proposal is already {proposal.get_status_display().lower()}."
        )
    return proposal


@transaction.atomic
def proposal_accept(*, proposal: Proposal, actor: Actor) -> Contribution:
    """Accept an approach: it becomes an agreed contribution."""
    proposal = _triageable(proposal)
    contribution = contribution_save(
        contribution=Contribution(
            organisation=proposal.organisation,
            kind=proposal.kind,
            title=proposal.title,
            description=proposal.offer,
            status=Contribution.Status.AGREED,
        ),
        actor=actor,
        priority_areas=proposal.priority_areas.all(),
    )
    proposal.status = Proposal.Status.ACCEPTED
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.contribution = contribution
    _save(proposal, actor)
    return contribution


@transaction.atomic
def proposal_decline(*, proposal: Proposal, reason: str, actor: Actor) -> Proposal:
    proposal = _triageable(proposal)
    if not reason.strip():
        raise ApplicationError(
            {"decline_reason": ["Say why the proposal is declined."]}
        )
    proposal.status = Proposal.Status.DECLINED
    proposal.decline_reason = reason.strip()
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    return _save(proposal, actor)
