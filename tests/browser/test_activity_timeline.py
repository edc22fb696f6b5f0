"""An activity logged from the organisation page's short form appears in the
page's timeline at once (htmx, no reload), newest first, and is announced."""

import datetime as dt

import pytest
from django.utils import timezone

from tests import factories
from tests.browser.conftest import BROWSER_DB, sign_in

pytestmark = [pytest.mark.browser, BROWSER_DB]


def test_logged_activity_appears_in_the_timeline_without_reload(
    page, page_problems, manager, shot
):
    organisation = factories.OrganisationFactory(
        name="Lighthouse Online Trust", owner=manager
    )
    factories.RelationshipIssueFactory(
        organisation=organisation,
        title="Slow replies to referrals",
        raised_on=timezone.localdate() - dt.timedelta(days=3),
    )
    sign_in(page, manager.username)
    page.goto(f"/organisations/{organisation.pk}/")
    timeline = page.locator("#timeline-events")
    assert timeline.locator("li").count() == 1
    # Survives only if the page is not loaded again.
    page.evaluate("window.notReloaded = true")

    panel = page.locator("#activities")
    panel.get_by_text("Log a call, meeting, email or note").click()
    panel.get_by_label("Kind").select_option("meeting")
    panel.get_by_label("Summary").fill("Met the safeguarding lead about referrals")
    # No follow-up: the short form logs the activity alone.
    panel.get_by_role("button", name="Log it").click()
    panel.get_by_text("Meeting logged.").wait_for()
    timeline.get_by_text("Met the safeguarding lead").wait_for()
    first = timeline.locator("li").first
    assert "Met the safeguarding lead" in first.inner_text()
    assert timeline.locator("li").count() == 2
    assert timeline.get_by_role("link", name="Activity").count() == 1
    status = page.locator("#timeline-status")
    assert status.get_attribute("role") == "status"
    assert "Meeting logged. It is now in the timeline." in status.inner_text()
    assert page.evaluate("window.notReloaded") is True
    shot(page, "timeline-after-log")
    assert not page_problems, repr(page_problems.csp_violations)
