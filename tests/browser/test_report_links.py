"""The MoUs report's state figures open the organisation list they count."""

import pytest

from tests import factories
from tests.browser.conftest import BROWSER_DB, sign_in
from tests.workspace_world import build_world

pytestmark = [pytest.mark.browser, BROWSER_DB]


def test_an_mou_state_opens_its_organisations(
    page, page_problems, shot, analyst, manager
):
    world = build_world(owner=manager)
    factories.MoUFactory(
        organisation=world.review.organisation, status="draft", signed_on=None
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "analyst")
    page.goto("/reports/mous/")
    shot(page, "mous")
    page.get_by_role("link", name="Draft: 1").click()
    page.wait_for_url("**/organisations/?mou_status=draft")
    shot(page, "organisations")
    assert page.locator("#list-count").inner_text().startswith("1 organisation")
    page.goto("/reports/annual-review/")
    shot(page, "annual-review")
