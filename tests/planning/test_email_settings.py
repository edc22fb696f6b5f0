"""The team's reply-to mailbox set in the app: who may set it, what is refused,
its history, and every kind of mail that carries it (read once per batch)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ceop_crm import mail as outbox
from ceop_crm.exceptions import ApplicationError
from ceop_crm.models import OutboundEmail
from planning.email_selectors import email_reply_to
from planning.models import EmailSettings, Reminder
from planning.services import preferences, reminders_sweep
from planning.services.digest import digests_send
from planning.services.email_settings import email_settings_set
from planning.services.reminders.sending import _build_reminders
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
UPCOMING = dt.date(2026, 7, 17)
TEAM = "CEOP Partnerships <partnerships@ceop.example>"
PAGE = "/notifications/email-settings/"


def at(day: dt.date, hour: int = 9, minute: int = 5):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch, settings):
    monkeypatch.setattr(outbox, "task_enqueue", lambda task, *args: False)
    settings.MAIL_REPLY_TO = "default-team@ceop.example"


@pytest.fixture
def year():
    with time_machine.travel(at(YEAR_START), tick=False):
        return build_year()


def _set(actor, address="partnerships@ceop.example", name="CEOP Partnerships"):
    return email_settings_set(actor=actor, reply_to_address=address, reply_to_name=name)


# --- The record and its rules --------------------------------------------------


def test_the_setting_is_the_default_until_the_team_sets_a_mailbox(senior_manager):
    assert email_reply_to() == "default-team@ceop.example"
    _set(senior_manager)
    assert email_reply_to() == TEAM
    _set(senior_manager, name="")
    assert email_reply_to() == "partnerships@ceop.example"
    _set(senior_manager, address="", name="")  # cleared: back to the default
    assert email_reply_to() == "default-team@ceop.example"
    assert EmailSettings.objects.count() == 1


def test_administrators_and_senior_managers_set_it_others_are_refused(
    senior_manager, admin_user, manager, analyst, partner_user
):
    assert _set(admin_user).reply_to_address == "partnerships@ceop.example"
    _set(senior_manager, address="team@ceop.example")
    for user in (manager, analyst, partner_user):
        with pytest.raises(ApplicationError, match="Only administrators"):
            _set(user, address="elsewhere@example.org")
    assert EmailSettings.objects.get().reply_to_address == "team@ceop.example"


@pytest.mark.parametrize(
    ("address", "name", "field"),
    [
        ("not an address", "", "reply_to_address"),
        ("team@", "Team", "reply_to_address"),
        ("", "A name without an address", "reply_to_name"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_saved(
    senior_manager, address, name, field
):
    _set(senior_manager)
    with pytest.raises(ApplicationError) as refused:
        _set(senior_manager, address=address, name=name)
    assert field in refused.value.message_dict
    row = EmailSettings.objects.get()
    assert (row.reply_to_address, row.reply_to_name) == (
        "partnerships@ceop.example",
        "CEOP Partnerships",
    )


def test_line_breaks_in_the_name_cannot_reach_a_header(senior_manager):
    _set(senior_manager, name="Team\r\nBcc: someone@example.org")
    assert EmailSettings.objects.get().reply_to_name == (
        "Team Bcc: someone@example.org"
    )


def test_history_keeps_who_changed_it(senior_manager, admin_user):
    _set(senior_manager, address="first@ceop.example")
    _set(admin_user, address="second@ceop.example")
    changes = list(EmailSettings.history.order_by("history_date", "history_id"))
    assert [(c.reply_to_address, c.history_user) for c in changes] == [
        ("first@ceop.example", senior_manager),
        ("second@ceop.example", admin_user),
    ]


# --- The page -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("manager", 403),
        ("analyst", 403),
        ("partner_user", 403),
        ("senior_manager", 200),
        ("admin_user", 200),
    ],
)
def test_the_page_for_every_role(client, request, role, status):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    assert client.get(PAGE).status_code == status
    response = client.post(PAGE, {"reply_to_address": "x@ceop.example"})
    assert response.status_code == (302 if status == 200 else status)
    assert EmailSettings.objects.exists() == (status == 200)


def test_the_page_saves_and_shows_the_change_and_who_made_it(client, senior_manager):
    client.force_login(senior_manager)
    response = client.post(
        PAGE,
        {"reply_to_address": "partnerships@ceop.example", "reply_to_name": "Team"},
    )
    assert response.status_code == 302
    page = client.get(PAGE).content.decode()
    assert "Team &lt;partnerships@ceop.example&gt;" in page
    assert 'id="email-settings-history"' in page
    assert senior_manager.get_username() in page or senior_manager.get_full_name() in (
        page
    )


def test_the_page_shows_a_bad_address_beside_the_field_and_saves_nothing(
    client, senior_manager
):
    client.force_login(senior_manager)
    response = client.post(PAGE, {"reply_to_address": "nope", "reply_to_name": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["reply_to_address"]
    response = client.post(PAGE, {"reply_to_address": "", "reply_to_name": "Team"})
    assert response.status_code == 200
    assert response.context["form"].errors["reply_to_name"]
    assert not EmailSettings.objects.exists()


def test_the_preferences_page_links_to_it_for_those_who_may_change_it(
    client, senior_manager, manager
):
    client.force_login(senior_manager)
    assert PAGE.encode() in client.get("/notifications/preferences/").content
    client.force_login(manager)
    assert PAGE.encode() not in client.get("/notifications/preferences/").content


@pytest.mark.parametrize("changes", [1, 25])
def test_the_page_query_count(
    client, senior_manager, changes, django_assert_max_num_queries
):
    """Session, user, roles, the row, its history (the latest 20), the default."""
    client.force_login(senior_manager)
    for n in range(changes):
        _set(senior_manager, address=f"t{n}@ceop.example")
    client.get(PAGE)
    with django_assert_max_num_queries(7):
        assert client.get(PAGE).status_code == 200


def test_admin_saves_through_the_service_with_history(admin_client, admin_user):
    add = "/admin/planning/emailsettings/add/"
    response = admin_client.post(
        add, {"reply_to_address": "not-an-address", "reply_to_name": ""}
    )
    assert response.status_code == 200  # the form's error, not a 500
    assert not EmailSettings.objects.exists()
    response = admin_client.post(
        add, {"reply_to_address": "team@ceop.example", "reply_to_name": "Team"}
    )
    assert response.status_code == 302
    row = EmailSettings.objects.get()
    assert (row.reply_to_address, row.updated_by) == ("team@ceop.example", admin_user)
    assert row.history.get().history_user == admin_user
    assert admin_client.get(add).status_code == 403  # one row only


# --- Every kind of mail carries it, read once per batch ----------------------------


def test_reminder_batch_reads_the_settings_once_whatever_its_size(year, senior_manager):
    _set(senior_manager)
    with time_machine.travel(at(UPCOMING), tick=False):
        reminders_sweep()
    ids = list(Reminder.objects.filter(delivery="email").values_list("pk", flat=True))
    assert len(ids) >= 4
    counts = []
    for batch in (ids[:1], ids):
        with CaptureQueriesContext(connection) as queries:
            messages = _build_reminders(batch)
        settings_reads = [
            q for q in queries.captured_queries if "planning_emailsettings" in q["sql"]
        ]
        assert len(settings_reads) == 1
        counts.append(len(queries.captured_queries))
        assert {m.extra_headers["Reply-To"] for m in messages.values() if m} == {TEAM}
    assert counts[0] == counts[1]  # no query per email


def test_digest_run_reads_the_settings_once_for_every_digest(year, senior_manager):
    _set(senior_manager)
    for user in (year.manager, year.deputy):
        preferences.preferences_set(
            user=user, choices={"reviews": "digest", "mous": "digest"}
        )
    with time_machine.travel(at(UPCOMING, hour=7), tick=False):
        reminders_sweep()
    with (
        time_machine.travel(at(UPCOMING, hour=8, minute=0), tick=False),
        CaptureQueriesContext(connection) as queries,
    ):
        result = digests_send()
    assert len(result.email_ids) == 2
    reads = [q for q in queries.captured_queries if "emailsettings" in q["sql"]]
    assert len(reads) == 1
    for email in OutboundEmail.objects.filter(template="digest"):
        assert email.headers["Reply-To"] == TEAM


def test_scheduled_reports_and_self_assessments_carry_it(year, senior_manager):
    _set(senior_manager)
    for frequency in ("monthly", "quarterly"):
        report_subscription_create(
            actor=year.senior,
            report="partners-by-tier",
            frequency=frequency,
            user=year.senior,
        )
    with (
        time_machine.travel(at(dt.date(2026, 7, 1), hour=6, minute=45), tick=False),
        CaptureQueriesContext(connection) as queries,
    ):
        result = scheduled_reports_send()
    assert len(result.email_ids) == 2
    assert (
        len([q for q in queries.captured_queries if "emailsettings" in q["sql"]]) == 1
    )
    for email in OutboundEmail.objects.filter(template="scheduled_report"):
        assert email.headers["Reply-To"] == TEAM
    review = year.partner.reviews.order_by("due_on").first()
    partner_user = factories.PortalMembershipFactory(organisation=year.partner).user
    with time_machine.travel(at(UPCOMING), tick=False):
        self_assessment_submit(
            review=review,
            actor=partner_user,
            **dict.fromkeys(SELF_ASSESSMENT_FIELDS, "An answer."),
        )
    email = OutboundEmail.objects.get(template="self_assessment_submitted")
    assert email.headers == {"Reply-To": TEAM}  # no unsubscribe: not optional
    outbox.outbound_email_send(ids=[email.pk])
    assert mail.outbox[-1].extra_headers["Reply-To"] == TEAM
