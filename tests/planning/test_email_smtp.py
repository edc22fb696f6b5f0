"""Real mail: Django's SMTP backend talking to an SMTP server (aiosmtpd) started
in the test. What arrives is read off the wire: headers, both parts, the
unsubscribe header, the attachment. A server that is down leaves the email
queued for retry; a refused address is recorded and shown to the owner."""

import datetime as dt
import email
import email.policy
import io
import socket
from zoneinfo import ZoneInfo

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.urls import reverse
from openpyxl import load_workbook

from ceop_crm import mail as outbox
from ceop_crm.models import EmailBounce, OutboundEmail
from planning.models import Reminder
from planning.services import preferences, reminders_send, reminders_sweep
from planning.services.digest import digests_send
from planning.services.email_settings import email_settings_set
from planning.services.scheduled_reports import (
    report_subscription_create,
    scheduled_reports_send,
)
from tests import factories
from tests.planning.scenario import YEAR_START, build_year

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
UPCOMING = dt.date(2026, 7, 17)
REFUSED = "nobody@refused.example"


def at(day: dt.date, hour: int = 9, minute: int = 5):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


class Inbox:
    """An aiosmtpd handler that keeps what it accepts and refuses one address."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() == REFUSED:
            return "550 5.1.1 <nobody@refused.example>: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"

    def start(self, port: int) -> None:
        # A stopped controller's loop is closed: a restart is a new controller.
        self.controller = Controller(self, hostname="127.0.0.1", port=port)
        self.controller.start()
        self.running = True

    def stop(self) -> None:
        if self.running:
            self.controller.stop()
            self.running = False

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m["To"]]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    port = free_port()
    inbox.start(port)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    settings.SITE_URL = "https://partners.ceop.example"
    settings.MAIL_REPLY_TO = "partnerships-team@ceop.example"
    inbox.port = port
    yield inbox
    inbox.stop()


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    monkeypatch.setattr(outbox, "task_enqueue", lambda task, *args: False)


@pytest.fixture
def year():
    with time_machine.travel(at(YEAR_START), tick=False):
        return build_year()


def parts(message) -> dict[str, str]:
    return {
        part.get_content_type(): part.get_content()
        for part in message.walk()
        if part.get_content_type() in ("text/plain", "text/html")
    }


def test_a_reminder_on_the_wire_has_both_parts_reply_to_and_one_click_unsubscribe(
    smtp, year
):
    # The team's mailbox set in the app wins over the MAIL_REPLY_TO setting.
    email_settings_set(
        actor=year.senior,
        reply_to_address="partnerships@ceop.example",
        reply_to_name="CEOP Partnerships",
    )
    with time_machine.travel(at(UPCOMING), tick=False):
        reminders_sweep()
        result = reminders_send()
    assert result.sent > 0
    assert result.failed == 0
    [message, *_] = [m for m in smtp.to(year.manager.email) if "review" in m["Subject"]]
    assert message["From"] == "partners@ceop.example"
    assert message["Reply-To"] == "CEOP Partnerships <partnerships@ceop.example>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = str(message["List-Unsubscribe"]).strip()  # folded: long
    assert unsubscribe.startswith("<https://partners.ceop.example/email/unsubscribe/")
    assert message.get_content_type() == "multipart/alternative"
    bodies = parts(message)
    assert "Open in CEOP Partner" in bodies["text/plain"]
    assert "<h1" in bodies["text/html"]
    for body in bodies.values():
        assert "https://partners.ceop.example/notifications/preferences/" in body
    # The header's link works: a mail client's one-click POST switches reviews off.
    from django.test import Client

    path = unsubscribe.strip("<>").removeprefix("https://partners.ceop.example")
    assert Client().post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert preferences.preference_map(user=year.manager)["reviews"] == "app"


def test_a_reminder_to_a_contact_without_an_account_on_the_wire(smtp, year):
    with time_machine.travel(at(UPCOMING), tick=False):
        reminders_sweep()
        outbox.outbound_email_send()
    [message] = smtp.to("pat@partner.example")
    assert message["Reply-To"] == "partnerships-team@ceop.example"  # the setting
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (
        str(message["List-Unsubscribe"])
        .strip()
        .startswith("<https://partners.ceop.example/email/unsubscribe/")
    )
    for body in parts(message).values():
        assert "https://partners.ceop.example/email/choices/" in body


def test_a_digest_on_the_wire(smtp, year):
    preferences.preferences_set(user=year.manager, choices={"reviews": "digest"})
    with time_machine.travel(at(UPCOMING, hour=7), tick=False):
        reminders_sweep()
        reminders_send()
    before = len(smtp.to(year.manager.email))
    with time_machine.travel(at(UPCOMING, hour=8, minute=0), tick=False):
        digests_send()
        outbox.outbound_email_send()
    [digest] = smtp.to(year.manager.email)[before:]
    assert digest["Subject"].startswith("Your CEOP Partner digest for 17 July 2026")
    assert digest["Reply-To"] == "partnerships-team@ceop.example"
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    bodies = parts(digest)
    assert "Partner Co" in bodies["text/plain"]
    assert "Strategic Co" in bodies["text/html"]


def test_a_scheduled_report_on_the_wire_carries_the_spreadsheet(smtp, year):
    report_subscription_create(
        actor=year.senior,
        report="partners-by-tier",
        frequency="quarterly",
        user=year.senior,
    )
    with time_machine.travel(at(dt.date(2026, 7, 1), hour=6, minute=45), tick=False):
        scheduled_reports_send()
        outbox.outbound_email_send()
    [message] = smtp.to(year.senior.email)
    assert message.get_content_type() == "multipart/mixed"
    assert message["Reply-To"] == "partnerships-team@ceop.example"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == ("ceop-partners-by-tier-20260401-20260630.xlsx")
    assert attachment.get_content_type() == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(attachment.get_content())).active
    assert sheet.max_row > 1
    bodies = parts(message)
    assert "The report is attached as a spreadsheet." in bodies["text/plain"]
    assert "Partners by tier and sector" in bodies["text/html"]


def test_a_server_that_is_down_leaves_the_email_queued_for_retry(smtp, year):
    smtp.stop()
    with time_machine.travel(at(UPCOMING), tick=False):
        reminders_sweep()
        result = reminders_send()
    assert result.sent == 0
    assert result.failed > 0
    waiting = Reminder.objects.filter(delivery="email", sent_at__isnull=True)
    assert waiting.count() == result.failed
    row = waiting.first()
    assert row.attempts == 1
    assert "Connection refused" in row.last_error or "Errno" in row.last_error
    assert row.next_attempt_at > at(UPCOMING)
    # The server is back; after the backoff the same rows go, once.
    smtp.start(smtp.port)
    with time_machine.travel(at(UPCOMING, hour=11), tick=False):
        again = reminders_send()
    assert again.sent == result.failed
    assert not Reminder.objects.filter(delivery="email", sent_at__isnull=True).exists()
    assert len(smtp.messages) == again.sent


def test_a_refused_address_is_recorded_not_retried_and_shown_to_the_owner(
    smtp, year, client
):
    contact = factories.ContactFactory(
        organisation=year.partner, name="Rex Refused", email="Nobody@Refused.example"
    )
    queued = outbox.email_queue(
        to=[contact.email], subject="Hello", template="reminder", context={"title": "x"}
    )
    result = outbox.outbound_email_send()
    assert result.failed == 1
    queued.refresh_from_db()
    assert queued.sent_at is None
    assert queued.attempts == outbox.mail_max_attempts()  # permanent: not retried
    assert "SMTPRecipientsRefused" in queued.last_error
    bounce = EmailBounce.objects.get()
    assert (bounce.address, bounce.code, bounce.permanent) == (REFUSED, 550, True)
    assert "mailbox unavailable" in bounce.reason
    assert smtp.messages == []
    page = reverse("partners:organisation_detail", args=[year.partner.pk])
    client.force_login(year.manager)  # the owner
    response = client.get(page)
    assert b"Email refused" in response.content
    assert b"Rex Refused" in response.content
    notices = client.get(reverse("notification_list")).content  # and in notices
    assert b"Email refused: Rex Refused of Partner Co" in notices
    other = factories.UserFactory(username="other-manager")
    from django.contrib.auth.models import Group

    from ceop_crm import roles

    other.groups.add(Group.objects.get(name=roles.RELATIONSHIP_MANAGER))
    client.force_login(other)  # not the owner: the warning is not theirs
    assert b"Email refused" not in client.get(page).content


def test_a_temporary_refusal_is_retried(smtp, year, monkeypatch):
    async def busy(server, session, envelope, address, rcpt_options):
        return "450 4.2.1 Mailbox busy, try later"

    monkeypatch.setattr(smtp, "handle_RCPT", busy)
    queued = outbox.email_queue(
        to=["busy@partner.example"], subject="Hi", template="reminder", context={}
    )
    outbox.outbound_email_send()
    queued.refresh_from_db()
    assert queued.sent_at is None
    assert queued.attempts == 1
    assert EmailBounce.objects.get().permanent is False
    assert OutboundEmail.objects.filter(
        pk=queued.pk, next_attempt_at__isnull=False
    ).exists()
