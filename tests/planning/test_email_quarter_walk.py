"""A quarter, day by day, for a relationship manager who runs forty organisations:
the number of emails they get with each preference, exactly.

Every day from 1 July to 30 September 2026 the worker does what beat asks of
it: the digest at 08:00, the reminder sweep at 09:05, and sending. The forty
are Partners (quarterly reviews) with due diligence and an MoU in force all
quarter, so what reaches the manager is their reviews and the planning cycle's
milestones; the manager's choice for every optional kind is the parameter.
"""

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail

from ceop_crm import mail as outbox
from ceop_crm import roles
from planning.email_models import LOCKED_KINDS, NoticeKind
from planning.models import Digest, Reminder
from planning.services import preferences, reminders_send, reminders_sweep
from planning.services.digest import digests_send
from planning.services.reviews import reviews_schedule
from tests import factories

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
YEAR_START = dt.date(2026, 4, 1)
QUARTER = (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
ORGANISATIONS = 40


def at(day: dt.date, hour: int, minute: int):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    monkeypatch.setattr(outbox, "task_enqueue", lambda task, *args: False)


def build_portfolio():
    manager = factories.UserFactory(username="forty")
    manager.groups.add(Group.objects.get(name=roles.RELATIONSHIP_MANAGER))
    partner = factories.tier("partner")
    for number in range(ORGANISATIONS):
        org = factories.OrganisationFactory(name=f"Org {number:02d}", owner=manager)
        factories.DueDiligenceFactory(
            organisation=org,
            assessed_on=dt.date(2026, 1, 1),
            expires_on=dt.date(2028, 1, 1),
        )
        factories.MoUFactory(
            organisation=org,
            signed_on=dt.date(2026, 1, 1),
            start=dt.date(2026, 1, 1),
            end=dt.date(2028, 12, 31),
        )
        factories.AssociationFactory(organisation=org, tier=partner, start=YEAR_START)
    reviews_schedule()
    return manager


def walk_quarter() -> None:
    day = QUARTER[0]
    while day <= QUARTER[1]:
        with time_machine.travel(at(day, 8, 0), tick=False):
            digests_send()
            outbox.outbound_email_send()
        with time_machine.travel(at(day, 9, 5), tick=False):
            reminders_sweep()
            reminders_send()
        day += dt.timedelta(days=1)


# What the quarter holds for the manager: three steps of the Q1 review of each
# of the forty (coming up on Friday 17 July, due on Friday 31 July, overdue on
# Friday 7 August; the escalation on 21 August goes to senior managers, not
# the owner) and two milestones of the planning cycle coming up (recorded on
# Wednesday 1 July and Thursday 17 September): 122 notices, all optional kinds.
NOTICES = 3 * ORGANISATIONS + 2
# The digest goes at 08:00 on the next weekday after a day with new notices:
# Thursday 2 July (one milestone), Monday 20 July (40 reviews coming up),
# Monday 3 August (40 due), Monday 10 August (40 overdue), Friday 18 September
# (one milestone).
DIGESTS = {
    dt.date(2026, 7, 2): 1,
    dt.date(2026, 7, 20): ORGANISATIONS,
    dt.date(2026, 8, 3): ORGANISATIONS,
    dt.date(2026, 8, 10): ORGANISATIONS,
    dt.date(2026, 9, 18): 1,
}


@pytest.mark.parametrize(
    ("delivery", "expected_emails"),
    [
        ("email", NOTICES),  # every notice its own email
        ("digest", len(DIGESTS)),  # five digests
        ("app", 0),  # nothing by email
    ],
)
def test_a_quarter_of_forty_organisations_by_preference(delivery, expected_emails):
    with time_machine.travel(at(YEAR_START, 9, 0), tick=False):
        manager = build_portfolio()
    preferences.preferences_set(
        user=manager,
        choices={
            kind: delivery for kind in NoticeKind.values if kind not in LOCKED_KINDS
        },
    )
    walk_quarter()

    notices = Reminder.objects.filter(recipient=manager)
    steps = Counter(notices.values_list("step", flat=True))
    assert steps == {
        "review_upcoming": ORGANISATIONS,
        "review_due": ORGANISATIONS,
        "review_overdue": ORGANISATIONS,
        "milestone_upcoming": 2,
    }
    # Every notice is in the app whatever the preference.
    assert notices.count() == NOTICES
    assert set(notices.values_list("delivery", flat=True)) == {delivery}
    emails = [m for m in mail.outbox if m.to == [manager.email]]
    assert len(emails) == expected_emails
    digests = Digest.objects.filter(recipient=manager)
    if delivery == "digest":
        assert {digest.day: digest.reminders.count() for digest in digests} == DIGESTS
        assert all(m.subject.startswith("Your CEOP Partner digest") for m in emails)
        assert not notices.filter(digest__isnull=True).exists()
    else:
        assert not digests.exists()
