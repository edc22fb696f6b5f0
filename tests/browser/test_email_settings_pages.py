"""A senior manager sets the team's reply-to mailbox from their email preferences;
a contact without an account opens their email choices from the link in an
email, without signing in. Both pages pass axe (the every-page walk reaches
only the first: the second is a signed link in an email)."""

import pytest

from planning.models import AddressOptOut, EmailSettings
from planning.services.address_preferences import address_preferences_url
from tests.browser.conftest import BROWSER_DB, sign_in
from tests.browser.test_every_page import AXE, RUN_AXE, TAGS
from tests.conftest import _staff

pytestmark = [pytest.mark.browser, BROWSER_DB]


def _axe(tab) -> list[dict]:
    return tab.evaluate(RUN_AXE, TAGS)


def test_senior_manager_sets_the_reply_to_and_a_contact_chooses_their_email(
    browser_context, shot, settings, live_server
):
    from ceop_crm import roles

    settings.SITE_URL = live_server.url
    browser_context.add_init_script(path=str(AXE))
    tab = browser_context.new_page()
    senior = _staff(roles.SENIOR_MANAGER, "senior")
    sign_in(tab, senior.username)
    tab.goto("/notifications/preferences/")
    tab.get_by_role("link", name="Email settings").click()
    tab.get_by_role("heading", name="Email settings").wait_for()
    tab.get_by_label("Reply-to address").fill("not an address")
    tab.get_by_role("button", name="Save email settings").click()
    tab.get_by_text("Enter a valid email address.").wait_for()
    assert not EmailSettings.objects.exists()
    tab.get_by_label("Reply-to address").fill("partnerships@ceop.example")
    tab.get_by_label("Display name").fill("CEOP Partnerships")
    tab.get_by_role("button", name="Save email settings").click()
    tab.get_by_text("The email settings are saved.").wait_for()
    tab.get_by_text("CEOP Partnerships <partnerships@ceop.example>").first.wait_for()
    assert tab.locator("#email-settings-history tbody tr").count() == 1
    assert _axe(tab) == []
    shot(tab, "email-settings")

    contact_tab = browser_context.browser.new_context(
        base_url=live_server.url, locale="en-GB"
    ).new_page()
    contact_tab.context.add_init_script(path=str(AXE))
    contact_tab.goto(address_preferences_url(address="pat@partner.example"))
    contact_tab.get_by_role("heading", name="Email from CEOP Partner").wait_for()
    assert contact_tab.get_by_label("Escalations").is_disabled()
    contact_tab.get_by_label("Reviews").uncheck()
    contact_tab.get_by_role("button", name="Save my choices").click()
    contact_tab.get_by_text("Your choices are saved.").wait_for()
    assert not contact_tab.get_by_label("Reviews").is_checked()
    assert list(AddressOptOut.objects.values_list("address", "kind")) == [
        ("pat@partner.example", "reviews")
    ]
    assert _axe(contact_tab) == []
    shot(contact_tab, "address-choices")
    contact_tab.context.close()
