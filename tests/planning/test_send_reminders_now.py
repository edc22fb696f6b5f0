"""`manage.py send_reminders_now`: the sweep and the sending at once, no worker."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from ceop_crm import mail as outbox
from planning.models import Reminder
from tests.planning.scenario import YEAR_START, build_year

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
UPCOMING = dt.datetime(2026, 7, 17, 10, 0, tzinfo=LONDON)  # 14 days before Q1's due


def test_send_reminders_now_records_and_emails_what_is_due(monkeypatch):
    # No broker: nothing reaches a worker, so what goes out is sent right here.
    monkeypatch.setattr(outbox, "task_enqueue", lambda task, *args: False)
    with time_machine.travel(
        dt.datetime.combine(YEAR_START, dt.time(9), tzinfo=LONDON), tick=False
    ):
        year = build_year()
    out = StringIO()
    with time_machine.travel(UPCOMING, tick=False):
        call_command("send_reminders_now", stdout=out)

    recorded = Reminder.objects.filter(recipient=year.manager)
    assert recorded.exists()
    assert not recorded.filter(sent_at=None).exists()
    assert {m.to[0] for m in mail.outbox} >= {year.manager.email}
    sent = len(mail.outbox)
    assert f"{sent} emails sent, 0 failed" in out.getvalue()
