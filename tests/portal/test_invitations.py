import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from ceop_crm.exceptions import ApplicationError
from ceop_crm.models import OutboundEmail
from partners.models import Organisation, PortalMembership
from partners.portal.services import portal_invite
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "a sturdy passphrase 42"


def _contact(**kwargs):
    organisation = factories.OrganisationFactory(
        name="Gamma Labs", status=Organisation.Status.ACTIVE
    )
    kwargs.setdefault("email", "Jo.Bloggs@Gamma.example")
    return factories.ContactFactory(
        organisation=organisation, name="Jo Bloggs", **kwargs
    )


def _invitation_path(email: OutboundEmail) -> str:
    match = re.search(r"https?://\S+/portal/invitation/\S+/\S+/", email.body_text)
    assert match, email.body_text
    return urlparse(match.group(0)).path


def _accept(client, path: str, password: str = PASSWORD):
    response = client.get(path)
    assert response.status_code == 302
    set_password_url = response["Location"]
    assert client.get(set_password_url).context["validlink"] is True
    return client.post(
        set_password_url, {"new_password1": password, "new_password2": password}
    )


def test_invite_creates_partner_user_and_queues_email_with_link(manager):
    contact = _contact()
    membership = portal_invite(contact=contact, actor=manager)
    user = membership.user
    assert user.email == "jo.bloggs@gamma.example"
    assert not user.has_usable_password()
    assert membership.organisation == contact.organisation
    assert membership.contact == contact
    assert membership.invited_by == manager
    assert membership.history.latest().history_user == manager
    email = OutboundEmail.objects.get(template="portal_invitation")
    assert email.to == ["jo.bloggs@gamma.example"]
    assert "Gamma Labs" in email.body_text
    assert "7 days" in email.body_text


def test_invitation_link_sets_password_signs_in_and_works_once(client, manager):
    membership = portal_invite(contact=_contact(), actor=manager)
    path = _invitation_path(OutboundEmail.objects.get())
    response = _accept(client, path)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert client.get(reverse("portal:home")).status_code == 200
    user = get_user_model().objects.get(pk=membership.user.pk)
    assert user.check_password(PASSWORD)
    assert membership.history.latest().history_change_reason == "Invitation accepted"
    client.logout()
    response = client.get(path, follow=True)
    assert response.context["validlink"] is False
    assert "no longer works" in response.content.decode()


def test_invitation_link_expires_after_seven_days(client, manager):
    portal_invite(contact=_contact(), actor=manager)
    path = _invitation_path(OutboundEmail.objects.get())
    with time_machine.travel(timedelta(days=6, hours=23)):
        assert client.get(path).status_code == 302  # still valid
    client.session.flush()
    with time_machine.travel(timedelta(days=7, hours=1)):
        response = client.get(path, follow=True)
        assert response.context["validlink"] is False


def test_inviting_again_spends_the_earlier_link(client, manager):
    contact = _contact()
    portal_invite(contact=contact, actor=manager)
    first = _invitation_path(OutboundEmail.objects.order_by("pk").first())
    portal_invite(contact=contact, actor=manager)
    second = _invitation_path(OutboundEmail.objects.order_by("pk").last())
    assert client.get(first, follow=True).context["validlink"] is False
    assert _accept(client, second).status_code == 302
    assert (
        PortalMembership.objects.filter(organisation=contact.organisation).count() == 1
    )


def test_password_too_weak_is_refused_beside_the_field(client, manager):
    portal_invite(contact=_contact(), actor=manager)
    path = _invitation_path(OutboundEmail.objects.get())
    response = _accept(client, path, password="12345")
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    user = get_user_model().objects.get(email="jo.bloggs@gamma.example")
    assert not user.has_usable_password()


def test_invite_refuses_contact_without_email(manager):
    with pytest.raises(ApplicationError) as error:
        portal_invite(contact=_contact(email=""), actor=manager)
    assert "email address" in str(error.value.message_dict["contact"])
    assert not OutboundEmail.objects.exists()


def test_invite_refuses_a_staff_users_address(manager, analyst):
    analyst.email = "jo.bloggs@gamma.example"
    analyst.save()
    with pytest.raises(ApplicationError, match="staff cannot use the portal"):
        portal_invite(contact=_contact(), actor=manager)
    assert not PortalMembership.objects.exists()


def test_invite_refuses_a_member_of_another_organisation(manager):
    other = factories.PortalMembershipFactory(user__email="jo.bloggs@gamma.example")
    with pytest.raises(ApplicationError, match="another organisation"):
        portal_invite(contact=_contact(), actor=manager)
    assert PortalMembership.objects.get().pk == other.pk


def test_invite_refuses_someone_already_using_the_portal(client, manager):
    contact = _contact()
    portal_invite(contact=contact, actor=manager)
    _accept(client, _invitation_path(OutboundEmail.objects.get()))
    with pytest.raises(ApplicationError, match="already uses the portal"):
        portal_invite(contact=contact, actor=manager)


def test_partner_signs_in_on_the_portal_sign_in_page(client, world_a):
    world_a.user.set_password(PASSWORD)
    world_a.user.save()
    response = client.post(
        reverse("portal:login"),
        {"username": world_a.user.username, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")


def test_staff_signing_in_on_the_portal_go_to_the_workspace(client, manager):
    response = client.post(
        reverse("portal:login"),
        {"username": manager.username, "password": "correct-horse-battery"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def _reset_path(email: OutboundEmail) -> str:
    match = re.search(r"https?://\S+/portal/password-reset/\S+/\S+/", email.body_text)
    assert match, email.body_text
    return urlparse(match.group(0)).path


def test_portal_password_reset_by_email(client, world_a):
    world_a.user.set_password("an old passphrase 1")
    world_a.user.save()
    response = client.post(
        reverse("portal:password_reset"), {"email": world_a.user.email}
    )
    assert response.status_code == 302
    email = OutboundEmail.objects.get(template="portal_password_reset")
    assert email.to == [world_a.user.email]
    response = client.get(_reset_path(email))
    assert response.status_code == 302
    response = client.post(
        response["Location"],
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response["Location"] == reverse("portal:password_reset_complete")
    world_a.user.refresh_from_db()
    assert world_a.user.check_password(PASSWORD)


def test_portal_password_reset_sends_nothing_to_staff(client, manager):
    response = client.post(reverse("portal:password_reset"), {"email": manager.email})
    assert response.status_code == 302  # the same answer, so addresses do not leak
    assert not OutboundEmail.objects.exists()
