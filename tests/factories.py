"""factory_boy factories with only the required fields set.

Reference data (tiers, principles, priority areas, groups) comes from the data
migrations; factories look it up rather than invent it.
"""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice
from factory.django import DjangoModelFactory

from partners import models as pm
from planning import models as plm
from priorities import models as prm
from tiers import models as tm

TODAY = dt.date(2026, 11, 28)


class PlainName(factory.Faker):
    """A British name without characters HTML escapes (O'Sullivan becomes OSullivan),
    so a test can look for it in a page as it was made."""

    def evaluate(self, instance, step, extra):
        return super().evaluate(instance, step, extra).replace("'", "")


def tier(code: str) -> tm.TierLevel:
    return tm.TierLevel.objects.get(code=code)


def review(organisation, milestone, due_on: dt.date, **fields) -> plm.Review:
    """A review of the organisation in the milestone's window, on its current
    association (one made when it has none)."""
    association = organisation.associations.first() or AssociationFactory(
        organisation=organisation
    )
    return plm.Review.objects.create(
        organisation=organisation,
        association=association,
        milestone=milestone,
        due_on=due_on,
        **fields,
    )


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = PlainName("first_name", locale="en_GB")
    last_name = PlainName("last_name", locale="en_GB")
    password = factory.django.Password("correct-horse-battery")


class TOTPDeviceFactory(DjangoModelFactory):
    """A confirmed authenticator app (tests/clients.py totp_code gives its code)."""

    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Phone"
    confirmed = True


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = pm.Organisation

    name = factory.Sequence(lambda n: f"Organisation {n:05d}")
    sector = pm.Sector.INDUSTRY


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = pm.Contact

    organisation = factory.SubFactory(OrganisationFactory)
    name = PlainName("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"contact{n}@partner.example")


class PortalMembershipFactory(DjangoModelFactory):
    class Meta:
        model = pm.PortalMembership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class DueDiligenceFactory(DjangoModelFactory):
    """Approved and current from a year before TODAY for two years."""

    class Meta:
        model = pm.DueDiligence

    organisation = factory.SubFactory(OrganisationFactory)
    assessed_on = TODAY - dt.timedelta(days=365)
    expires_on = TODAY + dt.timedelta(days=365)
    outcome = pm.DueDiligence.Outcome.APPROVED
    child_protection = pm.DueDiligence.ChildProtection.IN_PLACE
    brand_risk = pm.DueDiligence.BrandRisk.LOW


class MoUFactory(DjangoModelFactory):
    """A signed MoU in force around TODAY."""

    class Meta:
        model = pm.MoU

    organisation = factory.SubFactory(OrganisationFactory)
    status = pm.MoU.Status.SIGNED
    signed_on = TODAY - dt.timedelta(days=200)
    start = TODAY - dt.timedelta(days=200)
    end = TODAY + dt.timedelta(days=500)
    ceop_signatory = "Director of Partnerships"
    partner_signatory = PlainName("name", locale="en_GB")
    market_equally = True


class OwnershipLevelFactory(DjangoModelFactory):
    class Meta:
        model = pm.OwnershipLevel

    mou = factory.SubFactory(MoUFactory)
    level = 1
    side = pm.OwnershipLevel.Side.CEOP
    name = PlainName("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"owner{n}@ceop.example")


class AssociationFactory(DjangoModelFactory):
    """Written directly; tests of rules go through the services instead."""

    class Meta:
        model = tm.Association

    organisation = factory.SubFactory(OrganisationFactory)
    tier = factory.LazyFunction(lambda: tier("official-supporter"))
    start = TODAY - dt.timedelta(days=100)


class ContributionFactory(DjangoModelFactory):
    class Meta:
        model = pm.Contribution

    organisation = factory.SubFactory(OrganisationFactory)
    kind = pm.ContributionKind.EXPERTISE
    title = factory.Sequence(lambda n: f"Contribution {n}")


class ProposalFactory(DjangoModelFactory):
    class Meta:
        model = pm.Proposal

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Proposal {n}")
    offer = "Engineers for two days a month."


class RelationshipIssueFactory(DjangoModelFactory):
    class Meta:
        model = pm.RelationshipIssue

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Issue {n}")
    raised_on = TODAY


class PlanningYearFactory(DjangoModelFactory):
    class Meta:
        model = plm.PlanningYear
        django_get_or_create = ("label",)

    label = "2026/27"
    start = dt.date(2026, 4, 1)
    end = dt.date(2027, 3, 31)


class CentrePlanObjectiveFactory(DjangoModelFactory):
    class Meta:
        model = prm.CentrePlanObjective

    planning_year = factory.SubFactory(PlanningYearFactory)
    code = factory.Sequence(lambda n: f"CP{n}")
    title = factory.Sequence(lambda n: f"Centre Plan objective {n}")


class ThreatFactory(DjangoModelFactory):
    class Meta:
        model = prm.Threat

    planning_year = factory.SubFactory(PlanningYearFactory)
    title = factory.Sequence(lambda n: f"Threat {n}")
