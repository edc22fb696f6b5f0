"""The styled sign-in page in a real browser, and the suite's data after browser tests."""

import pytest
from django.contrib.auth.models import Group

from ceop_crm import roles
from tests.browser.conftest import (
    BROWSER_DB,
    PASSWORD,
    pass_second_factor,
    runs_after_browser_tests,
)
from tiers.models import TierLevel

BOOTSTRAP_PRIMARY = "rgb(13, 110, 253)"


@pytest.mark.browser
@BROWSER_DB
def test_sign_in_page_is_styled_and_refuses_a_wrong_password(
    page, page_problems, shot, manager
):
    page.goto("/accounts/login/")
    button = page.get_by_role("button", name="Sign in")
    # Bootstrap's stylesheet is served (the button is not the browser's grey).
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") == (
        BOOTSTRAP_PRIMARY
    )
    shot(page, "sign-in")

    page.get_by_label("Username").fill(manager.username)
    page.get_by_label("Password").fill("not-the-password")
    button.click()

    assert "/accounts/login/" in page.url
    assert page.get_by_role("alert").filter(has_text="username").is_visible()
    assert page.get_by_label("Username").input_value() == manager.username
    shot(page, "sign-in-refused")

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    # Staff go on to set up their second factor before any workspace page.
    assert "/accounts/two-factor/set-up/" in page.url
    pass_second_factor(page, manager.username)
    assert page.get_by_role("heading", name="Dashboard").is_visible()
    assert not page_problems, page_problems


@runs_after_browser_tests
def test_reference_data_is_still_there_after_browser_tests(
    django_db_setup, django_db_blocker
):
    """Runs right after the last browser test (see runs_after_browser_tests): the
    flush after each transactional browser test must not have taken the reference
    data of the data migrations with it."""
    with django_db_blocker.unblock():
        assert set(TierLevel.objects.values_list("code", flat=True)) == {
            "strategic-partner",
            "partner",
            "official-supporter",
            "supplier",
        }
        assert Group.objects.filter(name=roles.SENIOR_MANAGER).exists()
