"""An analyst downloads a report too large for the request: the worker builds it,
the page's progress bar follows, and the link appears when it is ready."""

import pytest

from partners.downloads.services import report_downloads_sweep
from tests.browser.conftest import BROWSER_DB, sign_in
from tests.browser.test_phone_width import PHONE, scrolls_sideways
from tests.workspace_world import build_world

pytestmark = [pytest.mark.browser, BROWSER_DB]


def test_a_large_report_is_built_by_the_worker_with_a_progress_bar(
    browser_context, page, page_problems, shot, analyst, manager, settings
):
    settings.REPORT_DOWNLOAD_BACKGROUND_ROWS = 0
    build_world(owner=manager)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "analyst")
    page.goto("/reports/contacts/")
    page.get_by_role("button", name="CSV").click()
    page.get_by_text("Waiting for the worker").wait_for()
    assert page.locator("progress").count() == 1
    shot(page, "waiting")
    # The worker's part (the broker in these tests is not consumed): the sweep
    # builds it, and the page's polling shows the link.
    report_downloads_sweep()
    link = page.get_by_role("link", name="Download CSV")
    link.wait_for(timeout=10_000)
    shot(page, "ready")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".csv")
    page.set_viewport_size(PHONE)
    page.reload()
    shot(page, "phone")
    assert not scrolls_sideways(page)
