"""Contributions, benefit deliveries, relationship issues and proposals of demo organisations."""

import datetime as dt
from typing import Any

from partners.demo import texts
from partners.demo.base import SP, DemoBase, P, days
from partners.models import (
    Contact,
    Contribution,
    ContributionKind,
    Organisation,
    Proposal,
    RelationshipIssue,
)
from tiers.models import Association, Benefit, BenefitDelivery, TierLevel


class SupportMixin(DemoBase):
    """What organisations give and get, and what goes wrong."""

    def contributions(self, org: Organisation, code: str, since: dt.date) -> None:
        rng, today = self.rng, self.today
        low, high = {SP: (2, 4), P: (1, 3)}.get(code, (1, 2))
        statuses = (
            Contribution.Status.PROPOSED,
            Contribution.Status.AGREED,
            Contribution.Status.DELIVERING,
            Contribution.Status.COMPLETED,
        )
        objective_ids = rng.sample(self.objective_ids, min(len(self.objective_ids), 2))
        for i in range(rng.randint(low, high)):
            kind = rng.choice(ContributionKind.values)
            # The first is live, so "provides a level of support" holds.
            status = (
                Contribution.Status.DELIVERING
                if i == 0
                else rng.choices(statuses, (1, 3, 4, 2))[0]
            )
            start = (
                None
                if status == Contribution.Status.PROPOSED
                else self.between(since, today)
            )
            end = None
            if status == Contribution.Status.COMPLETED:
                end = self.between(start, today)
            elif status == Contribution.Status.DELIVERING and self.chance(0.5):
                end = start + days(rng.randint(180, 720))
            contribution = self.new(
                Contribution,
                organisation=org,
                kind=kind,
                title=rng.choice(texts.CONTRIBUTION_TITLES[kind]),
                description=texts.PROPOSAL_OFFERS[kind],
                status=status,
                start=start,
                end=end,
                outcomes=(
                    rng.choice(texts.CONTRIBUTION_OUTCOMES)
                    if status == Contribution.Status.COMPLETED
                    else ""
                ),
            )
            for area_id in self.sample(self.priority_area_ids, rng.randint(1, 2)):
                self.contribution_areas.append((contribution, area_id))
            # Strategic Partners deliver several Centre Plan objectives, Partners one.
            if i == 0:
                picked = objective_ids[: {SP: 2, P: 1}.get(code, 0)]
            else:
                picked = self.sample(self.objective_ids, int(self.chance(0.3)))
            for objective_id in picked:
                self.contribution_objectives.append((contribution, objective_id))

    def benefits(self, org: Organisation, association: Association, owner: Any) -> None:
        """Deliveries of benefits the association's own tier is entitled to."""
        tier = association.tier
        entitled = self.benefits_by_tier(tier)
        if not entitled:
            return
        last = min(association.end or self.today, self.today)
        most = 4 if tier.code == SP else 3 if association.end is None else 2
        for _ in range(self.rng.randint(0, most)):
            self.new(
                BenefitDelivery,
                organisation=org,
                association=association,
                benefit=self.rng.choice(entitled),
                delivered_on=self.between(association.start, last),
                recorded_by=owner,
            )

    def benefits_by_tier(self, tier: TierLevel) -> list[Benefit]:
        if not tier.benefits_allowed:
            return []
        return self.tier_benefits[tier.pk]

    def issues(
        self, org: Organisation, association: Association, owner: Any, levels: int
    ) -> None:
        rng, today = self.rng, self.today
        if not self.chance({3: 0.3, 2: 0.2}.get(levels, 0.1)):
            return
        raised = self.between(max(association.start, today - days(240)), today)
        if self.chance(0.55):
            level = rng.randint(1, levels)
            self.new(
                RelationshipIssue,
                organisation=org,
                title=rng.choice(texts.ISSUE_TITLES),
                description="Raised by the relationship manager.",
                owner=owner,
                escalation_level=level,
                escalated_at=(
                    self.moment(min(raised + days(10 * (level - 1)), today))
                    if level > 1
                    else None
                ),
                raised_on=raised,
            )
        else:
            self.new(
                RelationshipIssue,
                organisation=org,
                title=rng.choice(texts.ISSUE_TITLES),
                owner=owner,
                raised_on=raised,
                status=RelationshipIssue.Status.RESOLVED,
                resolved_on=self.between(raised, today),
                resolution=rng.choice(texts.ISSUE_RESOLUTIONS),
            )

    def proposal(self, org: Organisation, contact: Contact, source: str) -> None:
        rng = self.rng
        kind = rng.choice(ContributionKind.values)
        status = rng.choices(Proposal.Status.values, (5, 2, 2))[0]
        submitted = self.ago(2, 200)
        threat, new_threat, areas = None, "", []
        roll = rng.random()
        if roll < 0.7:
            areas = self.sample(self.priority_area_ids, rng.randint(1, 2))
        elif roll < 0.93 and self.threats:
            threat = rng.choice(self.threats)
        else:
            new_threat = rng.choice(texts.NEW_THREATS)
        decided = status != Proposal.Status.SUBMITTED
        contribution = None
        if status == Proposal.Status.ACCEPTED:
            contribution = self.new(
                Contribution,
                organisation=org,
                kind=kind,
                title=texts.PROPOSAL_TITLES[kind],
                description=texts.PROPOSAL_OFFERS[kind],
                status=Contribution.Status.AGREED,
            )
            for area_id in areas:
                self.contribution_areas.append((contribution, area_id))
        proposal = self.new(
            Proposal,
            organisation=org,
            source=source,
            title=texts.PROPOSAL_TITLES[kind],
            offer=texts.PROPOSAL_OFFERS[kind],
            kind=kind,
            threat=threat,
            new_threat=new_threat,
            contact_name=contact.name,
            contact_email=contact.email,
            status=status,
            decided_by=rng.choice(self.staff) if decided else None,
            decided_at=(
                self.moment(self.between(submitted, self.today), 14)
                if decided
                else None
            ),
            decline_reason=(
                rng.choice(texts.DECLINE_REASONS)
                if status == Proposal.Status.DECLINED
                else ""
            ),
            contribution=contribution,
        )
        self.made_on(proposal, submitted, hour=9)
        for area_id in areas:
            self.proposal_areas.append((proposal, area_id))
