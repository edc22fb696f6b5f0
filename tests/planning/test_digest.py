"""The daily digest: one email per person per day, grouped by organisation, at
the digest time, weekdays only for staff, nothing when nothing is new."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from ceop_crm import mail as outbox
from ceop_crm.models import OutboundEmail
from planning.models import Digest, Reminder
from planning.services import preferences, reminders_sweep
from planning.services.digest import digests_send
from tests.planning.scenario import YEAR_START, build_year

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
Q1_DUE = dt.date(2026, 7, 31)
UPCOMING = Q1_DUE - dt.timedelta(days=14)  # Friday 17 July 2026
SATURDAY = UPCOMING + dt.timedelta(days=1)
MONDAY = UPCOMING + dt.timedelta(days=3)


def at(day: dt.date, hour: int = 9, minute: int = 5):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    monkeypatch.setattr(outbox, "task_enqueue", lambda task, *args: False)


@pytest.fixture
def year():
    with time_machine.travel(at(YEAR_START), tick=False):
        return build_year()


def send_all():
    outbox.outbound_email_send()


def test_digest_holds_the_days_digest_notices_grouped_by_organisation(year, settings):
    settings.SITE_URL = "https://partners.ceop.example"
    preferences.preferences_set(
        user=year.manager, choices={"reviews": "digest", "mous": "digest"}
    )
    with time_machine.travel(at(UPCOMING - dt.timedelta(days=3)), tick=False):
        reminders_sweep()  # Tuesday: nothing due yet for the reviews
    with time_machine.travel(at(UPCOMING, hour=9), tick=False):
        reminders_sweep()
    waiting = Reminder.objects.filter(recipient=year.manager, delivery="digest")
    assert waiting.count() == 3  # two Q1 reviews and the Strategic Partner's MoU
    with time_machine.travel(at(MONDAY, hour=8, minute=0), tick=False):
        result = digests_send()
        send_all()
    digest = Digest.objects.get(recipient=year.manager)
    assert digest.day == MONDAY
    assert result.digest_ids == [digest.pk]
    assert set(waiting.values_list("digest", flat=True)) == {digest.pk}
    [message] = [m for m in mail.outbox if m.to == [year.manager.email]]
    assert message.subject == "Your CEOP Partner digest for 20 July 2026: 3 notices"
    body = message.body
    # Grouped by organisation, in name order, each notice with its link.
    assert body.index("Partner Co") < body.index("Strategic Co")
    links = re.findall(r"https://partners\.ceop\.example/notifications/(\d+)/", body)
    assert sorted(int(pk) for pk in links) == sorted(
        waiting.values_list("pk", flat=True)
    )
    assert "https://partners.ceop.example/notifications/preferences/" in body
    html = message.alternatives[0][0]
    assert "<h2" in html
    assert "Strategic Co" in html
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )


def test_digest_goes_once_per_person_per_day_however_often_the_task_runs(year):
    preferences.preferences_set(user=year.manager, choices={"reviews": "digest"})
    with time_machine.travel(at(UPCOMING), tick=False):
        reminders_sweep()
    with time_machine.travel(at(MONDAY, hour=8, minute=0), tick=False):
        first = digests_send()
        second = digests_send()
    with time_machine.travel(at(MONDAY, hour=17), tick=False):
        later = digests_send()
    assert len(first.digest_ids) == 1
    assert second.digest_ids == later.digest_ids == []
    assert OutboundEmail.objects.filter(template="digest").count() == 1


def test_notices_after_the_digest_time_wait_for_the_next_day(year):
    preferences.preferences_set(user=year.manager, choices={"reviews": "digest"})
    with time_machine.travel(at(UPCOMING, hour=7), tick=False):
        reminders_sweep()  # 07:05: in today's digest
    with time_machine.travel(at(UPCOMING, hour=8, minute=0), tick=False):
        assert len(digests_send().digest_ids) == 1
    # A notice recorded after the digest went (here at 10:00 the same day)
    # waits for the next weekday's digest.
    later = Reminder.objects.filter(recipient=year.manager, delivery="digest").first()
    Reminder.objects.filter(pk=later.pk).update(digest=None)
    with time_machine.travel(at(UPCOMING, hour=10), tick=False):
        Reminder.objects.filter(pk=later.pk).update(created_at=at(UPCOMING, hour=10))
        assert digests_send().digest_ids == []
    with time_machine.travel(at(MONDAY, hour=8, minute=0), tick=False):
        assert len(digests_send().digest_ids) == 1
    assert Reminder.objects.get(pk=later.pk).digest.day == MONDAY


def test_nothing_is_sent_when_there_is_nothing_new(year):
    preferences.preferences_set(user=year.manager, choices={"reviews": "digest"})
    with time_machine.travel(at(MONDAY, hour=8, minute=0), tick=False):
        assert digests_send().digest_ids == []
    assert not Digest.objects.exists()
    assert not OutboundEmail.objects.filter(template="digest").exists()


def test_no_digest_before_the_digest_time(year, settings):
    settings.DIGEST_TIME = "08:30"
    preferences.preferences_set(user=year.manager, choices={"reviews": "digest"})
    with time_machine.travel(at(UPCOMING, hour=7), tick=False):
        reminders_sweep()
    with time_machine.travel(at(UPCOMING, hour=8, minute=15), tick=False):
        assert digests_send().digest_ids == []
    with time_machine.travel(at(UPCOMING, hour=8, minute=30), tick=False):
        assert len(digests_send().digest_ids) == 1


def test_staff_digests_wait_for_a_weekday_partners_get_theirs_every_day(year):
    preferences.preferences_set(user=year.manager, choices={"reviews": "digest"})
    preferences.preferences_set(user=year.strategic_user, choices={"reviews": "digest"})
    with time_machine.travel(at(UPCOMING), tick=False):
        reminders_sweep()
    with time_machine.travel(at(SATURDAY, hour=8, minute=0), tick=False):
        digests_send()
    assert list(Digest.objects.values_list("recipient", "day")) == [
        (year.strategic_user.pk, SATURDAY)
    ]
    with time_machine.travel(at(MONDAY, hour=8, minute=0), tick=False):
        digests_send()
    assert (year.manager.pk, MONDAY) in set(
        Digest.objects.values_list("recipient", "day")
    )
