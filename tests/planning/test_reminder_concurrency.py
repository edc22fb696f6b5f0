"""Two sweeps at once on PostgreSQL, each in its own connection: every reminder once.

Both sweeps are held after reading what is already recorded, so both try to
insert the same rows: the unique constraint, not a check, decides who wins.
"""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, connections

from ceop_crm.models import OutboundEmail
from planning.models import Reminder
from planning.services.reminders import storage as reminder_services
from tests.planning.scenario import YEAR_START, build_year

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)"
    ),
]

LONDON = ZoneInfo("Europe/London")


def test_two_concurrent_sweeps_record_each_reminder_exactly_once(monkeypatch):
    with time_machine.travel(
        dt.datetime.combine(YEAR_START, dt.time(9), tzinfo=LONDON), tick=False
    ):
        build_year()
    # 17 July: Q1 reviews coming up, the Strategic Partner's MoU ending, the
    # Q1 monitoring window opening: reminders in-app and email-only.
    now = dt.datetime(2026, 7, 17, 9, 5, tzinfo=LONDON)

    both_checked = threading.Barrier(2, timeout=30)
    original = reminder_services._existing_keys

    def existing_keys_then_wait(notices):
        keys = original(notices)
        both_checked.wait()
        return keys

    monkeypatch.setattr(reminder_services, "_existing_keys", existing_keys_then_wait)
    results, errors = [], []

    def sweep():
        try:
            results.append(reminder_services.reminders_sweep(now=now))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(results) == 2
    first, second = results
    # Both saw the same reminders due; between them they recorded each once.
    assert first.due == second.due > 0
    assert set(first.reminder_ids).isdisjoint(second.reminder_ids)
    assert set(first.email_ids).isdisjoint(second.email_ids)
    recorded = set(first.reminder_ids) | set(second.reminder_ids)
    assert recorded == set(Reminder.objects.values_list("pk", flat=True))
    assert set(first.email_ids) | set(second.email_ids) == set(
        OutboundEmail.objects.values_list("pk", flat=True)
    )
    keys = list(
        Reminder.objects.values_list("recipient", "subject_type", "subject_id", "step")
    )
    assert len(keys) == len(set(keys))
    assert len(keys) + OutboundEmail.objects.count() == first.due
