"""Data for the workspace tests: one organisation with one of everything, and bulk data."""

import datetime as dt
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from partners import models as pm
from planning import models as plm
from planning.services import reviews_schedule
from priorities.models import PriorityArea
from tests import factories
from tiers import models as tm
from tiers.services import tier_change_request

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    organisation: pm.Organisation
    contact: pm.Contact
    due_diligence: pm.DueDiligence
    mou: pm.MoU
    contribution: pm.Contribution
    proposal: pm.Proposal
    issue: pm.RelationshipIssue
    tier_change: tm.TierChange
    review: plm.Review
    priority_area: PriorityArea


def build_world(*, owner, name: str = "Brightwater Online Safety Ltd") -> World:
    """A Partner owned by `owner` with a pending move to Strategic Partner that
    `owner` asked for, and one of every record the workspace shows."""
    today = timezone.localdate()
    org = factories.OrganisationFactory(name=name, owner=owner, status="active")
    contact = factories.ContactFactory(organisation=org, is_primary=True)
    dd = factories.DueDiligenceFactory(
        organisation=org,
        assessed_on=today - dt.timedelta(days=30),
        expires_on=today + dt.timedelta(days=335),
    )
    mou = factories.MoUFactory(
        organisation=org,
        signed_on=today - dt.timedelta(days=20),
        start=today - dt.timedelta(days=20),
        end=today + dt.timedelta(days=700),
        document=SimpleUploadedFile("signed.pdf", PDF, content_type="application/pdf"),
    )
    factories.OwnershipLevelFactory(mou=mou, level=1, side="ceop")
    factories.OwnershipLevelFactory(mou=mou, level=1, side="partner")
    factories.AssociationFactory(
        organisation=org,
        tier=factories.tier("partner"),
        start=today - dt.timedelta(days=10),
        mou=mou,
    )
    area = PriorityArea.objects.order_by("number").first()
    contribution = factories.ContributionFactory(organisation=org, status="agreed")
    contribution.priority_areas.add(area)
    proposal = factories.ProposalFactory(organisation=org)
    proposal.priority_areas.add(area)
    issue = factories.RelationshipIssueFactory(
        organisation=org, raised_on=today - dt.timedelta(days=3)
    )
    reviews_schedule(organisation_ids=[org.pk])
    review = plm.Review.objects.filter(organisation=org).order_by("due_on").first()
    strategic = factories.tier("strategic-partner")
    change = tier_change_request(
        organisation=org,
        to_tier=strategic,
        effective_date=today,
        reason="Delivers across several Centre Plan objectives.",
        evidence={c.pk: "Evidence on file." for c in strategic.characteristics.all()},
        actor=owner,
    )
    return World(
        organisation=org,
        contact=contact,
        due_diligence=dd,
        mou=mou,
        contribution=contribution,
        proposal=proposal,
        issue=issue,
        tier_change=change,
        review=review,
        priority_area=area,
    )


def build_many(*, count: int, owner) -> list[pm.Organisation]:
    """`count` organisations across the tiers, each with an MoU, support,
    an issue, a proposal, a contact and scheduled reviews."""
    today = timezone.localdate()
    codes = ["strategic-partner", "partner", "official-supporter", "supplier", None]
    tiers = {c: factories.tier(c) for c in codes if c}
    areas = list(PriorityArea.objects.order_by("number"))
    sectors = [s for s, _ in pm.Sector.choices]
    organisations = []
    for i in range(count):
        org = factories.OrganisationFactory(
            owner=owner if i % 2 == 0 else None, sector=sectors[i % len(sectors)]
        )
        code = codes[i % len(codes)]
        mou = factories.MoUFactory(
            organisation=org,
            signed_on=today - dt.timedelta(days=30),
            start=today - dt.timedelta(days=30),
            end=today + dt.timedelta(days=40 + i),
        )
        if code:
            factories.AssociationFactory(
                organisation=org,
                tier=tiers[code],
                start=today - dt.timedelta(days=200),
                mou=mou,
            )
        factories.ContactFactory(organisation=org)
        contribution = factories.ContributionFactory(organisation=org, status="agreed")
        contribution.priority_areas.add(areas[i % len(areas)])
        factories.ProposalFactory(organisation=org).priority_areas.add(
            areas[(i + 3) % len(areas)]
        )
        factories.RelationshipIssueFactory(organisation=org)
        organisations.append(org)
    reviews_schedule(organisation_ids=[o.pk for o in organisations])
    return organisations
