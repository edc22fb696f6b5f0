"""Two organisations with one of everything the portal shows, and their users."""

from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile

from partners.models import MoU, Organisation, Proposal
from partners.services import contribution_save, proposal_submit
from planning.models import Reminder, Review
from planning.services import reviews_schedule
from priorities.models import PriorityArea
from tests import factories
from tiers.models import Benefit, BenefitDelivery

PDF = b"%PDF-1.4\n% portal test document\n%%EOF\n"


@dataclass
class PartnerWorld:
    organisation: Organisation
    user: object
    contact: object
    mou: MoU
    review: Review
    proposal: Proposal
    contribution: object
    reminder: Reminder


def make_partner_world(name: str, tier_code: str = "partner") -> PartnerWorld:
    organisation = factories.OrganisationFactory(
        name=name, status=Organisation.Status.ACTIVE
    )
    contact = factories.ContactFactory(
        organisation=organisation, name=f"{name} Contact", is_primary=True
    )
    user = factories.UserFactory(
        username=f"{name.lower().replace(' ', '-')}-user", first_name=name
    )
    factories.PortalMembershipFactory(
        user=user, organisation=organisation, contact=contact
    )
    mou = factories.MoUFactory(
        organisation=organisation, joint_marketing_terms=f"{name} marketing terms"
    )
    mou.document.save("signed.pdf", ContentFile(PDF), save=True)
    association = factories.AssociationFactory(
        organisation=organisation, tier=factories.tier(tier_code), mou=mou
    )
    reviews_schedule(organisation_ids=[organisation.pk], today=factories.TODAY)
    review = Review.objects.filter(organisation=organisation).order_by("due_on").first()
    area = PriorityArea.objects.order_by("number").first()
    proposal = proposal_submit(
        organisation=organisation,
        title=f"{name} proposal",
        offer="Analysts for a month.",
        actor=user,
        priority_areas=[area],
        source=Proposal.Source.PORTAL,
    )
    contribution = contribution_save(
        contribution=factories.ContributionFactory.build(
            organisation=organisation, title=f"{name} contribution"
        ),
        actor=None,
        priority_areas=[area],
    )
    benefit = Benefit.objects.filter(tier=association.tier).order_by("order").first()
    if benefit is not None:
        BenefitDelivery.objects.create(
            organisation=organisation,
            association=association,
            benefit=benefit,
            delivered_on=factories.TODAY,
            description=f"{name} benefit delivered",
        )
    reminder = Reminder.objects.create(
        recipient=user,
        step=Reminder.Step.REVIEW_UPCOMING,
        subject_type="organisation",
        subject_id=organisation.pk,
        title=f"{name} review coming up",
        due_on=review.due_on if review else None,
    )
    return PartnerWorld(
        organisation=organisation,
        user=user,
        contact=contact,
        mou=mou,
        review=review,
        proposal=proposal,
        contribution=contribution,
        reminder=reminder,
    )


@pytest.fixture
def world_a(db) -> PartnerWorld:
    return make_partner_world("Alpha Systems")


@pytest.fixture
def world_b(db) -> PartnerWorld:
    return make_partner_world("Bravo Networks")


@pytest.fixture
def frozen_today():
    import time_machine

    with time_machine.travel("2026-11-28 10:00 +00:00", tick=False):
        yield factories.TODAY
