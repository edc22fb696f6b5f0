"""One person held in every place the system keeps personal data, and the DPO."""

import datetime as dt
from dataclasses import dataclass

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from activities.models import Activity
from activities.services import activity_record
from ceop_crm import roles
from ceop_crm.bounces import email_bounces_record
from ceop_crm.mail import email_queue
from ceop_crm.models import OutboundEmail
from ceop_crm.privacy.models import ReadLogEntry
from ceop_crm.privacy.services import read_log_record
from partners.models import Contact, MoU, Proposal
from partners.services import contact_save, proposal_submit
from planning.models import Reminder, SelfAssessment
from planning.services.address_preferences import address_choices_set
from planning.services.self_assessment import self_assessment_submit
from tests import factories
from tests.clients import VerifiedClient
from tests.portal.conftest import PartnerWorld, make_partner_world

NAME = "Philippa Quarrendon"
EMAIL = "p.quarrendon@northwind.example"
OLD_NAME = "Philippa Marchbanks"  # her name before a change: only in the history
PHONE = "01632 960123"  # only in her contact row and its versions
# Every place of ceop_crm.privacy.sources: seed_person puts her in each.
PLACES = {
    "user",
    "email",
    "contact",
    "portal_membership",
    "proposal_sender",
    "mou_signatory",
    "ownership_level",
    "due_diligence",
    "self_assessment",
    "reminder",
    "activity",
    "email_bounce",
    "address_opt_out",
}
# The places holding only an address: found by email, never by name.
ADDRESS_ONLY_PLACES = {"email_bounce", "address_opt_out"}
# Another address's refusal and opt-out, which her erasure must leave alone.
OTHER_EMAIL = "desk@northwind.example"


def signed_in(user, **client_kwargs) -> Client:
    """A test client signed in as the user, second factor passed (anonymous for
    None)."""
    client = VerifiedClient(**client_kwargs)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def dpo(db):
    user = factories.UserFactory(username="dpo", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.DATA_PROTECTION_OFFICER))
    return user


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="root", is_staff=True, is_superuser=True)


@dataclass
class Person:
    world: PartnerWorld
    contact: Contact
    user: object
    proposal: Proposal
    public_proposal: Proposal
    old_mou: MoU
    email: OutboundEmail
    reminder: Reminder
    self_assessment: SelfAssessment
    activity_took_part: Activity
    activity_naming: Activity


def seed_person(*, actor) -> Person:
    """The person as a contact (renamed once), a partner user, a proposal sender,
    the signatory of an MoU that has ended, an MoU owner, named in due diligence
    notes, sent an email and a reminder, the author of a self-assessment, in
    admin's log, in the read log and in the failed sign-in records, her address
    once refused by the mail server and with two kinds of notice switched off
    (and another address with the same, which concerns someone else)."""
    world = make_partner_world("Northwind Safety")
    organisation = world.organisation
    contact = world.contact
    contact.name, contact.email = OLD_NAME, EMAIL
    contact_save(contact=contact, actor=actor)
    contact.name, contact.phone, contact.job_title = (
        NAME,
        "01632 960123",
        "Head of Trust",
    )
    contact_save(contact=contact, actor=actor)
    user = world.user
    user.first_name, user.last_name, user.email = "Philippa", "Quarrendon", EMAIL
    user.save()
    proposal = world.proposal
    proposal.contact_name, proposal.contact_email = NAME, EMAIL
    proposal.save()
    public_proposal = proposal_submit(
        organisation=organisation,
        title="Moderation tooling",
        offer=f"Offered by {NAME} ({EMAIL}).",
        new_threat="Grooming on new platforms.",
        actor=None,
        source=Proposal.Source.PUBLIC,
        contact_name=NAME,
        contact_email=EMAIL,
    )
    old_mou = factories.MoUFactory(
        organisation=organisation,
        status=MoU.Status.EXPIRED,
        signed_on=factories.TODAY - dt.timedelta(days=1200),
        start=factories.TODAY - dt.timedelta(days=1200),
        end=factories.TODAY - dt.timedelta(days=500),
        partner_signatory=NAME,
    )
    factories.OwnershipLevelFactory(
        mou=world.mou,
        level=2,
        side="partner",
        name=NAME,
        email=EMAIL,
        role="Head of Trust",
    )
    factories.DueDiligenceFactory(
        organisation=organisation, notes=f"Child protection lead is {NAME}; checked."
    )
    email = email_queue(
        to=[EMAIL],
        subject="Your approach to CEOP",
        template="notice",
        context={
            "title": "Your approach",
            "greeting": f"Dear {NAME}",
            "message": "Thanks.",
        },
    )
    # A reminder whose words are free text (an "other" reminder), as a task's
    # or an issue's are: the review reminders' words name nobody.
    reminder = world.reminder
    reminder.step = reminder.Step.OTHER
    reminder.body = f"{NAME}: your review is coming up."
    reminder.save()
    assessment = self_assessment_submit(
        review=world.review,
        actor=user,
        progress=f"Progress written by {NAME}.",
        benefits_received="Training.",
        benefits_given="Data access.",
        improvements="None.",
    )
    # An activity she took part in, and a note naming her she was not at.
    took_part = activity_record(
        actor=actor,
        organisation=organisation,
        kind="meeting",
        occurred_at=timezone.now(),
        summary="Quarterly meeting at their office.",
        contacts=[contact],
    )
    naming = activity_record(
        actor=actor,
        organisation=organisation,
        kind="note",
        occurred_at=timezone.now(),
        summary=f"{NAME} asked for the referral figures.",
    )
    LogEntry.objects.create(
        user=actor,
        content_type=ContentType.objects.get_for_model(Contact),
        object_id=str(contact.pk),
        object_repr=NAME,
        action_flag=CHANGE,
        change_message=f"Changed email of {NAME}.",
    )
    read_log_record(
        user=actor,
        kind=ReadLogEntry.Kind.PERSON_SEARCH,
        what="Person search",
        query=NAME,
    )
    for address in (EMAIL, OTHER_EMAIL):
        email_bounces_record({address: (550, b"5.1.1 Mailbox unavailable")})
        address_choices_set(address=address, receive={"reviews": False, "mous": False})
    for model in (AccessAttempt, AccessFailureLog):
        model.objects.create(
            username=EMAIL,
            ip_address="192.0.2.10",
            user_agent="test",
            http_accept="*/*",
            path_info="/accounts/login/",
            **({"failures_since_start": 1} if model is AccessAttempt else {}),
        )
    return Person(
        world=world,
        contact=contact,
        user=user,
        proposal=proposal,
        public_proposal=public_proposal,
        old_mou=old_mou,
        email=email,
        reminder=reminder,
        self_assessment=assessment,
        activity_took_part=took_part,
        activity_naming=naming,
    )


@pytest.fixture
def person(db, senior_manager) -> Person:
    return seed_person(actor=senior_manager)
