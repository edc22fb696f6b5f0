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


# Each word of a table cell, as the reader sees it: how many lines it spans.
SPLIT_WORDS = """() => {
  const split = [];
  for (const cell of document.querySelectorAll("main table td")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) split.push(match[0]);
      }
    }
  }
  return split;
}"""


def test_list_cells_never_break_a_word_at_desktop_width(
    browser_context, page, page_problems, manager
):
    """At 1280 px a short word in a list cell ("Voluntary sector", an owner's
    surname) wraps between words, never inside one."""
    from partners.models import Sector

    manager.first_name, manager.last_name = "Ruth", "Fairweatherington"
    manager.save()
    for n in range(3):
        factories.OrganisationFactory(
            name=f"Brackenminster Young People's Foundation {n}",
            sector=Sector.VOLUNTARY,
            owner=manager,
        )
    sign_in(page, manager.username)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/organisations/")
    page.get_by_role("cell", name="Voluntary sector").first.wait_for()
    assert page.evaluate(SPLIT_WORDS) == []
    assert not page_problems, page_problems
