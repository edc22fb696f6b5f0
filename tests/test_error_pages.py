"""Friendly 400, 403, 404 and 500 pages, in the layout of the part of the site
asked for, each with a way back."""

import pytest
from django.template import loader

from tests.clients import VerifiedClient as Client
from tests.portal.conftest import make_partner_world

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def test_staff_404_is_in_the_workspace_layout_with_a_way_back(manager):
    response = _client(manager).get("/organisations/999999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert "Back to the dashboard" in page
    assert "navbar-ceop" in page


def test_staff_403_is_in_the_workspace_layout_with_a_way_back(analyst):
    from tests import factories

    organisation = factories.OrganisationFactory()
    response = _client(analyst).get(f"/organisations/{organisation.pk}/edit/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "You cannot open this page" in page
    assert "ask your relationship manager or CEOP's administrator" in page
    assert "navbar-ceop" in page
    assert "Back to the dashboard" in page


def test_portal_404_and_403_are_in_the_portal_layout(db):
    world = make_partner_world("Alpha Systems")
    client = _client(world.user)
    missing = client.get("/portal/nothing-here/")
    assert missing.status_code == 404
    assert "Back to your portal home" in missing.content.decode()
    assert "navbar-portal" in missing.content.decode()
    refused = client.get("/organisations/")  # outside the portal
    assert refused.status_code == 403
    assert "You cannot open this page" in refused.content.decode()
    assert "Back to your portal home" in refused.content.decode()


def test_the_400_page_says_why_and_keeps_the_signed_in_layout(manager):
    response = _client(manager).get("/organisations/", {"q": "a\x00b"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "A NUL character is not allowed" in page
    assert manager.get_username() in page or manager.get_full_name() in page


def test_the_500_page_renders_with_no_context_at_all():
    html = loader.get_template("500.html").render()
    assert "Something went wrong on our side" in html
    assert 'href="/"' in html
    assert 'href="/portal/"' in html


def test_an_error_in_a_view_answers_the_friendly_500(manager, monkeypatch):
    from partners.views import dashboard

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(dashboard.DashboardView, "get_context_data", broken)
    response = _client(manager).get("/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
