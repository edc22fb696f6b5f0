import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from ceop_crm import mail as outbox
from ceop_crm.exceptions import ApplicationError
from ceop_crm.models import OutboundEmail
from partners.models import MoU
from planning import tasks
from planning.models import Reminder, Review
from planning.selectors import reminder_list_for_user, reminder_unread_count
from planning.services import (
    reminder_mark_all_read,
    reminder_mark_read,
    reminder_mark_unread,
    reminders_send,
    reminders_sweep,
)
from tests import factories
from tests.planning.scenario import YEAR_START, build_year

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
Q1_DUE = dt.date(2026, 7, 31)


def at(day: dt.date, hour: int = 9):
    return dt.datetime.combine(day, dt.time(hour, 5), tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _broker_not_paused(monkeypatch):
    monkeypatch.setattr(outbox, "_broker_paused_until", 0.0)


@pytest.fixture
def year():
    with time_machine.travel(at(YEAR_START), tick=False):
        return build_year()


@pytest.fixture
def no_broker(monkeypatch):
    """Publishing fails as when Redis is down; the database keeps the work."""
    published = []

    def refuse(task, *args):
        published.append(task.name)
        return False

    monkeypatch.setattr(outbox, "task_enqueue", refuse)
    return published


def review_steps_of(user) -> set[str]:
    return set(
        Reminder.objects.filter(recipient=user, subject_type="review").values_list(
            "step", flat=True
        )
    )


def test_sweep_records_each_reminder_once_however_often_it_runs(year):
    with time_machine.travel(at(Q1_DUE - dt.timedelta(days=14)), tick=False):
        first = reminders_sweep()
        second = reminders_sweep()
        later = reminders_sweep(now=at(Q1_DUE - dt.timedelta(days=14), hour=17))
    assert first.recorded > 0
    assert second.recorded == later.recorded == 0
    keys = list(
        Reminder.objects.values_list("recipient", "subject_type", "subject_id", "step")
    )
    assert len(keys) == len(set(keys)) == len(first.reminder_ids)


@pytest.mark.parametrize("extra", [0, 40])
def test_sweep_query_count_does_not_grow_with_organisations(
    year, extra, django_assert_max_num_queries
):
    with time_machine.travel(at(YEAR_START), tick=False):
        for _ in range(extra):
            org = factories.OrganisationFactory(owner=year.manager, deputy=year.deputy)
            factories.AssociationFactory(
                organisation=org, tier=factories.tier("partner"), start=YEAR_START
            )
            factories.PortalMembershipFactory(organisation=org)
            factories.ContactFactory(organisation=org, is_primary=True)
        from planning.services import reviews_schedule

        reviews_schedule()
    with time_machine.travel(at(Q1_DUE), tick=False):
        # +3 for the recipients' delivery preferences (staff, defaults, choices),
        # +1 for the tier moves awaiting approval, +2 for the addresses without
        # an account (what they switched off; the team's reply-to, once).
        with django_assert_max_num_queries(30):
            result = reminders_sweep()
        with django_assert_max_num_queries(21):
            assert reminders_sweep().recorded == 0
    # owner + deputy + portal user + primary contact for each extra Partner
    assert result.recorded >= 4 * extra


def test_reminders_are_emailed_after_commit_as_html_and_text_with_a_link(
    year, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://partners.ceop.example"
    monkeypatch.setitem(tasks.send_reminders_task.app.conf, "task_always_eager", True)
    with (
        time_machine.travel(at(Q1_DUE - dt.timedelta(days=14)), tick=False),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        result = reminders_sweep()
        assert mail.outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    by_address = {m.to[0]: m for m in mail.outbox}
    assert len(mail.outbox) == result.recorded

    staff = [m for m in mail.outbox if m.to == [year.manager.email]]
    manager_reminders = Reminder.objects.filter(recipient=year.manager)
    # Q1 reviews of the Strategic Partner and the Partner; the Strategic
    # Partner's MoU ends within 90 days.
    assert set(manager_reminders.values_list("step", flat=True)) == {
        "review_upcoming",
        "mou_ending_90",
    }
    assert manager_reminders.count() == 3
    assert all(r.sent_at is not None for r in manager_reminders)
    assert {m.subject for m in staff} == {r.title for r in manager_reminders}
    staff = next(m for m in staff if "review" in m.subject)
    html = staff.alternatives[0].content
    assert staff.alternatives[0].mimetype == "text/html"
    assert "https://partners.ceop.example/notifications/" in staff.body
    assert "https://partners.ceop.example/notifications/" in html
    assert "31 July 2026" in staff.body

    partner_user = by_address[year.strategic_user.email]
    assert "https://partners.ceop.example/portal/reviews/" in partner_user.body
    contact = by_address["pat@partner.example"]
    assert contact.body.startswith("Dear Pat Partner")
    assert "https://partners.ceop.example/portal/" in contact.body
    assert OutboundEmail.objects.get(to=["pat@partner.example"]).sent_at is not None


def test_a_failing_mail_server_keeps_the_reminder_visible_and_retries_with_backoff(
    year, monkeypatch
):
    with time_machine.travel(at(Q1_DUE), tick=False):
        reminders_sweep()

        def smtp_down(self, fail_silently=False):
            raise ConnectionRefusedError("SMTP server unavailable")

        monkeypatch.setattr(outbox.EmailMultiAlternatives, "send", smtp_down)
        failed = reminders_send()
        assert failed.sent == 0
        assert failed.failed == Reminder.objects.count()
        assert failed.retry_in == dt.timedelta(seconds=60)
        reminder = reminder_list_for_user(user=year.manager).first()
        assert reminder is not None  # still in the in-app list
        assert reminder.sent_at is None
        assert reminder.attempts == 1
        assert "SMTP server unavailable" in reminder.last_error
        # Within the backoff nothing is tried again.
        assert reminders_send().failed == 0
        monkeypatch.undo()

    with time_machine.travel(at(Q1_DUE) + dt.timedelta(minutes=2), tick=False):
        assert reminders_send().sent == Reminder.objects.count()
    reminder.refresh_from_db()
    assert reminder.sent_at is not None
    assert reminder.attempts == 2
    assert reminder.last_error == ""


def test_a_redis_outage_loses_nothing_the_next_sweep_sends_it(year, no_broker):
    with time_machine.travel(at(Q1_DUE), tick=False):
        first = tasks.reminders_sweep_task()
    assert first["recorded"] > 0
    assert mail.outbox == []
    assert Reminder.objects.filter(sent_at__isnull=True).count() > 0

    with time_machine.travel(at(Q1_DUE, hour=10), tick=False):
        second = tasks.reminders_sweep_task()
    assert second["recorded"] == 0
    assert second["caught_up"] == first["recorded"]
    assert not Reminder.objects.filter(sent_at__isnull=True).exists()
    assert not OutboundEmail.objects.filter(sent_at__isnull=True).exists()
    assert len(mail.outbox) == first["recorded"]


def test_a_sweep_missed_for_days_catches_up_with_the_step_now_due(year):
    # No sweep ran between 15 and 31 July (an outage); the first one after it
    # sends the "due" reminder; the "upcoming" one is out of date and skipped.
    with time_machine.travel(at(Q1_DUE + dt.timedelta(days=2)), tick=False):
        reminders_sweep()
    assert review_steps_of(year.manager) == {"review_due"}


def test_lead_times_come_from_settings(year, settings):
    settings.REMINDER_REVIEW_UPCOMING_DAYS = 10
    with time_machine.travel(at(Q1_DUE - dt.timedelta(days=11)), tick=False):
        reminders_sweep()
    assert not Reminder.objects.filter(step="review_upcoming").exists()
    with time_machine.travel(at(Q1_DUE - dt.timedelta(days=10)), tick=False):
        reminders_sweep()
    assert review_steps_of(year.deputy) == {"review_upcoming"}


def test_mou_ending_notices_use_the_configured_days(year, settings):
    settings.REMINDER_MOU_ENDING_DAYS = [60, 20, 5]
    end = dt.date(2026, 9, 30)  # the Strategic Partner's MoU
    with time_machine.travel(at(end - dt.timedelta(days=60)), tick=False):
        reminders_sweep()
    titles = list(
        Reminder.objects.filter(
            recipient=year.manager, step="mou_ending_90"
        ).values_list("title", flat=True)
    )
    assert titles == ["Strategic Co: MoU ends in 60 days, on 30 September 2026"]


def test_a_signed_renewal_stops_the_mou_reminders(year):
    old = MoU.objects.get(organisation=year.strategic)
    factories.MoUFactory(
        organisation=year.strategic,
        renewal_of=old,
        signed_on=dt.date(2026, 6, 1),
        start=dt.date(2026, 10, 1),
        end=dt.date(2029, 9, 30),
    )
    for day in (dt.date(2026, 7, 2), dt.date(2026, 9, 23), dt.date(2026, 10, 1)):
        with time_machine.travel(at(day), tick=False):
            reminders_sweep()
    assert not Reminder.objects.filter(subject_type="mou").exists()


def test_a_completed_review_is_not_reminded_again(year):
    review = Review.objects.get(organisation=year.partner, due_on=Q1_DUE)
    with time_machine.travel(at(Q1_DUE), tick=False):
        from planning.services import review_complete

        review_complete(
            review=review,
            actor=year.manager,
            progress="Good.",
            benefits_to_ceop="Data.",
            benefits_to_partner="Recognition.",
            recommendation="stay",
        )
    with time_machine.travel(at(Q1_DUE + dt.timedelta(days=7)), tick=False):
        reminders_sweep()
    assert set(
        Reminder.objects.filter(step="review_overdue").values_list(
            "subject_id", flat=True
        )
    ) == {Review.objects.get(organisation=year.strategic, due_on=Q1_DUE).pk}


def test_mark_read_refuses_another_users_notification(year):
    with time_machine.travel(at(Q1_DUE), tick=False):
        reminders_sweep()
    mine = reminder_list_for_user(user=year.manager).first()
    with pytest.raises(ApplicationError):
        reminder_mark_read(reminder=mine, user=year.deputy)
    mine.refresh_from_db()
    assert mine.read_at is None
    before = reminder_unread_count(user=year.manager)
    reminder_mark_read(reminder=mine, user=year.manager)
    assert reminder_unread_count(user=year.manager) == before - 1
    reminder_mark_unread(reminder=mine, user=year.manager)
    assert reminder_unread_count(user=year.manager) == before
    assert reminder_mark_all_read(user=year.manager) == before
    assert reminder_unread_count(user=year.manager) == 0
    assert reminder_unread_count(user=year.deputy) > 0


def test_portal_users_list_only_their_own_reminders(year):
    with time_machine.travel(at(Q1_DUE), tick=False):
        reminders_sweep()
    own = list(reminder_list_for_user(user=year.strategic_user))
    assert own
    assert {r.recipient_id for r in own} == {year.strategic_user.pk}
    assert list(reminder_list_for_user(user=year.supplier_user)) == []


def test_the_sending_task_asks_celery_to_retry_after_the_backoff(year, monkeypatch):
    with time_machine.travel(at(Q1_DUE), tick=False):
        result = reminders_sweep()

        def smtp_down(self, fail_silently=False):
            raise ConnectionRefusedError("SMTP server unavailable")

        monkeypatch.setattr(outbox.EmailMultiAlternatives, "send", smtp_down)
        asked = {}

        class Retry(Exception):
            pass

        def retry(**kwargs):
            asked.update(kwargs)
            return Retry()

        monkeypatch.setattr(tasks.send_reminders_task, "retry", retry)
        with pytest.raises(Retry):
            tasks.send_reminders_task(result.reminder_ids)
    assert sorted(asked["args"][0]) == sorted(result.reminder_ids)
    assert asked["countdown"] == 65  # one minute of backoff, and a little slack
    assert not Reminder.objects.filter(sent_at__isnull=False).exists()


def test_a_portal_user_who_joins_later_gets_the_next_step(year):
    with time_machine.travel(at(Q1_DUE - dt.timedelta(days=14)), tick=False):
        reminders_sweep()
        newcomer = factories.PortalMembershipFactory(organisation=year.strategic).user
        reminders_sweep()
    assert review_steps_of(newcomer) == set()
    with time_machine.travel(at(Q1_DUE), tick=False):
        reminders_sweep()
    assert review_steps_of(newcomer) == {"review_due"}


def test_reminders_link_to_the_item_in_the_workspace_or_the_portal(year):
    from django.urls import reverse

    with time_machine.travel(at(dt.date(2026, 7, 2)), tick=False):
        reminders_sweep()
    review = Review.objects.get(organisation=year.strategic, due_on=Q1_DUE)
    mou = MoU.objects.get(organisation=year.strategic)
    staff_urls = set(
        Reminder.objects.filter(recipient=year.manager).values_list("url", flat=True)
    )
    assert reverse("partners:mou_detail", args=[mou.pk]) in staff_urls
    with time_machine.travel(at(Q1_DUE), tick=False):
        reminders_sweep()
    assert Reminder.objects.get(
        recipient=year.manager, subject_id=review.pk, step="review_due"
    ).url == reverse("planning:review_detail", args=[review.pk])
    assert Reminder.objects.get(
        recipient=year.strategic_user, subject_id=review.pk, step="review_due"
    ).url == reverse("portal:self_assessment", args=[review.pk])
