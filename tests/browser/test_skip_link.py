"""The skip link on every layout (WCAG 2.4.1, 2.4.7, issue 16): the first Tab
shows it, with a visible focus ring, inside the window; Enter on it takes the
keyboard past the navigation, so the next Tab lands inside <main>."""

import pytest
from django.conf import settings

from tests.browser.conftest import BROWSER_DB
from tests.browser.test_keyboard_only import focused
from tests.clients import VerifiedClient

pytestmark = [pytest.mark.browser, BROWSER_DB]

SHOWN = """() => {
  const el = document.activeElement, box = el.getBoundingClientRect();
  return {text: el.innerText.trim(), width: box.width, height: box.height,
          inside: box.left >= 0 && box.top >= 0 && box.right <= innerWidth};
}"""
FIRST = """() => document.querySelector(
  'a[href], button, input:not([type=hidden]), select, textarea, [tabindex="0"]'
).innerText.trim()"""
AUTOFOCUS = "() => document.activeElement !== document.body"
IN_MAIN = "() => !!document.activeElement.closest('main')"


def _session(page, live_server, user) -> None:
    client = VerifiedClient()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_the_skip_link_comes_first_shows_and_skips_the_navigation(
    page, page_problems, live_server, manager, partner_user
):
    layouts = [
        ("sign-in", None, "/accounts/login/"),
        ("public form", None, "/get-involved/"),
        ("workspace", manager, "/"),
        ("portal", partner_user, "/portal/"),
    ]
    for layout, user, address in layouts:
        if user:
            _session(page, live_server, user)
        page.goto(address)
        assert page.evaluate(FIRST) == "Skip to main content", layout
        if page.evaluate(AUTOFOCUS):
            # The sign-in form puts the focus in its first field: the skip
            # link is just before it.
            page.keyboard.press("Shift+Tab")
        else:
            page.keyboard.press("Tab")
        shown = page.evaluate(SHOWN)
        assert shown["text"] == "Skip to main content", layout
        assert shown["width"] > 20, layout
        assert shown["height"] > 10, layout
        assert shown["inside"], layout
        assert focused(page)["visibleFocus"], layout
        page.keyboard.press("Enter")
        # The jump to #main is in the same page; it may land a moment later.
        page.wait_for_function("location.hash === '#main'", timeout=5000)
        assert page.url.endswith("#main"), layout
        page.keyboard.press("Tab")
        assert page.evaluate(IN_MAIN), f"{layout}: Tab after the skip link left <main>"
    assert not page_problems, page_problems
