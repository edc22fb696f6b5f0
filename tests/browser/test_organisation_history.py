"""The organisation page loads who changed what from its own URL (htmx), and the
link it shows in its place still leads there without JavaScript."""

import pytest

from partners.services import organisation_update
from tests import factories
from tests.browser.conftest import BROWSER_DB, sign_in

pytestmark = [pytest.mark.browser, BROWSER_DB]


def test_history_loads_into_the_organisation_page(
    browser_context, page, page_problems, manager
):
    organisation = factories.OrganisationFactory(
        name="Harbour Safety Trust", owner=manager
    )
    organisation_update(organisation=organisation, actor=manager, country="Ireland")
    sign_in(page, manager.username)
    page.goto(f"/organisations/{organisation.pk}/")
    history = page.locator("#history")
    history.scroll_into_view_if_needed()
    change = history.get_by_text("Country: United Kingdom → Ireland")
    change.wait_for(state="visible")
    assert history.get_by_role("link", name="See who changed what").count() == 0
    assert not page_problems, page_problems


def test_history_link_works_without_javascript(browser, live_server, manager):
    organisation = factories.OrganisationFactory(name="Quayside Youth Network")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        tab = context.new_page()
        sign_in(tab, manager.username)
        tab.goto(f"/organisations/{organisation.pk}/")
        tab.get_by_role("link", name="See who changed what").click()
        tab.get_by_role("heading", name="History: who changed what").wait_for()
        assert "created organisation" in tab.content()
    finally:
        context.close()
