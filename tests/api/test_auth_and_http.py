"""Tokens, sessions, conditional reads, throttling, the schema and its docs."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ceop_crm.api.models import ApiToken, token_digest
from ceop_crm.api.services import api_token_create, api_token_revoke
from ceop_crm.api_urls import router
from ceop_crm.exceptions import ApplicationError
from tests import factories
from tests.api.conftest import token_client
from tests.clients import VerifiedAPIClient

pytestmark = pytest.mark.django_db

PING = "/api/v1/ping/"


def bearer(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


# --- Tokens -------------------------------------------------------------------


def test_token_is_stored_only_as_its_hash(manager):
    token, raw = api_token_create(user=manager, name="Reporting", actor=None)
    stored = ApiToken.objects.values().get(pk=token.pk)
    assert raw not in {str(v) for v in stored.values()}
    assert stored["digest"] == token_digest(raw)
    assert raw.startswith(stored["prefix"])


def test_token_authenticates_as_its_user_and_records_use(manager):
    token, raw = api_token_create(user=manager, name="Reporting", actor=None)
    response = bearer(raw).get(PING)
    assert response.json() == {"user": "manager", "role": "manager"}
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_token_is_refused_at_once(manager):
    token, raw = api_token_create(user=manager, name="Reporting", actor=None)
    api_token_revoke(token=token, actor=None)
    response = bearer(raw).get(PING)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_expired_token_is_refused(manager):
    token, raw = api_token_create(
        user=manager,
        name="Reporting",
        actor=None,
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert bearer(raw).get(PING).status_code == 401


def test_unknown_token_is_refused(manager):
    assert bearer("ceop_not-a-token").get(PING).status_code == 401


def test_token_cannot_be_issued_already_expired(manager):
    with pytest.raises(ApplicationError) as error:
        api_token_create(
            user=manager,
            name="x",
            actor=None,
            expires_at=timezone.now() - dt.timedelta(days=1),
        )
    assert "expires_at" in error.value.message_dict


def test_browser_session_reads_the_api_and_needs_csrf_to_write(manager):
    client = VerifiedAPIClient(enforce_csrf_checks=True)
    client.force_login(manager)
    assert client.get(PING).json()["role"] == "manager"
    response = client.post(
        reverse("api:v1:organisation-list"), {"name": "X", "sector": "industry"}
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


# --- Admin issues tokens once and revokes them --------------------------------


def test_admin_issues_a_token_shown_once_and_stores_its_hash(admin_client, manager):
    response = admin_client.post(
        reverse("admin:api_apitoken_add"), {"user": manager.pk, "name": "Case system"}
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(name="Case system")
    raw = response.context["raw"]
    assert token.digest == token_digest(raw)
    assert raw in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert token.created_by.is_superuser
    change_page = admin_client.get(
        reverse("admin:api_apitoken_change", args=[token.pk])
    )
    assert change_page.status_code == 200
    assert raw not in change_page.content.decode()


def test_admin_refuses_a_token_for_an_inactive_user_with_a_form_error(admin_client):
    user = factories.UserFactory(is_active=False)
    response = admin_client.post(
        reverse("admin:api_apitoken_add"), {"user": user.pk, "name": "Old system"}
    )
    assert response.status_code == 200
    assert "This user cannot sign in." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_admin_revokes_tokens_from_the_list(admin_client, manager):
    token, raw = api_token_create(user=manager, name="Reporting", actor=None)
    response = admin_client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert bearer(raw).get(PING).status_code == 401


def test_admin_token_pages_load(admin_client, manager):
    api_token_create(user=manager, name="Reporting", actor=None)
    assert admin_client.get(reverse("admin:api_apitoken_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:api_apitoken_add")).status_code == 200


# --- Conditional reads --------------------------------------------------------


def test_detail_answers_304_to_a_matching_etag_and_200_after_a_change(manager):
    organisation = factories.OrganisationFactory(owner=manager)
    client = token_client(manager)
    detail = reverse("api:v1:organisation-detail", args=[organisation.pk])
    first = client.get(detail)
    etag = first["ETag"]
    assert first["Last-Modified"]
    assert client.get(detail, HTTP_IF_NONE_MATCH=etag).status_code == 304
    client.patch(detail, {"description": "Changed"})
    changed = client.get(detail, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_detail_answers_304_when_not_modified_since(manager):
    organisation = factories.OrganisationFactory()
    client = token_client(manager)
    detail = reverse("api:v1:organisation-detail", args=[organisation.pk])
    last_modified = client.get(detail)["Last-Modified"]
    assert client.get(detail, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    earlier = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert client.get(detail, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200


# --- Throttling ---------------------------------------------------------------


def test_each_token_has_its_own_request_budget(settings, manager, analyst):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "3/min"},
    }
    busy, other = token_client(manager), token_client(analyst)
    assert [busy.get(PING).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert other.get(PING).status_code == 200


# --- Schema and docs ----------------------------------------------------------


def test_schema_describes_every_route_with_its_errors(manager):
    schema = token_client(manager).get("/api/schema/?format=json").json()
    operations = [
        (path, method, op)
        for path, item in schema["paths"].items()
        for method, op in item.items()
    ]
    assert len(operations) >= 50
    for path, method, op in operations:
        assert {"400", "401", "403", "429"} <= set(op["responses"]), (path, method)
        if "{id}" in path:
            assert "404" in op["responses"], (path, method)
    assert schema["components"]["securitySchemes"]["tokenAuth"]["scheme"] == "bearer"


def test_schema_needs_credentials(db):
    assert APIClient().get("/api/schema/").status_code == 401


def test_docs_are_served_from_installed_packages_not_a_cdn(client, analyst):
    client.force_login(analyst)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    # No script, stylesheet or font from another host (a random token in the
    # page may spell "cdn", so look at the addresses, not the letters).
    assert not re.findall(r"""(?:src|href)=["']?(?:https?:)?//""", html)
    assert "cdn.jsdelivr" not in html
    assert client.get("/api/redoc/").status_code == 200


def test_unknown_api_url_is_a_json_404(manager):
    response = token_client(manager).get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("basename", [basename for _p, _v, basename in router.registry])
def test_browsable_api_renders_each_list_for_a_signed_in_manager(
    client, manager, basename
):
    client.force_login(manager)
    response = client.get(reverse(f"api:v1:{basename}-list"), HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_throttle_counts_live_in_the_api_cache(settings, manager):
    from django.core.cache import caches

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "5/min"},
    }
    token, raw = api_token_create(user=manager, name="x", actor=None)
    bearer(raw).get(PING)
    assert len(caches["api"].get(f"throttle_api_token-{token.pk}")) == 1


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("/api/v1/contributions/", "organisation"),
        ("/api/v1/contributions/", "priority_areas"),
        ("/api/v1/contacts/", "organisation"),
        ("/api/v1/relationship-issues/", "owner"),
    ],
)
@pytest.mark.parametrize("number", [2**63, -(2**63) - 1, 10**40])
def test_filter_with_an_integer_no_column_holds_is_a_400_beside_the_filter(
    manager, path, param, number
):
    response = token_client(manager).get(path, {param: number})
    assert response.status_code == 400, response.content
    assert "between" in response.json()[param][0]


def test_filter_with_the_largest_integer_a_column_holds_is_an_empty_answer(manager):
    response = token_client(manager).get(
        "/api/v1/contributions/", {"organisation": 2**63 - 1}
    )
    # An id that could exist but does not: the filter's own "not a valid choice".
    assert response.status_code == 400
    assert "between" not in str(response.json())
