"""The digest and scheduled-report tasks, two runs at once on PostgreSQL, each in
its own connection: both are held after reading what is waiting, so both try
to record the same digest (person, day) and the same send (subscription,
period). The unique keys, not a check, decide: each goes once."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, connections

from ceop_crm import mail as outbox
from ceop_crm.models import OutboundEmail
from planning.models import Digest, Reminder, ReportSend
from planning.services import digest as digest_services
from planning.services import preferences, reminders_sweep
from planning.services import scheduled_reports as report_services
from tests.planning.scenario import YEAR_START, build_year

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)"
    ),
]

LONDON = ZoneInfo("Europe/London")


def at(day: dt.date, hour: int, minute: int = 0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    monkeypatch.setattr(outbox, "task_enqueue", lambda task, *args: False)


def run_twice_at_once(target) -> tuple[list, list]:
    results, errors = [], []

    def run():
        try:
            results.append(target())
        except Exception as exc:  # reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def test_two_concurrent_digest_runs_send_each_persons_digest_once(monkeypatch):
    with time_machine.travel(at(YEAR_START, 9), tick=False):
        year = build_year()
    for user in (year.manager, year.deputy, year.strategic_user):
        preferences.preferences_set(user=user, choices={"reviews": "digest"})
    with time_machine.travel(at(dt.date(2026, 7, 17), 7), tick=False):
        reminders_sweep()
    both_read = threading.Barrier(2, timeout=30)
    original = digest_services.digest_recipient_ids

    def read_then_wait(**kwargs):
        ids = original(**kwargs)
        both_read.wait()
        return ids

    monkeypatch.setattr(digest_services, "digest_recipient_ids", read_then_wait)
    now = at(dt.date(2026, 7, 17), 8, 0)
    results, errors = run_twice_at_once(lambda: digest_services.digests_send(now=now))

    assert errors == []
    first, second = results
    assert set(first.digest_ids).isdisjoint(second.digest_ids)
    digests = list(Digest.objects.values_list("recipient", "day"))
    assert sorted(digests) == sorted(
        (user.pk, dt.date(2026, 7, 17))
        for user in (year.manager, year.deputy, year.strategic_user)
    )
    assert len(first.digest_ids) + len(second.digest_ids) == 3
    assert OutboundEmail.objects.filter(template="digest").count() == 3
    assert not Reminder.objects.filter(delivery="digest", digest=None).exists()


def test_two_concurrent_scheduled_report_runs_send_each_period_once(monkeypatch):
    with time_machine.travel(at(YEAR_START, 9), tick=False):
        year = build_year()
    for report in ("reviews", "partners-by-tier"):
        report_services.report_subscription_create(
            actor=year.senior, report=report, frequency="quarterly", user=year.senior
        )
    both_read = threading.Barrier(2, timeout=30)
    original = report_services.report_period

    def period_then_wait(**kwargs):
        period = original(**kwargs)
        both_read.wait()
        return period

    monkeypatch.setattr(report_services, "report_period", period_then_wait)
    now = at(dt.date(2026, 7, 1), 6, 45)
    results, errors = run_twice_at_once(
        lambda: report_services.scheduled_reports_send(now=now)
    )

    assert errors == []
    first, second = results
    assert set(first.send_ids).isdisjoint(second.send_ids)
    assert len(first.send_ids) + len(second.send_ids) == 2
    assert ReportSend.objects.count() == 2
    assert OutboundEmail.objects.filter(template="scheduled_report").count() == 2
