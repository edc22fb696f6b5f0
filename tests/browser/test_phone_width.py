"""The workspace at phone width: no page scrolls sideways; the menu folds away."""

import pytest

from tests import factories
from tests.browser.conftest import BROWSER_DB, sign_in

pytestmark = [pytest.mark.browser, BROWSER_DB]

PHONE = {"width": 390, "height": 844}


def scrolls_sideways(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth"
        " > document.documentElement.clientWidth + 1"
    )


def test_key_pages_fit_a_phone_screen(
    browser_context, page, page_problems, shot, manager
):
    organisation = factories.OrganisationFactory(
        name="Longfellow Digital Wellbeing Partnership Community Interest Company",
        owner=manager,
    )
    factories.DueDiligenceFactory(organisation=organisation)
    factories.AssociationFactory(organisation=organisation)
    factories.ContributionFactory(organisation=organisation)
    page.set_viewport_size(PHONE)

    sign_in(page, manager.username)
    for name, path in [
        ("dashboard", "/"),
        ("organisations", "/organisations/"),
        ("organisation", f"/organisations/{organisation.pk}/"),
    ]:
        page.goto(path)
        shot(page, f"phone-{name}")
        assert not scrolls_sideways(page), f"{path} scrolls sideways at phone width"

    # The navigation folds behind its toggle and opens from it.
    navigation = page.get_by_role("navigation", name="Workspace")
    link = navigation.get_by_role("link", name="Organisations", exact=True)
    assert not link.is_visible()
    navigation.get_by_role("button", name="Toggle navigation").click()
    link.wait_for(state="visible")
    assert not page_problems, page_problems


NAVIGATION = """() => ({
  scrolls: document.documentElement.scrollWidth > document.documentElement.clientWidth + 1,
  search: document.getElementById("global-search-q").getBoundingClientRect().width,
})"""


def test_the_one_line_navigation_fits_narrow_laptops(
    browser_context, page, page_problems, manager
):
    """From 1200 px the navigation is one line: at 1200 and 1280 px it must not
    push the page sideways, and the search box keeps room to type in."""
    sign_in(page, manager.username)
    for width in (1200, 1280, 1366):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto("/")
        fits = page.evaluate(NAVIGATION)
        assert not fits["scrolls"], f"{width} px scrolls sideways"
        assert fits["search"] >= 120, f"{width} px: the search box is {fits['search']}"
    assert not page_problems, page_problems
