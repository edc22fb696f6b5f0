"""A planning year with one organisation of each level, built through the services.

Used by the reminder tests: a Strategic Partner, a Partner, an Official
Supporter and a supplier, all owned by one relationship manager, starting on
1 April 2026, the first day of planning year 2026/27.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import Group

from ceop_crm import roles
from partners import models as pm
from partners.services import relationship_issue_raise
from tests import factories
from tiers.services import association_start

YEAR_START = dt.date(2026, 4, 1)
YEAR_END = dt.date(2027, 3, 31)


@dataclass
class Year:
    manager: object
    deputy: object
    senior: object
    strategic: pm.Organisation
    partner: pm.Organisation
    supporter: pm.Organisation
    supplier: pm.Organisation
    strategic_user: object
    supporter_user: object
    supplier_user: object


def staff(role: str, username: str):
    user = factories.UserFactory(username=username)
    user.groups.add(Group.objects.get(name=role))
    return user


def build_year(*, prefix: str = "") -> Year:
    """Everything of the scenario; call with time frozen on YEAR_START."""
    manager = staff(roles.RELATIONSHIP_MANAGER, f"{prefix}manager")
    deputy = staff(roles.RELATIONSHIP_MANAGER, f"{prefix}deputy")
    senior = staff(roles.SENIOR_MANAGER, f"{prefix}senior")

    def organisation(name: str, *, with_deputy: bool) -> pm.Organisation:
        org = factories.OrganisationFactory(
            name=f"{prefix}{name}",
            owner=manager,
            deputy=deputy if with_deputy else None,
        )
        factories.DueDiligenceFactory(organisation=org)
        return org

    strategic = organisation("Strategic Co", with_deputy=True)
    partner = organisation("Partner Co", with_deputy=True)
    supporter = organisation("Supporter Co", with_deputy=False)
    supplier = organisation("Supplier Co", with_deputy=False)

    strategic_mou = factories.MoUFactory(
        organisation=strategic,
        signed_on=dt.date(2025, 9, 1),
        start=dt.date(2025, 10, 1),
        end=dt.date(2026, 9, 30),
    )
    partner_mou = factories.MoUFactory(
        organisation=partner,
        signed_on=dt.date(2025, 9, 1),
        start=dt.date(2025, 10, 1),
        end=dt.date(2027, 12, 31),
    )
    factories.OwnershipLevelFactory(
        mou=partner_mou, level=1, side="ceop", email=manager.email, days_to_resolve=14
    )
    factories.OwnershipLevelFactory(
        mou=partner_mou, level=2, side="ceop", name="Senior", email=senior.email
    )
    factories.OwnershipLevelFactory(
        mou=partner_mou,
        level=2,
        side="partner",
        name="Dana Director",
        email=f"{prefix}director@partner.example",
    )
    factories.MoUFactory(
        organisation=supplier,
        title="Services contract",
        signed_on=dt.date(2025, 1, 15),
        start=dt.date(2025, 2, 1),
        end=dt.date(2027, 1, 31),
    )

    for org, code, mou in (
        (strategic, "strategic-partner", strategic_mou),
        (partner, "partner", partner_mou),
        (supporter, "official-supporter", None),
        (supplier, "supplier", None),
    ):
        association_start(
            organisation=org,
            tier=factories.tier(code),
            start=YEAR_START,
            actor=manager,
            mou=mou,
        )

    # The Strategic Partner's primary contact is its portal user: one person,
    # reached once, in the portal.
    strategic_contact = factories.ContactFactory(
        organisation=strategic, email=f"{prefix}sol@strategic.example", is_primary=True
    )
    strategic_user = factories.PortalMembershipFactory(
        organisation=strategic,
        contact=strategic_contact,
        user__username=f"{prefix}sol",
        user__email=f"{prefix}sol@strategic.example",
    ).user
    # The Partner has no portal user: its primary contact gets email only.
    factories.ContactFactory(
        organisation=partner,
        name="Pat Partner",
        email=f"{prefix}pat@partner.example",
        is_primary=True,
    )
    supporter_user = factories.PortalMembershipFactory(
        organisation=supporter, user__username=f"{prefix}ola"
    ).user
    supplier_user = factories.PortalMembershipFactory(
        organisation=supplier, user__username=f"{prefix}sid"
    ).user
    factories.ContactFactory(
        organisation=supplier, email=f"{prefix}sam@supplier.example", is_primary=True
    )
    return Year(
        manager=manager,
        deputy=deputy,
        senior=senior,
        strategic=strategic,
        partner=partner,
        supporter=supporter,
        supplier=supplier,
        strategic_user=strategic_user,
        supporter_user=supporter_user,
        supplier_user=supplier_user,
    )


def raise_issue(year: Year) -> pm.RelationshipIssue:
    """The Partner's issue, raised today at the first level of its MoU's hierarchy."""
    return relationship_issue_raise(
        organisation=year.partner,
        title="Data sharing delayed",
        actor=year.manager,
        owner=year.manager,
    )
