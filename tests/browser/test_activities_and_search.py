"""A manager logs a call with a follow-up from the organisation page, finds it
through the global search (by keyboard), sees the task on the dashboard and
completes it."""

import datetime as dt

import pytest
from django.utils import timezone

from activities.models import Task
from tests import factories
from tests.browser.conftest import BROWSER_DB, sign_in

pytestmark = [pytest.mark.browser, BROWSER_DB]


def test_log_a_call_find_it_and_complete_its_follow_up(
    browser_context, page, page_problems, manager, shot
):
    organisation = factories.OrganisationFactory(
        name="Harbour Safety Trust", owner=manager
    )
    sign_in(page, manager.username)
    page.goto(f"/organisations/{organisation.pk}/")

    panel = page.locator("#activities")
    panel.get_by_text("Log a call, meeting, email or note").click()
    panel.get_by_label("Kind").select_option("call")
    panel.get_by_label("Summary").fill("Quarterly referral figures agreed with Sam")
    panel.get_by_label("Follow-up (optional)").fill("Send the referral minutes")
    due = timezone.localdate() + dt.timedelta(days=1)
    panel.get_by_label("Follow-up due").fill(due.isoformat())
    shot(page, "activity-form")
    panel.get_by_role("button", name="Log it").click()
    # htmx swaps the section: the note, the open follow-up and the activity.
    page.locator("#activities").get_by_text("Call logged.").wait_for()
    assert page.locator("#org-tasks").get_by_text("Send the referral minutes").count()
    assert page.locator("#org-activities").get_by_text("Quarterly referral").count()
    shot(page, "activity-logged")

    box = page.get_by_role("combobox", name="Search everything")
    box.click()
    box.press_sequentially("referral fig", delay=40)
    listbox = page.get_by_role("listbox", name="Search results")
    listbox.get_by_role("option").first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    shot(page, "search-results", full_page=False)
    box.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    assert active
    assert page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    assert "Quarterly referral" in page.locator(f"#{active}").inner_text()
    box.press("Enter")
    page.wait_for_url(f"**/organisations/{organisation.pk}/#activities")

    page.goto("/")
    tasks = page.locator("#my-tasks")
    tasks.get_by_text("Send the referral minutes").wait_for()
    shot(page, "dashboard-my-tasks")
    tasks.get_by_role("button", name="Mark “Send the referral minutes” done").click()
    page.get_by_text("“Send the referral minutes” done.").wait_for()
    assert Task.objects.get().status == Task.Status.DONE
    assert (
        page.locator("#my-tasks")
        .get_by_text("No tasks due in the next seven days.")
        .count()
    )
    assert not page_problems, repr(page_problems.csp_violations)
