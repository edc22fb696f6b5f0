"""Every route of the API router, for every role: allowed, 403, or 404 across organisations.

The cases come from the router's registry, so a new route is covered (or this
test fails in `test_matrix_covers_every_route`) without editing a hand list.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from ceop_crm.api_urls import router
from planning.models import Reminder
from tests import factories
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db

SAFE = {"get", "head", "options"}
ALLOWED = {200, 201, 204, 400}  # 400: past the permission check, refused by a rule


def router_cases() -> list[tuple[str, str, str, bool]]:
    """(basename, action, http method, detail) for every route the router serves."""
    cases = []
    for _prefix, viewset, basename in router.registry:
        for route in router.get_routes(viewset):
            mapping = router.get_method_map(viewset, route.mapping)
            for method, action in mapping.items():
                cases.append((basename, action, method, route.detail))
    return sorted(set(cases))


CASES = router_cases()
ROLES = ["analyst", "manager", "senior_manager", "partner_user"]


def viewset_for(basename: str):
    return next(v for _p, v, b in router.registry if b == basename)


def url_name_for(basename: str, action: str, detail: bool) -> str:
    viewset = viewset_for(basename)
    for extra in viewset.get_extra_actions():
        if extra.__name__ == action:
            return f"{basename}-{extra.url_name}"
    return f"{basename}-{'detail' if detail else 'list'}"


def url_for(basename: str, action: str, detail: bool, pk=None) -> str:
    kwargs = {"pk": pk} if detail else {}
    return reverse(f"api:v1:{url_name_for(basename, action, detail)}", kwargs=kwargs)


def object_pair(basename: str, world, user):
    """An object the user may reach and one of the other side, for detail routes."""
    viewset = viewset_for(basename)
    if basename == "reminder":
        someone_else = factories.UserFactory()
        own, other = (
            Reminder.objects.create(
                recipient=recipient,
                step=Reminder.Step.OTHER,
                subject_type="test",
                subject_id=recipient.pk,
                title="A reminder",
            )
            for recipient in (user, someone_else)
        )
        return own, other
    if viewset.organisation_field is None:
        obj = viewset.queryset.model.objects.order_by("pk").first()
        return obj, None
    return world.own.objects[basename], world.other.objects[basename]


def call(client: APIClient, method: str, url: str):
    return getattr(client, method)(url, {}, format="json")


def expected_status(role: str, viewset, action: str, method: str) -> str:
    """'allowed' or 'forbidden' for the caller's role on this operation."""
    safe = method in SAFE
    if role == "partner_user":
        if not viewset.partner_access:
            return "forbidden"
        return "allowed" if safe or action in viewset.partner_actions else "forbidden"
    if action in viewset.senior_actions:
        return "allowed" if role == "senior_manager" else "forbidden"
    if safe:
        return "allowed"
    return "forbidden" if role == "analyst" else "allowed"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("basename", "action", "method", "detail"), CASES)
def test_route_by_role(request, world, role, basename, action, method, detail):
    user = request.getfixturevalue(role)
    viewset = viewset_for(basename)
    own, _other = object_pair(basename, world, user) if detail else (None, None)
    client = token_client(user)
    response = call(client, method, url_for(basename, action, detail, own and own.pk))
    expectation = expected_status(role, viewset, action, method)
    if expectation == "forbidden":
        assert response.status_code == 403, response.content
        return
    assert response.status_code in ALLOWED, response.content
    if action == "list" and role == "partner_user" and viewset.organisation_field:
        field = viewset.organisation_field
        if isinstance(field, tuple):
            # Several lookups (a contribution's lead or one working on it): the
            # world has no joint support, so each row is led by the organisation.
            field = field[0]
        key = "id" if field == "pk" else field
        assert response.json()["count"] >= 1
        assert {row[key] for row in response.json()["results"]} == {
            world.own.organisation.pk
        }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("basename", "action", "method", "detail"),
    [
        c
        for c in CASES
        if c[3] and (viewset_for(c[0]).organisation_field or c[0] == "reminder")
    ],
)
def test_other_organisations_objects_are_not_found(
    request, world, role, basename, action, method, detail
):
    """Partner users get 404 for every object of another organisation; everyone
    gets 404 for another user's reminders."""
    user = request.getfixturevalue(role)
    viewset = viewset_for(basename)
    _own, other = object_pair(basename, world, user)
    response = call(
        token_client(user), method, url_for(basename, action, True, other.pk)
    )
    expectation = expected_status(role, viewset, action, method)
    if expectation == "forbidden":
        assert response.status_code == 403
    elif role == "partner_user" or basename == "reminder":
        assert response.status_code == 404, response.content
    else:
        assert response.status_code in ALLOWED, response.content


@pytest.mark.parametrize(("basename", "action", "method", "detail"), CASES)
def test_anonymous_gets_401_and_a_user_without_role_403(
    no_role_user, basename, action, method, detail
):
    url = url_for(basename, action, detail, 1 if detail else None)
    anonymous = call(APIClient(), method, url)
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"].startswith("Bearer")
    assert call(token_client(no_role_user), method, url).status_code == 403


def test_matrix_covers_every_route():
    """Every named URL pattern of the router is reached by a case above."""
    covered = {url_name_for(b, action, detail) for b, action, _m, detail in CASES}
    assert covered == {p.name for p in router.urls}
    assert len(CASES) >= 2 * len(router.registry)


@pytest.mark.parametrize(("basename", "action", "method", "detail"), CASES)
def test_a_staff_session_without_its_second_factor_is_not_signed_in(
    senior_manager, basename, action, method, detail
):
    """The browser session counts once its second factor is verified; a token
    is unaffected (tokens are issued by an administrator)."""
    url = url_for(basename, action, detail, 1 if detail else None)
    password_only = APIClient()
    password_only.force_login(senior_manager)
    assert call(password_only, method, url).status_code == 401
    assert call(token_client(senior_manager), method, url).status_code != 401
