"""Bad input never gets a 500: a NUL character, a number no column can hold or
deeply nested JSON, sent to every workspace and portal page (query and form) and
to every API write and filter, answers 400, 404 or the form with its errors.

Runs on PostgreSQL (which refuses NUL in text) and on SQLite (which cannot bind
an integer past 64 bits) alike.
"""

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from ceop_crm.api_urls import router
from tests import factories
from tests.api.conftest import build_side, token_client
from tests.clients import VerifiedClient as Client
from tests.portal.conftest import make_partner_world
from tests.portal.test_access_matrix import OBJECT_KWARGS, portal_patterns
from tests.test_workspace_access import (
    PATTERNS,
    add_import_job,
    add_report_download,
    url_for,
)
from tests.workspace_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world_a(db):
    return make_partner_world("Alpha Systems")


NUL = "a\x00b"
HUGE = str(2**70)
NEGATIVE_HUGE = str(-(2**70))
DEEP = "[" * 50_000 + "]" * 50_000
# Parameter names the lists read, and those of any form: each gets the values.
QUERY_NAMES = [
    "q",
    "page",
    "owner",
    "status",
    "sector",
    "tier",
    "priority_area",
    "mou",
    "sort",
    "scope",
    "year",
    "organisation",
    "kind",
    "source",
    "audience",
    "step",
    # The lists people work with (ceop_crm/lists).
    "cols",
    "view",
    "show",
    "assignee",
    "due",
]


def _lenient(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _form_fields(response) -> list[str]:
    context = response.context or {}
    form = context.get("form") if hasattr(context, "get") else None
    return list(form.fields) if form is not None else []


def _hammer(client: Client, url: str) -> list[tuple[str, int]]:
    """Every bad value in the query and, where the page has a form, in its fields;
    returns what answered 500."""
    failures = []
    page = client.get(url)
    fields = _form_fields(page) if page.status_code == 200 else []
    names = [*QUERY_NAMES, *fields]
    for value in (NUL, HUGE, NEGATIVE_HUGE):
        response = client.get(url, dict.fromkeys(names, value))
        if response.status_code >= 500:
            failures.append((f"GET {url} {value[:4]!r}", response.status_code))
        if fields:
            response = client.post(url, dict.fromkeys(fields, value))
            if response.status_code >= 500:
                failures.append((f"POST {url} {value[:4]!r}", response.status_code))
    if NUL:
        response = client.post(url, {"\x00": "x"})
        if response.status_code >= 500:
            failures.append((f"POST {url} NUL key", response.status_code))
    return failures


def test_a_nul_character_is_a_400_on_any_page(manager):
    client = _lenient(manager)
    response = client.get(reverse("partners:organisation_list"), {"q": NUL})
    assert response.status_code == 400
    response = client.post(
        reverse("partners:organisation_create"), {"name": NUL, "sector": "industry"}
    )
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_workspace_pages_answer_bad_input_without_a_500(senior_manager, manager):
    world = add_import_job(build_world(owner=manager), actor=senior_manager)
    world = add_report_download(world, actor=senior_manager)
    client = _lenient(senior_manager)
    failures = []
    for name, route, _view in PATTERNS:
        url = url_for(name, route, world)
        failures += _hammer(client, url)
        if "<int:pk>" in route:
            huge = url.replace(
                f"/{getattr(world, _object_name(route)).pk}/", f"/{HUGE}/", 1
            )
            response = client.get(huge)
            if response.status_code != 404:
                failures.append((f"GET {huge}", response.status_code))
    assert failures == []


def _object_name(route: str) -> str:
    from tests.test_workspace_access import ROUTE_OBJECTS

    return ROUTE_OBJECTS[route.split("/")[0]]


def test_portal_pages_answer_bad_input_without_a_500(world_a):
    client = _lenient(world_a.user)
    failures = []
    for name, kwarg_names in portal_patterns():
        if name in ("logout", "invitation_accept", "password_reset_confirm"):
            continue
        kwargs = {k: OBJECT_KWARGS[k](world_a).pk for k in kwarg_names}
        url = reverse(f"portal:{name}", kwargs=kwargs)
        failures += _hammer(client, url)
        if kwargs:
            huge = reverse(f"portal:{name}", kwargs=dict.fromkeys(kwargs, HUGE))
            response = client.get(huge)
            if response.status_code not in (404, 405):  # 405: a POST-only URL
                failures.append((f"GET {huge}", response.status_code))
    assert failures == []


def test_public_form_answers_bad_input_without_a_500(client):
    client = Client(raise_request_exception=False)
    assert _hammer(client, reverse("public:approach")) == []


# --- API ----------------------------------------------------------------------

JSON_FIELDS = [
    "organisation",
    "name",
    "title",
    "owner",
    "deputy",
    "benefit",
    "to_tier",
    "tier",
    "priority_areas",
    "centre_plan_objectives",
    "threat",
    "status",
    "escalation_level",
    "description",
    "offer",
    "reason",
    "resolution",
    "email",
    "effective_date",
]


def _api_routes():
    for prefix, viewset, basename in router.registry:
        for route in router.get_routes(viewset):
            mapping = router.get_method_map(viewset, route.mapping)
            for method, action in mapping.items():
                yield prefix, viewset, basename, route, method, action


def _url(basename, viewset, action, detail, pk) -> str:
    name = f"{basename}-{'detail' if detail else 'list'}"
    for extra in viewset.get_extra_actions():
        if extra.__name__ == action:
            name = f"{basename}-{extra.url_name}"
    return reverse(f"api:v1:{name}", kwargs={"pk": pk} if detail else {})


@pytest.mark.parametrize("role", ["senior_manager", "partner_user"])
def test_every_api_write_and_filter_answers_bad_input_without_a_500(
    request, role, manager
):
    user = request.getfixturevalue(role)
    organisation = (
        user.portal_membership.organisation
        if role == "partner_user"
        else factories.OrganisationFactory(owner=manager)
    )
    side = build_side(organisation, manager)
    client: APIClient = token_client(user)
    client.raise_request_exception = False
    failures = []
    for _prefix, viewset, basename, route, method, action in _api_routes():
        obj = side.objects.get(basename)
        if route.detail and obj is None:
            obj = viewset.queryset.model.objects.order_by("pk").first()
        pk = obj.pk if route.detail and obj is not None else 1
        url = _url(basename, viewset, action, route.detail, pk)
        if method in ("get", "head", "options"):
            filterset = getattr(viewset, "filterset_fields", None) or []
            filter_class = getattr(viewset, "filterset_class", None)
            names = [*filterset, *(filter_class.base_filters if filter_class else [])]
            names += ["page", "page_size", "ordering", "search"]
            for value in (NUL, HUGE, NEGATIVE_HUGE):
                response = client.get(url, dict.fromkeys(names, value))
                if response.status_code >= 500:
                    failures.append((f"GET {url} {value[:4]!r}", response.status_code))
            continue
        bodies = [
            (DEEP, "application/json"),
            (json.dumps(dict.fromkeys(JSON_FIELDS, NUL)), "application/json"),
            (json.dumps(dict.fromkeys(JSON_FIELDS, 2**70)), "application/json"),
            (json.dumps({key: [2**70] for key in JSON_FIELDS}), "application/json"),
            (json.dumps({"a": {"b": [[[[{"c": NUL}]]]]}}), "application/json"),
        ]
        for body, content_type in bodies:
            response = getattr(client, method)(
                url, data=body, content_type=content_type
            )
            if response.status_code >= 500:
                failures.append((f"{method} {url} {body[:20]!r}", response.status_code))
        response = getattr(client, method)(
            url, dict.fromkeys(JSON_FIELDS, NUL), format="multipart"
        )
        if response.status_code >= 500:
            failures.append((f"{method} {url} multipart NUL", response.status_code))
    assert failures == []


def test_deeply_nested_json_is_a_400_with_a_message(senior_manager):
    client = token_client(senior_manager)
    response = client.post(
        reverse("api:v1:organisation-list"), data=DEEP, content_type="application/json"
    )
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]
