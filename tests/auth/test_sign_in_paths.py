"""Every way into a session leads through the second factor for staff.

These tests use a plain django.test.Client and the real pages (not the
verifying force_login of tests/clients.py).
"""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from ceop_crm.mail import outbound_email_send
from ceop_crm.models import OutboundEmail
from tests import factories
from tests.clients import enrol, totp_code

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


@pytest.fixture
def clock():
    with time_machine.travel(
        dt.datetime(2026, 11, 28, 10, tzinfo=dt.UTC), tick=False
    ) as traveller:
        yield traveller


NEW_PASSWORD = "a-new-long-passphrase-42"


def owes_second_factor(client: Client) -> bool:
    response = client.get("/")
    return response.status_code == 302 and response["Location"].startswith(
        (reverse("two_factor_setup"), reverse("two_factor_verify"))
    )


def test_workspace_sign_in_then_enrol_then_verify_next_time(manager, clock):
    client = Client()
    client.post(reverse("login"), {"username": "manager", "password": PASSWORD})
    assert owes_second_factor(client)
    codes = enrol(client, manager)
    assert len(codes) == 10
    assert client.get("/").status_code == 200

    again = Client()
    again.post(reverse("login"), {"username": "manager", "password": PASSWORD})
    response = again.get("/reviews/")
    assert response["Location"] == reverse("two_factor_verify") + "?next=/reviews/"
    wrong = again.post(reverse("two_factor_verify"), {"token": "000000"})
    assert wrong.status_code == 200
    assert "not right" in wrong.content.decode()
    assert owes_second_factor(again)
    device = TOTPDevice.objects.get(user=manager)
    # After a wrong code the device waits (django-otp's throttling) before the next.
    refused = again.post(reverse("two_factor_verify"), {"token": totp_code(device)})
    assert refused.status_code == 200
    clock.shift(3)
    response = again.post(
        reverse("two_factor_verify"), {"token": totp_code(device), "next": "/reviews/"}
    )
    assert response["Location"] == "/reviews/"
    assert again.get("/reviews/").status_code == 200


def test_a_recovery_code_signs_in_once(manager):
    client = Client()
    client.post(reverse("login"), {"username": "manager", "password": PASSWORD})
    codes = enrol(client, manager)
    for attempt, expected in ((1, True), (2, False)):
        other = Client()
        other.post(reverse("login"), {"username": "manager", "password": PASSWORD})
        other.post(reverse("two_factor_verify"), {"token": codes[0].upper()})
        assert owes_second_factor(other) is not expected, attempt


def test_a_password_alone_cannot_replace_an_authenticator(manager):
    factories.TOTPDeviceFactory(user=manager)
    client = Client()
    client.post(reverse("login"), {"username": "manager", "password": PASSWORD})
    response = client.get(reverse("two_factor_setup"))
    assert response["Location"].startswith(reverse("two_factor_verify"))
    assert (
        client.post(reverse("two_factor_setup"), {"token": "123456"}).status_code == 302
    )
    assert TOTPDevice.objects.filter(user=manager).count() == 1


def test_portal_sign_in_page_does_not_skip_it_for_staff(manager):
    client = Client()
    client.post(reverse("portal:login"), {"username": "manager", "password": PASSWORD})
    assert "_auth_user_id" in client.session
    assert owes_second_factor(client)


def test_admin_sign_in_does_not_skip_it(admin_user):
    client = Client()
    client.post(
        reverse("admin:login"),
        {"username": admin_user.username, "password": "password", "next": "/admin/"},
    )
    assert "_auth_user_id" not in client.session
    client.post(
        reverse("login") + "?next=/admin/",
        {"username": admin_user.username, "password": "password", "next": "/admin/"},
    )
    response = client.get("/admin/")
    assert response["Location"].startswith(reverse("two_factor_setup"))


def _reset_link() -> str:
    outbound_email_send()
    body = mail.outbox[-1].body
    return re.search(r"https?://\S+/password/reset/\S+/\S+/", body).group(0)


def test_password_reset_does_not_skip_it(manager):
    client = Client()
    client.post(reverse("password_reset"), {"email": manager.email})
    assert OutboundEmail.objects.filter(to=[manager.email]).exists()
    link = _reset_link().split("://", 1)[1].split("/", 1)[1]
    form = client.get("/" + link, follow=True)
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    client.post(reverse("login"), {"username": "manager", "password": NEW_PASSWORD})
    assert owes_second_factor(client)


def test_any_other_login_call_leaves_the_session_unverified(manager):
    """django.contrib.auth.login() by any view (here the test client's real
    login) gives a session that owes the second factor; so does a new sign-in of
    the same user in a session that was verified."""
    client = Client()
    assert client.login(username="manager", password=PASSWORD)
    assert owes_second_factor(client)
    enrol(client, manager)
    assert not owes_second_factor(client)
    assert client.login(username="manager", password=PASSWORD)
    assert owes_second_factor(client)


def test_a_partner_user_is_not_forced_but_may_enrol(partner_user):
    client = Client()
    client.post(reverse("portal:login"), {"username": "partner", "password": PASSWORD})
    assert client.get(reverse("portal:home")).status_code == 200
    page = client.get(reverse("portal:password_change"))
    assert reverse("two_factor_setup") in page.content.decode()
    enrol(client, partner_user)
    other = Client()
    other.post(reverse("portal:login"), {"username": "partner", "password": PASSWORD})
    response = other.get(reverse("portal:home"))
    assert response["Location"].startswith(reverse("two_factor_verify"))


def test_setup_page_shows_a_qr_code_and_the_key(manager):
    client = Client()
    client.post(reverse("login"), {"username": "manager", "password": PASSWORD})
    html = client.get(reverse("two_factor_setup")).content.decode()
    assert "<svg" in html
    assert 'class="font-monospace fs-6 mb-0 totp-secret"' in html


def test_public_pages_stay_open_before_the_second_step(manager):
    client = Client()
    client.force_login(manager)  # a password sign-in: the second step is owed
    assert owes_second_factor(client)
    for path in ("/privacy-notice/", "/get-involved/"):
        assert client.get(path).status_code == 200, path
    assert client.get("/").status_code == 302
