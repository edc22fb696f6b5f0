"""Organisations around one joint contribution, and a user of each role."""

from dataclasses import dataclass

from django.contrib.auth.models import Group

from ceop_crm import roles
from partners.joint.services import contribution_party_add
from partners.models import Contribution, Organisation
from tests import factories


@dataclass
class JointWorld:
    lead: Organisation
    involved: Organisation
    uninvolved: Organisation
    supplier: Organisation
    prospect: Organisation
    contribution: Contribution
    owner: object
    other_manager: object
    senior: object
    analyst: object
    lead_partner: object
    involved_partner: object
    uninvolved_partner: object


def _staff(role: str, username: str):
    user = factories.UserFactory(username=username)
    user.groups.add(Group.objects.get(name=role))
    return user


def _organisation(name: str, tier_code: str | None, owner=None) -> Organisation:
    organisation = factories.OrganisationFactory(
        name=name,
        owner=owner,
        status=Organisation.Status.ACTIVE
        if tier_code
        else Organisation.Status.PROSPECT,
        description=f"{name} private description",
    )
    if tier_code:
        factories.AssociationFactory(
            organisation=organisation, tier=factories.tier(tier_code)
        )
    return organisation


def _partner_user(organisation: Organisation, username: str):
    contact = factories.ContactFactory(
        organisation=organisation, email=f"{username}@contact.example"
    )
    membership = factories.PortalMembershipFactory(
        user__username=username, organisation=organisation, contact=contact
    )
    return membership.user


def make_joint_world(*, with_party: bool = True) -> JointWorld:
    owner = _staff(roles.RELATIONSHIP_MANAGER, "lead-owner")
    other_manager = _staff(roles.RELATIONSHIP_MANAGER, "other-manager")
    lead = _organisation("Lead Harbour Trust", "partner", owner=owner)
    involved = _organisation(
        "Involved Signal Labs", "official-supporter", other_manager
    )
    uninvolved = _organisation("Uninvolved Beacon Group", "partner", other_manager)
    contribution = factories.ContributionFactory(
        organisation=lead, title="Joint safer-design workshop"
    )
    world = JointWorld(
        lead=lead,
        involved=involved,
        uninvolved=uninvolved,
        supplier=_organisation("Supplier Print Works", "supplier"),
        prospect=_organisation("Prospect Online Ltd", None),
        contribution=contribution,
        owner=owner,
        other_manager=other_manager,
        senior=_staff(roles.SENIOR_MANAGER, "senior-joint"),
        analyst=_staff(roles.ANALYST, "analyst-joint"),
        lead_partner=_partner_user(lead, "lead-partner"),
        involved_partner=_partner_user(involved, "involved-partner"),
        uninvolved_partner=_partner_user(uninvolved, "uninvolved-partner"),
    )
    if with_party:
        contribution_party_add(
            contribution=contribution, organisation=involved, actor=owner
        )
    return world
