"""Actors with tokens, and a world of two organisations with one of everything."""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.utils import timezone
from rest_framework.test import APIClient

from activities.services import activity_record
from ceop_crm import roles
from ceop_crm.api.services import api_token_create
from partners import models as pm
from planning import models as plm
from planning.services import planning_year_open
from tests import factories
from tiers import models as tm

TODAY = factories.TODAY


@pytest.fixture(autouse=True)
def _fresh_throttle_counters(settings):
    """Throttle counters in a private in-memory cache: clearing the shared Redis
    one would flush a database other tests (the Celery broker) may be using."""
    settings.CACHES = {
        **settings.CACHES,
        "api": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "api-tests",
        },
    }
    caches["api"].clear()
    yield
    caches["api"].clear()


def token_client(user) -> APIClient:
    """A client that authenticates like another system: a Bearer token."""
    _, raw = api_token_create(user=user, name="tests", actor=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture
def api():
    return token_client


@pytest.fixture
def no_role_user(db):
    return factories.UserFactory(username="norole")


@dataclass
class Side:
    """One organisation and one object of each kind that belongs to it."""

    organisation: pm.Organisation
    objects: dict[str, object] = field(default_factory=dict)


def build_side(organisation: pm.Organisation, requester) -> Side:
    # The requesting manager owns both sides: an organisation nobody owns is
    # run by senior managers only.
    organisation.owner = requester
    organisation.save()
    factories.DueDiligenceFactory(organisation=organisation)
    mou = factories.MoUFactory(organisation=organisation)
    factories.OwnershipLevelFactory(mou=mou)
    association = factories.AssociationFactory(
        organisation=organisation, tier=factories.tier("official-supporter")
    )
    year = planning_year_open(label="2026/27")
    milestone = year.milestones.get(kind=plm.MilestoneKind.ANNUAL_MONITORING)
    review = plm.Review.objects.create(
        organisation=organisation,
        association=association,
        milestone=milestone,
        due_on=milestone.closes_on,
    )
    benefit = tm.Benefit.objects.filter(tier=association.tier).first()
    delivery = tm.BenefitDelivery.objects.create(
        organisation=organisation,
        association=association,
        benefit=benefit,
        delivered_on=TODAY - dt.timedelta(days=10),
    )
    move = tm.TierChange.objects.create(
        organisation=organisation,
        from_association=association,
        to_tier=factories.tier("partner"),
        direction=tm.TierChange.Direction.UP,
        effective_date=TODAY,
        reason="Wider support agreed.",
        requested_by=requester,
    )
    activity = activity_record(
        actor=requester,
        organisation=organisation,
        kind="call",
        occurred_at=timezone.now(),
        summary="Called about the review",
        follow_up_title="Send the review notes",
        follow_up_due=timezone.localdate(),
    )
    return Side(
        organisation=organisation,
        objects={
            "activity": activity,
            "task": activity.tasks.get(),
            "organisation": organisation,
            "contact": factories.ContactFactory(organisation=organisation),
            "association": association,
            "tier-move": move,
            "mou": mou,
            "review": review,
            "contribution": factories.ContributionFactory(organisation=organisation),
            "benefit-delivery": delivery,
            "proposal": factories.ProposalFactory(organisation=organisation),
            "relationship-issue": factories.RelationshipIssueFactory(
                organisation=organisation
            ),
        },
    )


@dataclass
class World:
    own: Side
    other: Side


@pytest.fixture
def world(partner_user, manager) -> World:
    """The partner user's organisation ("own") and another one ("other")."""
    own = build_side(partner_user.portal_membership.organisation, manager)
    other = build_side(factories.OrganisationFactory(), manager)
    return World(own=own, other=other)


def staff(role: str, username: str):
    user = factories.UserFactory(username=username)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def second_senior_manager(db):
    return staff(roles.SENIOR_MANAGER, "senior2")
