"""Preferences per person and kind: what the sweep records, what is emailed, the
headers of the email, one-click unsubscribe and the preference pages for every role."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from ceop_crm import mail as outbox
from ceop_crm.exceptions import ApplicationError
from planning.email_models import Delivery, NoticeKind, NotificationPreference
from planning.models import NotificationDefault, Reminder
from planning.services import preferences, reminders_send, reminders_sweep
from tests import factories
from tests.planning.scenario import YEAR_START, build_year

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
Q1_DUE = dt.date(2026, 7, 31)
UPCOMING = Q1_DUE - dt.timedelta(days=14)


def at(day: dt.date, hour: int = 9, minute: int = 5):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    """The worker's catch-up sends here; nothing is published to a broker."""
    monkeypatch.setattr(outbox, "task_enqueue", lambda task, *args: False)


@pytest.fixture
def year():
    with time_machine.travel(at(YEAR_START), tick=False):
        return build_year()


def test_defaults_are_seeded_for_every_kind_and_audience():
    rows = set(NotificationDefault.objects.values_list("kind", "audience", "delivery"))
    assert rows == {
        (kind, audience, "email")
        for kind in NoticeKind.values
        for audience in ("staff", "partner")
    }


def test_preference_map_follows_the_default_until_a_person_chooses(manager):
    assert preferences.preference_map(user=manager) == dict.fromkeys(
        NoticeKind.values, "email"
    )
    NotificationDefault.objects.filter(kind="milestones", audience="staff").update(
        delivery="digest"
    )
    preferences.preferences_set(user=manager, choices={"reviews": "app"})
    chosen = preferences.preference_map(user=manager)
    assert chosen["milestones"] == "digest"
    assert chosen["reviews"] == "app"
    assert chosen["mous"] == "email"


@pytest.mark.parametrize("kind", ["escalations", "approvals"])
def test_escalations_and_approvals_cannot_be_app_only_and_nothing_is_half_saved(
    manager, kind
):
    with pytest.raises(ApplicationError) as error:
        preferences.preferences_set(
            user=manager, choices={"reviews": "digest", kind: "app"}
        )
    assert kind in error.value.message_dict
    assert not NotificationPreference.objects.exists()
    # The database refuses it too.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        NotificationPreference.objects.create(user=manager, kind=kind, delivery="app")


def test_sweep_records_each_recipients_delivery_and_sends_only_email_ones(year):
    preferences.preferences_set(user=year.manager, choices={"reviews": "digest"})
    preferences.preferences_set(user=year.deputy, choices={"reviews": "app"})
    with time_machine.travel(at(UPCOMING), tick=False):
        reminders_sweep()
        reminders_send()
    reviews = Reminder.objects.filter(subject_type="review", step="review_upcoming")
    assert set(
        reviews.filter(recipient=year.manager).values_list("delivery", flat=True)
    ) == {"digest"}
    assert set(
        reviews.filter(recipient=year.deputy).values_list("delivery", flat=True)
    ) == {"app"}
    # Still in the app for both; emailed to neither.
    assert reviews.filter(recipient=year.manager).count() == 2
    assert reviews.filter(recipient=year.deputy).count() == 2
    sent_to = [m.to[0] for m in mail.outbox]
    review_mail = [m for m in mail.outbox if "review due on" in m.subject]
    assert year.manager.email not in [m.to[0] for m in review_mail]
    assert year.deputy.email not in [m.to[0] for m in review_mail]
    # The MoU ending still goes to the manager at once (mous: email).
    assert year.manager.email in sent_to
    assert not reviews.filter(
        sent_at__isnull=False, delivery__in=["digest", "app"]
    ).exists()


def test_reminder_email_has_preferences_link_reply_to_and_one_click_unsubscribe(
    year, settings
):
    settings.MAIL_REPLY_TO = "partnerships-team@ceop.example"
    settings.SITE_URL = "https://partners.ceop.example"
    with time_machine.travel(at(UPCOMING), tick=False):
        reminders_sweep()
        reminders_send()
    message = next(
        m for m in mail.outbox if m.to == [year.manager.email] and "review" in m.subject
    )
    assert message.extra_headers["Reply-To"] == "partnerships-team@ceop.example"
    assert (
        message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    )
    link = message.extra_headers["List-Unsubscribe"]
    assert link.startswith("<https://partners.ceop.example/email/unsubscribe/")
    assert "https://partners.ceop.example/notifications/preferences/" in message.body
    html = message.alternatives[0][0]
    assert "https://partners.ceop.example/notifications/preferences/" in html
    # The partner user's email points at the portal's preferences.
    partner = next(m for m in mail.outbox if m.to == [year.strategic_user.email])
    assert "https://partners.ceop.example/portal/email-preferences/" in partner.body


def test_escalation_email_has_no_unsubscribe_header(manager):
    headers = preferences.list_headers(user=manager, kind="escalations")
    assert "List-Unsubscribe" not in headers
    assert "List-Unsubscribe" in preferences.list_headers(user=manager, kind="reviews")


def _token_path(user, kind):
    return reverse(
        "email_unsubscribe",
        args=[preferences.unsubscribe_token(user_id=user.pk, kind=kind)],
    )


def test_one_click_unsubscribe_posts_without_session_or_csrf_and_switches_to_app(
    manager,
):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        _token_path(manager, "reviews"), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert preferences.preference_map(user=manager)["reviews"] == "app"
    assert preferences.preference_map(user=manager)["mous"] == "email"


def test_unsubscribe_page_asks_before_changing_anything(manager):
    response = Client().get(_token_path(manager, "milestones"))
    assert response.status_code == 200
    assert b"Unsubscribe" in response.content
    assert b"milestones of the planning cycle" in response.content
    assert not NotificationPreference.objects.exists()


def test_digest_unsubscribe_moves_every_optional_digest_kind_to_the_app(manager):
    preferences.preferences_set(
        user=manager,
        choices={"reviews": "digest", "mous": "digest", "escalations": "digest"},
    )
    Client().post(_token_path(manager, preferences.DIGEST))
    chosen = preferences.preference_map(user=manager)
    assert chosen["reviews"] == chosen["mous"] == "app"
    assert chosen["escalations"] == "digest"  # never switched off


@pytest.mark.parametrize("kind", ["escalations", "approvals"])
def test_unsubscribe_refuses_locked_kinds(manager, kind):
    response = Client().post(_token_path(manager, kind))
    assert response.status_code == 400
    assert not NotificationPreference.objects.exists()


def test_unsubscribe_refuses_a_tampered_token(manager):
    token = preferences.unsubscribe_token(user_id=manager.pk, kind="reviews")
    response = Client().post(reverse("email_unsubscribe", args=[token[:-2] + "xx"]))
    assert response.status_code == 400
    assert not NotificationPreference.objects.exists()


def test_signed_in_partner_may_open_their_unsubscribe_link(client, partner_user):
    client.force_login(partner_user)
    response = client.get(_token_path(partner_user, "reviews"))
    assert response.status_code == 200


# --- The pages, for every role ------------------------------------------------

STAFF_PAGE = "/notifications/preferences/"
PORTAL_PAGE = "/portal/email-preferences/"


@pytest.mark.parametrize(
    ("role", "staff_status", "portal_status"),
    [
        ("anonymous", 302, 302),
        ("manager", 200, 403),
        ("senior_manager", 200, 403),
        ("analyst", 200, 403),
        ("admin_user", 200, 403),
        ("partner_user", 403, 200),
    ],
)
def test_preference_pages_for_every_role(
    client, request, role, staff_status, portal_status
):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    assert client.get(STAFF_PAGE).status_code == staff_status
    assert client.get(PORTAL_PAGE).status_code == portal_status


def test_a_partner_whose_access_ended_is_refused_the_portal_page(client):
    from tests.portal.conftest import make_partner_world

    world = make_partner_world("Ended Ltd")
    world.organisation.status = "ended"
    world.organisation.save()
    client.force_login(world.user)
    assert client.get(PORTAL_PAGE).status_code == 403


def test_staff_page_saves_choices(client, manager):
    client.force_login(manager)
    data = dict.fromkeys(NoticeKind.values, "email") | {"reviews": "digest"}
    response = client.post(STAFF_PAGE, data)
    assert response.status_code == 302
    assert preferences.preference_map(user=manager)["reviews"] == "digest"


def test_staff_page_shows_the_error_beside_the_field_and_saves_nothing(client, manager):
    client.force_login(manager)
    data = dict.fromkeys(NoticeKind.values, "digest") | {"escalations": "app"}
    response = client.post(STAFF_PAGE, data)
    assert response.status_code == 200
    assert response.context["form"].errors["escalations"]
    assert not NotificationPreference.objects.exists()


def test_portal_page_saves_the_partners_own_choices_only(client, partner_user, manager):
    client.force_login(partner_user)
    # Approvals are for senior managers: not offered to partners.
    assert "approvals" not in client.get(PORTAL_PAGE).context["form"].fields
    data = dict.fromkeys(NoticeKind.values, "email") | {"milestones": "app"}
    assert client.post(PORTAL_PAGE, data).status_code == 302
    assert preferences.preference_map(user=partner_user)["milestones"] == "app"
    assert not NotificationPreference.objects.filter(user=manager).exists()


def test_bad_delivery_value_is_a_field_error(client, manager):
    client.force_login(manager)
    data = dict.fromkeys(NoticeKind.values, "email") | {"reviews": "carrier-pigeon"}
    response = client.post(STAFF_PAGE, data)
    assert response.status_code == 200
    assert response.context["form"].errors["reviews"]


def test_preference_page_query_count(client, manager, django_assert_max_num_queries):
    client.force_login(manager)
    client.get(STAFF_PAGE)
    with django_assert_max_num_queries(12):
        assert client.get(STAFF_PAGE).status_code == 200
    for kind in NoticeKind.values:
        NotificationPreference.objects.create(
            user=manager, kind=kind, delivery=Delivery.DIGEST
        )
    with django_assert_max_num_queries(12):
        assert client.get(STAFF_PAGE).status_code == 200


# --- Approvals waiting ----------------------------------------------------------


def test_a_tier_move_awaiting_approval_notifies_senior_managers_once(year):
    from tiers.services import tier_change_request

    target = factories.tier("strategic-partner")
    with time_machine.travel(at(dt.date(2026, 5, 4)), tick=False):
        move = tier_change_request(
            organisation=year.partner,
            to_tier=target,
            effective_date=dt.date(2026, 6, 1),
            reason="Deeper work on priority area 2",
            evidence={c.pk: "Evidence" for c in target.characteristics.all()},
            actor=year.manager,
        )
        reminders_sweep()
        reminders_sweep()
    notices = Reminder.objects.filter(subject_type="tier_change", subject_id=move.pk)
    assert list(notices.values_list("recipient", "step")) == [
        (year.senior.pk, "approval_waiting")
    ]
    assert "Partner Co" in notices.get().title
