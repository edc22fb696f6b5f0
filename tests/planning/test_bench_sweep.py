"""The sweep benchmark runs end to end and says what its sending figure timed."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from planning.models import Reminder

pytestmark = pytest.mark.django_db


def _bench(**options) -> str:
    """The benchmark on a dozen organisations, without its ANALYZE: table sizes
    written by an ANALYZE stay in the catalogue after the test's rollback, and
    the plan tests after it would be planned on a dozen organisations' sizes."""
    out = StringIO()
    call_command("bench_sweep", orgs=12, repeat=1, analyse=False, stdout=out, **options)
    return out.getvalue()


def test_sending_is_timed_on_a_bounded_sample_and_says_so():
    output = _bench(send_sample=3)

    sending = next(line for line in output.splitlines() if line.startswith("Sending"))
    waiting = int(re.search(r"the first 3 of ([\d,]+) waiting", sending)[1])
    assert waiting > 3, sending
    assert " 3 emails," in sending, sending
    again = next(x for x in output.splitlines() if x.startswith("The sweep's rows"))
    assert "2 queries" in again, again
    assert "Rolled back" in output
    assert not Reminder.objects.exists()


def test_a_sample_of_zero_sends_every_waiting_email():
    output = _bench(send_sample=0)

    sending = next(line for line in output.splitlines() if line.startswith("Sending"))
    waiting = re.search(r"all ([\d,]+) waiting", sending)[1]
    assert f" {waiting} emails," in sending, sending
