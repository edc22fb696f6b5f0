"""The data protection officer finds a person, exports their data and erases them."""

import pytest
from django.contrib.auth.models import Group

from ceop_crm import roles
from ceop_crm.privacy.services import subject_access_exports_sweep
from tests import factories
from tests.browser.conftest import BROWSER_DB, sign_in
from tests.browser.test_phone_width import PHONE, scrolls_sideways
from tests.privacy.conftest import EMAIL, NAME, seed_person

pytestmark = [pytest.mark.browser, BROWSER_DB]


def test_search_export_download_and_erase(
    browser_context, page, page_problems, shot, senior_manager
):
    dpo = factories.UserFactory(username="dpo")
    dpo.groups.add(Group.objects.get(name=roles.DATA_PROTECTION_OFFICER))
    seed_person(actor=senior_manager)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "dpo")
    page.wait_for_url("**/data-protection/")

    page.get_by_label("Name").fill("Quarrendon")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("heading", name="matches").wait_for()
    assert page.get_by_role("cell", name="MoU signatory").count() >= 1
    shot(page, "search")

    page.get_by_label("Name").fill(NAME)
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name="Subject access export").click()
    page.get_by_text("Waiting for the worker").wait_for()
    shot(page, "export-waiting")
    # The worker's part (the broker in these tests is not consumed): the
    # sweep builds it, and the page's polling shows the download.
    subject_access_exports_sweep()
    download_link = page.get_by_role("link", name="Download ZIP")
    download_link.wait_for(timeout=10_000)
    shot(page, "export-ready")
    with page.expect_download() as download:
        download_link.click()
    assert download.value.suggested_filename.endswith(".zip")

    export_page = page.url
    page.goto(f"/data-protection/erase/?name={NAME}&email={EMAIL}")
    page.get_by_role("heading", name="What will be erased").wait_for()
    shot(page, "erase")
    page.set_viewport_size(PHONE)
    for path in (f"/data-protection/?name={NAME}", export_page, page.url):
        page.goto(path)
        shot(page, "phone")
        assert not scrolls_sideways(page), path
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Reason").fill("Erasure request DP-0042.")
    page.get_by_label("I have checked").check()
    page.get_by_role("button", name="Erase everywhere").click()
    page.get_by_text("The person has been erased everywhere.").wait_for()
    shot(page, "erased")
    assert NAME not in page.content()
    assert not page_problems, page_problems
