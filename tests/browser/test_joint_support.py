"""Joint support in Chromium: the lead's owner finds another partner by typing part
of its name and adds it; that partner's portal shows the contribution, read-only."""

import pytest

from tests.browser.conftest import BROWSER_DB, PASSWORD, sign_in
from tests.partners.joint_world import make_joint_world

pytestmark = [pytest.mark.browser, BROWSER_DB]


def test_the_owner_adds_a_partner_and_its_portal_shows_the_work(
    page, page_problems, shot, new_page
):
    world = make_joint_world(with_party=False)
    sign_in(page, world.owner.username)
    page.goto(f"/organisations/{world.lead.pk}/")
    page.locator("#support").get_by_role(
        "link", name="Organisations working on it"
    ).click()

    box = page.get_by_label("Organisation working with the lead")
    box.press_sequentially("signal")
    # htmx fills the browser's suggestions as the user types.
    option = page.locator("#organisation-options option")
    option.first.wait_for(state="attached")
    assert option.first.get_attribute("value") == world.involved.name
    shot(page, "suggestions")
    box.fill(world.involved.name)
    page.get_by_role("button", name="Add the organisation").click()
    page.get_by_text(
        f"{world.involved.name} now works on this contribution."
    ).wait_for()
    assert (
        page.locator("#contribution-parties")
        .get_by_role("link", name=world.involved.name, exact=True)
        .count()
        == 1
    )
    shot(page, "added")

    page.goto(f"/organisations/{world.involved.pk}/")
    page.locator("#support").get_by_text("Led by").wait_for()
    shot(page, "involved-organisation-page")

    partner = new_page()
    partner.goto("/portal/sign-in/")
    partner.get_by_label("Username").fill(world.involved_partner.username.upper())
    partner.get_by_label("Password").fill(PASSWORD)
    partner.get_by_role("button", name="Sign in").click()
    partner.goto("/portal/support/")
    partner.get_by_text(f"Led by {world.lead.name}").first.wait_for()
    shot(partner, "portal-support")
    assert not page_problems, page_problems
