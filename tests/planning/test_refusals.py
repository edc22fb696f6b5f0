"""A refused address reaches whoever can correct it: a contact's, the owner and
deputy of its organisation (page and notices); a staff user's own, the
administrators. In the app only, once per refusal."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from ceop_crm import roles
from ceop_crm.bounces import email_bounces_record
from planning.models import Reminder
from planning.services.refusals import email_refusals_notify
from tests import factories

pytestmark = pytest.mark.django_db

REFUSAL = (550, b"5.1.1 mailbox unavailable")


def _staff(role: str, username: str):
    user = factories.UserFactory(username=username)
    user.groups.add(Group.objects.get(name=role))
    return user


def _refuse(*addresses: str) -> list[int]:
    refused = dict.fromkeys(addresses, REFUSAL)
    email_bounces_record(refused)
    return email_refusals_notify(addresses=list(refused))


def test_a_refused_contact_is_in_the_owners_and_deputys_notices_only(client):
    owner = _staff(roles.RELATIONSHIP_MANAGER, "owner")
    deputy = _staff(roles.RELATIONSHIP_MANAGER, "deputy")
    other = _staff(roles.RELATIONSHIP_MANAGER, "other")
    org = factories.OrganisationFactory(name="Gamma Labs", owner=owner, deputy=deputy)
    factories.ContactFactory(organisation=org, name="Rex", email="Rex@Gamma.example")
    _refuse("rex@gamma.example")
    notices = Reminder.objects.filter(subject_type="email-refused")
    assert set(notices.values_list("recipient", "delivery")) == {
        (owner.pk, "app"),
        (deputy.pk, "app"),
    }
    notice = notices.get(recipient=owner)
    assert notice.title == "Email refused: Rex of Gamma Labs"
    assert "Rex@Gamma.example" in notice.body
    assert "550" in notice.body
    assert notice.url.endswith("#contacts")
    client.force_login(owner)
    assert b"Email refused: Rex of Gamma Labs" in client.get("/notifications/").content
    page = client.get(reverse("partners:organisation_detail", args=[org.pk]))
    assert b'id="email-bounces"' in page.content
    client.force_login(other)
    assert b"Email refused" not in client.get("/notifications/").content
    # Refused again: the same refusal is not noticed twice.
    assert _refuse("rex@gamma.example") == []


def test_a_staff_users_own_refused_address_is_shown_to_administrators(
    client, admin_user
):
    senior = _staff(roles.SENIOR_MANAGER, "senior-bounced")
    senior.email = "Senior@Ceop.example"
    senior.save()
    manager = _staff(roles.RELATIONSHIP_MANAGER, "colleague")
    _refuse("senior@ceop.example")
    [notice] = Reminder.objects.filter(subject_type="email-refused")
    assert notice.recipient == admin_user
    assert notice.title == f"Email refused: staff user {senior.get_full_name()}"
    assert notice.url == reverse("admin:auth_user_change", args=[senior.pk])
    assert not manager.reminders.exists()
    assert not senior.reminders.exists()


def test_an_address_of_no_one_known_is_noticed_by_no_one(admin_user):
    assert _refuse("stranger@nowhere.example") == []
    assert not Reminder.objects.exists()
