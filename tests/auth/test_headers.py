"""Headers of every audience's pages: a nonce-based Content-Security-Policy, a
Permissions-Policy, and no caching of pages that show personal data."""

import re

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def _pages(client, manager, partner_user, admin_user):
    organisation = factories.OrganisationFactory()
    client.force_login(manager)
    yield "/", client.get("/")
    yield (
        "organisation",
        client.get(reverse("partners:organisation_detail", args=[organisation.pk])),
    )
    yield "api browsable", client.get("/api/v1/organisations/", HTTP_ACCEPT="text/html")
    yield "swagger", client.get(reverse("api:docs"))
    yield "redoc", client.get(reverse("api:redoc"))
    client.force_login(partner_user)
    yield "portal", client.get(reverse("portal:home"))
    client.force_login(admin_user)
    yield "admin", client.get(reverse("admin:index"))
    yield (
        "admin change",
        client.get(
            reverse("admin:partners_organisation_change", args=[organisation.pk])
        ),
    )


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(
        [*part.strip().split(" ", 1), ""][:2] for part in header.split(";") if part
    )


def test_every_audience_gets_the_security_headers(
    client, manager, partner_user, admin_user
):
    for name, response in _pages(client, manager, partner_user, admin_user):
        assert response.status_code == 200, name
        policy = _policy(response)
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], name
        # 'self' and, only where the page has an inline script, its nonce.
        assert policy["script-src"].startswith("'self'"), name
        assert policy["style-src"].startswith("'self'"), name
        assert policy["object-src"] == "'none'", name
        assert policy["frame-ancestors"] == "'none'", name
        assert "camera=()" in response["Permissions-Policy"], name
        assert "no-store" in response["Cache-Control"], name
        assert "private" in response["Cache-Control"], name


def test_no_inline_script_or_style_goes_without_the_nonce(
    client, manager, partner_user, admin_user
):
    """What the browser would refuse (tests/browser also fail on any CSP report)."""
    for name, response in _pages(client, manager, partner_user, admin_user):
        html = response.content.decode()
        found = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
        nonce = found[1] if found else "no nonce was sent"
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", html):
            if "src=" in tag or 'type="application/json"' in tag:
                continue
            assert f'nonce="{nonce}"' in tag, (name, tag)


def test_sign_in_pages_are_not_cached_either(client):
    for url in (reverse("login"), reverse("portal:login"), reverse("admin:login")):
        assert "no-store" in client.get(url)["Cache-Control"], url
