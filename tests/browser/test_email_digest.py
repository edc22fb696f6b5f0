"""A relationship manager switches reviews to the daily digest on their email
preferences page; the reviews coming up then wait in the app, no email each,
and the next digest holds them."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from ceop_crm import mail as outbox
from ceop_crm.models import OutboundEmail
from planning.models import Digest, Reminder
from planning.services import reminders_send, reminders_sweep
from planning.services.digest import digests_send
from tests.browser.conftest import BROWSER_DB, sign_in
from tests.planning.scenario import YEAR_START, build_year

pytestmark = [pytest.mark.browser, BROWSER_DB]

LONDON = ZoneInfo("Europe/London")
UPCOMING = dt.date(2026, 7, 17)


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    monkeypatch.setattr(outbox, "task_enqueue", lambda task, *args: False)


def test_manager_switches_reviews_to_the_digest_and_the_next_digest_holds_them(
    page, page_problems, shot
):
    with time_machine.travel(
        dt.datetime.combine(YEAR_START, dt.time(9), tzinfo=LONDON), tick=False
    ):
        year = build_year()

    sign_in(page, year.manager.username)
    page.goto("/notifications/")
    page.get_by_role("link", name="Email preferences").click()
    page.get_by_role("heading", name="Email preferences").wait_for()
    shot(page, "preferences-before")
    page.get_by_role("radio", name="Reviews: In the daily digest").check()
    # Escalations cannot be switched off: no app-only choice is offered.
    assert page.locator("[name=escalations][value=app]").count() == 0
    page.get_by_role("button", name="Save preferences").click()
    page.get_by_text("Your email preferences are saved.").wait_for()
    assert page.locator("[name=reviews][value=digest]").is_checked()
    shot(page, "preferences-saved")

    # The worker: Friday's sweep records the reviews coming up; they wait.
    reminders_sweep(now=dt.datetime(2026, 7, 17, 7, 5, tzinfo=LONDON))
    reminders_send()
    reviews_waiting = Reminder.objects.filter(
        recipient=year.manager, subject_type="review", delivery="digest"
    )
    assert reviews_waiting.count() == 2
    assert not reviews_waiting.filter(sent_at__isnull=False).exists()
    # The MoU ending is still emailed at once.
    assert Reminder.objects.filter(
        recipient=year.manager, subject_type="mou", sent_at__isnull=False
    ).exists()

    # The digest at 08:00 holds both reviews, and the app still shows them.
    digests_send(now=dt.datetime(2026, 7, 17, 8, 0, tzinfo=LONDON))
    digest = Digest.objects.get(recipient=year.manager)
    assert set(digest.reminders.values_list("pk", flat=True)) == set(
        reviews_waiting.values_list("pk", flat=True)
    )
    email = OutboundEmail.objects.get(pk=digest.email_id)
    for reminder in reviews_waiting:
        assert reminder.title in email.body_text
    page.goto("/notifications/")
    for reminder in reviews_waiting:
        page.get_by_text(reminder.title).first.wait_for()
    shot(page, "notifications")
    assert not page_problems, page_problems
