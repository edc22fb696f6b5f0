"""Scheduled reports: who may subscribe, periods aligned with the planning year,
one send per period with what changed and the spreadsheet, the page for every role."""

import base64
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from openpyxl import load_workbook

from ceop_crm import mail as outbox
from ceop_crm import roles
from ceop_crm.exceptions import ApplicationError
from ceop_crm.models import OutboundEmail
from planning.models import ReportSend, ReportSubscription
from planning.services.scheduled_reports import (
    report_period,
    report_subscription_create,
    scheduled_reports_send,
)
from tests import factories
from tests.planning.scenario import YEAR_START, build_year

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
PAGE = "/reports/scheduled/"


def at(day: dt.date, hour: int = 6, minute: int = 45):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    monkeypatch.setattr(outbox, "task_enqueue", lambda task, *args: False)


@pytest.mark.parametrize(
    ("today", "period"),
    [
        (dt.date(2026, 7, 1), (dt.date(2026, 4, 1), dt.date(2026, 6, 30))),
        (dt.date(2026, 9, 30), (dt.date(2026, 4, 1), dt.date(2026, 6, 30))),
        (dt.date(2026, 10, 1), (dt.date(2026, 7, 1), dt.date(2026, 9, 30))),
        (dt.date(2027, 1, 5), (dt.date(2026, 10, 1), dt.date(2026, 12, 31))),
        (dt.date(2027, 4, 2), (dt.date(2027, 1, 1), dt.date(2027, 3, 31))),
    ],
)
def test_quarterly_periods_are_the_planning_years_quarters(today, period):
    factories.PlanningYearFactory()
    assert report_period(frequency="quarterly", today=today) == period


def test_quarters_follow_a_planning_year_that_starts_in_another_month():
    factories.PlanningYearFactory(
        label="2030/31", start=dt.date(2030, 5, 1), end=dt.date(2031, 4, 30)
    )
    assert report_period(frequency="quarterly", today=dt.date(2030, 8, 3)) == (
        dt.date(2030, 5, 1),
        dt.date(2030, 7, 31),
    )


def test_monthly_period_is_the_previous_month():
    assert report_period(frequency="monthly", today=dt.date(2026, 3, 10)) == (
        dt.date(2026, 2, 1),
        dt.date(2026, 2, 28),
    )
    assert report_period(frequency="monthly", today=dt.date(2027, 1, 1)) == (
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 31),
    )


def test_senior_managers_and_analysts_subscribe_managers_do_not(
    manager, senior_manager, analyst
):
    report_subscription_create(
        actor=analyst, report="reviews", frequency="quarterly", user=analyst
    )
    report_subscription_create(
        actor=senior_manager,
        report="mous",
        frequency="monthly",
        group=Group.objects.get(name=roles.SENIOR_MANAGER),
    )
    with pytest.raises(ApplicationError):
        report_subscription_create(
            actor=manager, report="reviews", frequency="monthly", user=manager
        )
    assert ReportSubscription.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"report": "contacts"}, "report"),
        ({"frequency": "weekly"}, "frequency"),
        ({"user": None}, "user"),
        ({"partner": True}, "user"),
    ],
)
def test_subscription_refuses_bad_input(senior_manager, partner_user, changes, field):
    kwargs = {"report": "reviews", "frequency": "monthly", "user": senior_manager}
    if changes.pop("partner", False):
        kwargs["user"] = partner_user
    kwargs |= changes
    with pytest.raises(ApplicationError) as error:
        report_subscription_create(actor=senior_manager, **kwargs)
    assert field in error.value.message_dict
    assert not ReportSubscription.objects.exists()


def test_the_same_subscription_twice_is_refused(senior_manager):
    report_subscription_create(
        actor=senior_manager, report="reviews", frequency="monthly", user=senior_manager
    )
    with pytest.raises(ApplicationError):
        report_subscription_create(
            actor=senior_manager,
            report="reviews",
            frequency="monthly",
            user=senior_manager,
        )


@pytest.fixture
def year():
    with time_machine.travel(at(YEAR_START, hour=9), tick=False):
        return build_year()


def _attachment(email: OutboundEmail):
    [attachment] = email.attachments
    return load_workbook(io.BytesIO(base64.b64decode(attachment["base64"]))).active


def test_report_is_sent_once_per_period_with_changes_since_the_last(year, settings):
    settings.MAIL_REPLY_TO = "team@ceop.example"
    subscription = report_subscription_create(
        actor=year.senior,
        report="partners-by-tier",
        frequency="quarterly",
        user=year.senior,
    )
    with time_machine.travel(at(dt.date(2026, 7, 1)), tick=False):
        first = scheduled_reports_send()
        assert scheduled_reports_send().send_ids == []
    send = ReportSend.objects.get(pk=first.send_ids[0])
    assert (send.period_start, send.period_end) == (
        dt.date(2026, 4, 1),
        dt.date(2026, 6, 30),
    )
    email = send.email
    assert email.to == [year.senior.email]
    assert email.headers == {"Reply-To": "team@ceop.example"}
    assert "The first quarterly send" in email.body_text
    sheet = _attachment(email)
    assert sheet.cell(1, 1).value
    # A new Partner in the quarter: the next send names what changed.
    org = factories.OrganisationFactory(name="Newcomer Ltd")
    factories.AssociationFactory(
        organisation=org, tier=factories.tier("partner"), start=dt.date(2026, 8, 1)
    )
    with time_machine.travel(at(dt.date(2026, 10, 1)), tick=False):
        second = scheduled_reports_send()
    later = ReportSend.objects.get(pk=second.send_ids[0])
    assert later.period_start == dt.date(2026, 7, 1)
    assert "What changed since the last one" in later.email.body_text
    assert "Partner" in later.email.body_text
    assert ReportSend.objects.filter(subscription=subscription).count() == 2


def test_a_large_report_is_linked_not_attached(year, settings):
    settings.SCHEDULED_REPORT_ATTACH_MAX_BYTES = 100
    settings.SITE_URL = "https://partners.ceop.example"
    report_subscription_create(
        actor=year.senior, report="mous", frequency="monthly", user=year.senior
    )
    with time_machine.travel(at(dt.date(2026, 7, 1)), tick=False):
        [send_id] = scheduled_reports_send().send_ids
    email = ReportSend.objects.get(pk=send_id).email
    assert email.attachments == []
    assert "https://partners.ceop.example/reports/mous/download.xlsx" in email.body_text


def test_a_group_subscription_goes_to_its_active_members(year):
    other = factories.UserFactory(username="second-senior")
    other.groups.add(Group.objects.get(name=roles.SENIOR_MANAGER))
    report_subscription_create(
        actor=year.senior,
        report="reviews",
        frequency="monthly",
        group=Group.objects.get(name=roles.SENIOR_MANAGER),
    )
    gone = factories.UserFactory(is_active=False)
    gone.groups.add(Group.objects.get(name=roles.SENIOR_MANAGER))
    with time_machine.travel(at(dt.date(2026, 7, 1)), tick=False):
        [send_id] = scheduled_reports_send().send_ids
    email = ReportSend.objects.get(pk=send_id).email
    assert sorted(email.to) == sorted([year.senior.email, other.email])


# --- The page, for every role ----------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("manager", 403),
        ("senior_manager", 200),
        ("analyst", 200),
        ("admin_user", 200),
        ("partner_user", 403),
    ],
)
def test_subscription_page_for_every_role(client, request, role, status):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    assert client.get(PAGE).status_code == status


@pytest.mark.parametrize("role", ["manager", "partner_user"])
def test_who_may_not_subscribe_cannot_post_or_delete(client, request, role, analyst):
    subscription = report_subscription_create(
        actor=analyst, report="reviews", frequency="monthly", user=analyst
    )
    client.force_login(request.getfixturevalue(role))
    response = client.post(
        PAGE, {"report": "mous", "frequency": "monthly", "user": analyst.pk}
    )
    assert response.status_code == 403
    response = client.post(f"/reports/scheduled/{subscription.pk}/delete/")
    assert response.status_code == 403
    assert list(ReportSubscription.objects.all()) == [subscription]


def test_analyst_schedules_and_stops_a_report_on_the_page(client, analyst):
    client.force_login(analyst)
    response = client.post(
        PAGE,
        {"report": "priority-coverage", "frequency": "quarterly", "user": analyst.pk},
    )
    assert response.status_code == 302
    subscription = ReportSubscription.objects.get()
    assert (subscription.user, subscription.created_by) == (analyst, analyst)
    assert (
        client.post(f"/reports/scheduled/{subscription.pk}/delete/").status_code == 302
    )
    assert not ReportSubscription.objects.exists()


def test_page_shows_bad_input_beside_the_field(client, analyst):
    client.force_login(analyst)
    response = client.post(PAGE, {"report": "contacts", "frequency": "monthly"})
    assert response.status_code == 200
    assert response.context["form"].errors["report"]
    assert not ReportSubscription.objects.exists()


@pytest.mark.parametrize("count", [1, 30])
def test_subscription_page_query_count(
    client, senior_manager, count, django_assert_max_num_queries
):
    for _ in range(count):
        user = factories.UserFactory()
        user.groups.add(Group.objects.get(name=roles.ANALYST))
        report_subscription_create(
            actor=senior_manager, report="reviews", frequency="monthly", user=user
        )
    client.force_login(senior_manager)
    with django_assert_max_num_queries(14):
        assert client.get(PAGE).status_code == 200
