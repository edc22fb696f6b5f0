"""The second factor in Chromium: set up on a desktop, verify on a phone."""

import pytest

from tests.browser.conftest import BROWSER_DB, PASSWORD, pass_second_factor, sign_in

PHONE = {"width": 390, "height": 844}


def _password(tab, username: str) -> None:
    tab.goto("/accounts/login/")
    tab.get_by_label("Username").fill(username)
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.mark.browser
@BROWSER_DB
def test_staff_set_up_an_authenticator_then_verify_on_a_phone(
    page, new_page, page_problems, shot, manager, senior_manager
):
    _password(page, manager.username)
    assert "/accounts/two-factor/set-up/" in page.url
    assert page.locator(".qr-code svg").is_visible()
    shot(page, "set-up-desktop")
    page.get_by_role("textbox", name="Code").fill("000000")
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    assert page.get_by_text("That code is not right").is_visible()
    pass_second_factor(page, manager.username)
    assert page.get_by_role("heading", name="Dashboard").is_visible()

    phone = new_page()
    phone.set_viewport_size(PHONE)
    phone.on(
        "console",
        lambda m: (
            page_problems.csp_violations.append(m.text)
            if "Content Security Policy" in m.text
            else None
        ),
    )
    _password(phone, manager.username)
    assert phone.url.endswith("/accounts/two-factor/?next=/")
    shot(phone, "verify-phone")
    # Nothing is wider than the phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    pass_second_factor(phone, manager.username)
    assert phone.get_by_role("heading", name="Dashboard").is_visible()

    other = new_page()
    other.set_viewport_size(PHONE)
    _password(other, senior_manager.username)
    shot(other, "set-up-phone")
    assert other.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    pass_second_factor(other, senior_manager.username)

    again = new_page()
    sign_in(again, manager.username)  # the helper every browser test uses
    assert again.get_by_role("heading", name="Dashboard").is_visible()
    assert not page_problems, page_problems
