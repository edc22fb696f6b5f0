"""No usable password-reset or invitation link stays readable once its email
is sent: not in the outbox table, nor on its admin page. The staff password
reset goes through the same outbox as every other email."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from ceop_crm.mail import REDACTED, outbound_email_send
from ceop_crm.models import OutboundEmail
from partners.models import Organisation
from partners.portal.services import portal_invite
from tests import factories

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a sturdy passphrase 42"


def _link(text: str, marker: str) -> str:
    match = re.search(rf"https?://\S+{marker}\S+/\S+/", text)
    assert match, text
    return urlparse(match.group(0)).path


def _stored_text(email: OutboundEmail) -> str:
    email.refresh_from_db()
    return email.body_text + email.body_html + str(email.secrets)


def _assert_gone_once_sent(email: OutboundEmail, link: str, admin_client) -> None:
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token in _stored_text(email)  # waiting to be sent: the worker needs it
    assert outbound_email_send().sent == 1
    assert token not in _stored_text(email)
    assert REDACTED in email.body_text
    assert token in mail.outbox[-1].body  # the person still got a working link
    page = admin_client.get(
        reverse("admin:ceop_crm_outboundemail_change", args=[email.pk])
    )
    assert page.status_code == 200
    assert token not in page.content.decode()


def test_an_invitation_link_is_removed_once_sent_and_still_works(manager, admin_client):
    organisation = factories.OrganisationFactory(status=Organisation.Status.ACTIVE)
    contact = factories.ContactFactory(
        organisation=organisation, email="jo@gamma.example"
    )
    portal_invite(contact=contact, actor=manager)
    email = OutboundEmail.objects.get(template="portal_invitation")
    link = _link(email.body_text, "/portal/invitation/")
    _assert_gone_once_sent(email, link, admin_client)
    visitor = Client()
    set_password = visitor.get(link)["Location"]
    response = visitor.post(
        set_password, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302


@pytest.mark.parametrize("page", ["workspace", "portal"])
def test_password_reset_goes_through_the_outbox_and_its_link_is_removed_once_sent(
    manager, partner_user, admin_client, page
):
    user, url, marker = (
        (manager, reverse("password_reset"), "/accounts/password/reset/")
        if page == "workspace"
        else (partner_user, reverse("portal:password_reset"), "/portal/password-reset/")
    )
    Client().post(url, {"email": user.email})
    assert mail.outbox == []  # not sent from the request: queued
    email = OutboundEmail.objects.get(to=[user.email])
    link = _link(email.body_text, marker)
    _assert_gone_once_sent(email, link, admin_client)
    visitor = Client()
    form = visitor.get(link)
    response = visitor.post(
        form["Location"],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
