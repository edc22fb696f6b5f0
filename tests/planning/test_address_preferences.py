"""People without an account (an organisation's primary contact, the escalation
contacts of an MoU): a signed link to their email choices, the one-click
unsubscribe header, and a sweep that honours what they switched off. Then a
walk of every send path: no email leaves without a link to preferences."""

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from ceop_crm import mail as outbox
from ceop_crm.exceptions import ApplicationError
from ceop_crm.models import OutboundEmail
from partners.portal.services import portal_invite
from planning.models import AddressOptOut
from planning.services import preferences, reminders_send, reminders_sweep
from planning.services.address_preferences import (
    address_choices,
    address_choices_set,
    address_headers,
    address_preferences_url,
    address_token,
)
from planning.services.digest import digests_send
from planning.services.email_settings import email_settings_set
from planning.services.scheduled_reports import (
    report_subscription_create,
    scheduled_reports_send,
)
from planning.services.self_assessment import (
    SELF_ASSESSMENT_FIELDS,
    self_assessment_submit,
)
from tests import factories
from tests.planning.scenario import YEAR_START, build_year

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
Q1_DUE = dt.date(2026, 7, 31)
UPCOMING = Q1_DUE - dt.timedelta(days=14)
PAT = "pat@partner.example"
SITE = "https://partners.ceop.example"


def at(day: dt.date, hour: int = 9, minute: int = 5):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _site(monkeypatch, settings):
    monkeypatch.setattr(outbox, "task_enqueue", lambda task, *args: False)
    settings.SITE_URL = SITE
    settings.MAIL_REPLY_TO = ""


@pytest.fixture
def year():
    with time_machine.travel(at(YEAR_START), tick=False):
        return build_year()


def _pat_emails():
    return OutboundEmail.objects.filter(to=[PAT]).order_by("pk")


def _path(url: str) -> str:
    return url.removeprefix(SITE)


# --- The email an address receives ---------------------------------------------------


def test_a_contacts_reminder_links_to_their_choices_with_unsubscribe_and_reply_to(
    year,
):
    email_settings_set(
        actor=year.senior,
        reply_to_address="partnerships@ceop.example",
        reply_to_name="",
    )
    with time_machine.travel(at(UPCOMING), tick=False):
        reminders_sweep()
    [email] = _pat_emails()
    assert email.headers["Reply-To"] == "partnerships@ceop.example"
    assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert email.headers["List-Unsubscribe"].startswith(f"<{SITE}/email/unsubscribe/")
    outbox.outbound_email_send(ids=[email.pk])
    [message] = [m for m in mail.outbox if m.to == [PAT]]
    link = address_preferences_url(address=PAT)
    assert link in message.body
    assert link in message.alternatives[0][0]
    assert (
        message.extra_headers["List-Unsubscribe"] == email.headers["List-Unsubscribe"]
    )


def test_an_escalation_to_an_address_has_no_unsubscribe_header():
    headers = address_headers(address=PAT, kind="escalations", reply_to="")
    assert headers == {}
    assert "List-Unsubscribe" in address_headers(address=PAT, kind="mous", reply_to="")


# --- The page, without signing in ------------------------------------------------------


def test_the_page_opens_without_signing_in_and_saves_the_addresses_choices(year):
    client = Client()
    page = _path(address_preferences_url(address="Pat@Partner.example"))
    response = client.get(page)
    assert response.status_code == 200
    assert PAT in response.content.decode()
    form = response.context["form"]
    assert form.fields["escalations"].disabled
    response = client.post(page, {"mous": "on", "milestones": "on", "issues": "on"})
    assert response.status_code == 302
    assert address_choices(address=PAT) == {
        "reviews": False,
        "mous": True,
        "milestones": True,
        "issues": True,
        "escalations": True,  # cannot be switched off, even by leaving it out
    }
    assert set(AddressOptOut.objects.values_list("address", "kind")) == {
        (PAT, "reviews")
    }
    client.post(page, {"reviews": "on", "mous": "on", "milestones": "on"})
    assert set(AddressOptOut.objects.values_list("kind", flat=True)) == {"issues"}


def _bad_tokens() -> list[str]:
    return [
        "nonsense",
        address_token(address=PAT)[:-2] + "xx",
        # A token of another purpose (a one-click unsubscribe) is not accepted.
        preferences.unsubscribe_token(user_id=1, kind="reviews"),
    ]


@pytest.mark.parametrize("which", [0, 1, 2])
def test_a_bad_link_is_a_clear_400_and_changes_nothing(which):
    client = Client()
    page = reverse("address_email_preferences", args=[_bad_tokens()[which]])
    assert client.get(page).status_code == 400
    response = client.post(page, {})
    assert response.status_code == 400
    assert b"This link is not valid." in response.content
    assert not AddressOptOut.objects.exists()


def test_escalations_cannot_be_switched_off_and_nothing_is_half_saved():
    with pytest.raises(ApplicationError) as refused:
        address_choices_set(
            address=PAT, receive={"reviews": False, "escalations": False}
        )
    assert "escalations" in refused.value.message_dict
    assert not AddressOptOut.objects.exists()


def test_one_click_unsubscribe_of_an_address_without_session_or_csrf(year):
    with time_machine.travel(at(UPCOMING), tick=False):
        reminders_sweep()
    [email] = _pat_emails()
    url = email.headers["List-Unsubscribe"].strip("<>")
    client = Client(enforce_csrf_checks=True)
    assert b"your email choices" in client.get(_path(url)).content
    response = client.post(_path(url), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert address_choices(address=PAT)["reviews"] is False


# --- The sweep honours the choice ----------------------------------------------------------


def test_the_sweep_records_nothing_an_address_switched_off(year):
    address_choices_set(address=PAT, receive={"reviews": False})
    with time_machine.travel(at(UPCOMING), tick=False):
        reminders_sweep()
    assert not _pat_emails().exists()
    # The owner still hears of the review.
    assert year.manager.reminders.filter(step="review_upcoming").exists()
    address_choices_set(address=PAT, receive={"reviews": True})
    with time_machine.travel(at(Q1_DUE), tick=False):
        reminders_sweep()
    assert _pat_emails().exists()


# --- Every send path carries a link to preferences -------------------------------------

PREFERENCE_LINK = re.compile(
    re.escape(SITE)
    + r"/(notifications/preferences/|portal/email-preferences/|email/choices/\S+/"
    r"|reports/scheduled/)"
)
# Templates no send path of the project uses (tests render it as a sample).
UNUSED_TEMPLATES = {"notice"}


def _every_email_template() -> set[str]:
    folder = Path(django_settings.BASE_DIR) / "templates" / "email"
    return {p.stem for p in folder.glob("*.txt")} - {"base"} - UNUSED_TEMPLATES


def test_every_send_path_has_a_link_to_preferences(year, settings):
    """Walks every path that sends mail; fails on a message without the link,
    and on a template under templates/email/ that no path here sent."""
    from tests.portal.test_public import _data

    preferences.preferences_set(user=year.deputy, choices={"reviews": "digest"})
    report_subscription_create(
        actor=year.senior, report="reviews", frequency="monthly", user=year.senior
    )
    with time_machine.travel(at(UPCOMING, hour=7), tick=False):
        reminders_sweep()  # users (staff and partner) and addresses
        reminders_send()
    with time_machine.travel(at(UPCOMING, hour=8, minute=0), tick=False):
        digests_send()
    with time_machine.travel(at(dt.date(2026, 8, 1), hour=7), tick=False):
        scheduled_reports_send()
    review = year.partner.reviews.order_by("due_on").first()
    partner_user = factories.PortalMembershipFactory(organisation=year.partner).user
    self_assessment_submit(
        review=review,
        actor=partner_user,
        **dict.fromkeys(SELF_ASSESSMENT_FIELDS, "An answer."),
    )
    Client().post(reverse("public:approach"), _data())
    contact = factories.ContactFactory(
        organisation=year.partner, email="new.person@partner.example"
    )
    portal_invite(contact=contact, actor=year.manager)
    Client().post(reverse("password_reset"), {"email": year.manager.email})
    partner_user.set_password("a partner passphrase 1")
    partner_user.save()
    Client().post(reverse("portal:password_reset"), {"email": partner_user.email})
    outbox.outbound_email_send()

    templates = set(OutboundEmail.objects.values_list("template", flat=True))
    templates.add("reminder")  # user reminders are built, not stored
    assert templates >= _every_email_template(), _every_email_template() - templates
    assert len(mail.outbox) >= len(_every_email_template())
    for message in mail.outbox:
        html = message.alternatives[0][0]
        for body in (message.body, html):
            assert PREFERENCE_LINK.search(body), (message.subject, message.to)
