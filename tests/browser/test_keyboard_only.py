"""The main flow with the keyboard alone: sign in (password, then the code of the
authenticator app), open an organisation, record a contribution and submit it.

No click and no fill: the test presses Tab, Shift+Tab, arrows, Space and Enter
and types, as someone without a mouse would, and reads only where the focus is
(what such a person sees). Each element it stops on must show that it has the
focus (an outline or a focus ring).
"""

import pytest

from tests import factories
from tests.browser.conftest import BROWSER_DB, PASSWORD
from tests.clients import authenticator_for, totp_code

pytestmark = [pytest.mark.browser, BROWSER_DB]

MAX_TABS = 80

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
    || (style.boxShadow && style.boxShadow !== "none");
  return {
    tag: el.tagName.toLowerCase(),
    text: (el.innerText || el.value || "").trim(),
    label: el.labels && el.labels.length ? el.labels[0].innerText.trim() : "",
    name: el.getAttribute("name") || "",
    visibleFocus: ring,
  };
}"""


def focused(tab) -> dict | None:
    return tab.evaluate(FOCUSED)


def tab_to(tab, matches, *, what: str) -> dict:
    """Press Tab until the focused element matches; it must show its focus."""
    for _ in range(MAX_TABS):
        tab.keyboard.press("Tab")
        element = focused(tab)
        if element and matches(element):
            assert element["visibleFocus"], f"{what}: focus not visible"
            return element
    raise AssertionError(f"Tab never reached {what}")


def settle_search(tab, word: str) -> None:
    """Wait until the list shows the answer to `word` and htmx is idle."""
    tab.wait_for_url(lambda url: f"q={word}&" in url)
    tab.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


def named(name: str):
    return lambda element: element["name"] == name


def labelled(text: str):
    return lambda element: element["label"].startswith(text)


def saying(text: str):
    return lambda element: element["text"] == text


def test_sign_in_and_record_a_contribution_with_the_keyboard_only(page, manager):
    organisation = factories.OrganisationFactory(
        name="Keyboard Online Safety Trust", owner=manager
    )
    factories.OrganisationFactory(name="Another Charity", owner=manager)
    device = authenticator_for(manager)

    page.goto("/accounts/login/")
    # The first Tab offers the skip link.
    tab_to(page, saying("Skip to main content"), what="the skip link")
    tab_to(page, named("username"), what="the username")
    page.keyboard.type(manager.username)
    tab_to(page, named("password"), what="the password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/two-factor/**")

    tab_to(page, named("token"), what="the code field")
    page.keyboard.type(totp_code(device))
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/" not in url)
    assert page.title().startswith("Dashboard")

    tab_to(page, saying("Organisations"), what="the Organisations link")
    page.keyboard.press("Enter")
    page.wait_for_url("**/organisations/")
    # Searching updates the list in place (htmx); the count is one live region
    # whose text changes, so a screen reader announces the new result.
    assert page.locator("#list-count").inner_text() == "2 organisations."
    page.evaluate("document.getElementById('list-count').dataset.node = 'first'")
    tab_to(page, labelled("Search name or contact"), what="the list's search field")
    page.keyboard.type("Keyboard")
    page.locator("#list-count", has_text="1 organisation.").wait_for()
    count = page.locator("#list-count")
    assert count.get_attribute("data-node") == "first"  # the same element
    assert count.get_attribute("aria-live") == "polite"
    assert count.inner_text() == "1 organisation."
    # A word on the way ("Keyb") gives the same count, and a slow typist's
    # keys can each send one: wait for the whole word's rows and for htmx to be
    # idle, or a late swap takes the focus out from under the next Tab.
    settle_search(page, "Keyboard")
    tab_to(page, saying(organisation.name), what="the organisation")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/organisations/{organisation.pk}/")
    assert page.title().startswith(organisation.name)

    # The Record… menu opens from the keyboard and its items are reached with
    # the arrow keys.
    tab_to(page, saying("Record…"), what="the Record menu")
    page.keyboard.press("Enter")
    for _ in range(10):
        page.keyboard.press("ArrowDown")
        if (focused(page) or {}).get("text") == "Contribution":
            break
    assert focused(page)["text"] == "Contribution"
    assert focused(page)["visibleFocus"]
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/organisations/{organisation.pk}/contributions/new/")

    # Submitted empty: the errors are summarised at the top, with the focus on
    # them, and each links to its field.
    tab_to(page, saying("Save contribution"), what="the submit button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.locator("#error-summary").wait_for()
    summary = focused(page)
    assert summary is not None
    assert "problem" in summary["text"], summary
    tab_to(page, lambda e: e["text"].startswith("Title"), what="the title error")
    page.keyboard.press("Enter")
    assert focused(page)["name"] == "title"

    page.keyboard.type("Analysts seconded for the summer")
    tab_to(page, named("kind"), what="the kind of support")
    page.keyboard.press("ArrowDown")
    tab_to(page, named("priority_areas"), what="the first priority area")
    page.keyboard.press("Space")
    tab_to(page, saying("Save contribution"), what="the submit button")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/organisations/{organisation.pk}/#support")

    contribution = organisation.contributions.get()
    assert contribution.title == "Analysts seconded for the summer"
    assert contribution.priority_areas.count() == 1
    assert page.get_by_text("Analysts seconded for the summer").first.is_visible()
