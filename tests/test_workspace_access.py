"""Every URL of the staff workspace, read from the resolver, against every kind of user.

A view's audience is read from the access mixin it uses (ceop_crm.access), so a
new URL is covered as soon as it is added; a view without one of those mixins,
or a URL whose path names an object this file cannot supply, fails here.
"""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ceop_crm import roles
from ceop_crm.access import (
    EditorRequiredMixin,
    SeniorManagerRequiredMixin,
    StaffRequiredMixin,
)
from tests import factories
from tests.clients import VerifiedClient, enrol
from tests.workspace_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The dashboard shares its plots for a minute through the cache.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


NAMESPACES = {"workspace", "partners", "tiers", "planning", "priorities"}


def _workspace_patterns() -> list[tuple[str, str, type]]:
    """(namespace:name, route, view class) of every workspace URL."""
    found: list[tuple[str, str, type]] = []

    def walk(patterns, namespace: str | None, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or namespace
                if p.namespace and p.namespace not in NAMESPACES:
                    continue
                walk(p.url_patterns, ns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and namespace in NAMESPACES:
                found.append(
                    (
                        f"{namespace}:{p.name}",
                        prefix + str(p.pattern),
                        p.callback.view_class,
                    )
                )

    walk(get_resolver().url_patterns, None, "")
    return found


PATTERNS = _workspace_patterns()
SENIOR, EDITOR, STAFF = "senior", "editor", "staff"


def audience(view_class: type) -> str:
    if issubclass(view_class, SeniorManagerRequiredMixin):
        return SENIOR
    if issubclass(view_class, EditorRequiredMixin):
        return EDITOR
    if issubclass(view_class, StaffRequiredMixin):
        return STAFF
    raise AssertionError(f"{view_class.__name__} uses no access mixin")


# Which object a route's <pk> names, by the route's first segment.
ROUTE_OBJECTS = {
    "organisations": "organisation",
    "contacts": "contact",
    "due-diligence": "due_diligence",
    "mous": "mou",
    "contributions": "contribution",
    "proposals": "proposal",
    "issues": "issue",
    "tier-moves": "tier_change",
    "reviews": "review",
    "priority-areas": "priority_area",
    "imports": "import_job",
    "reports": "report_download",
}
# Routes of an object only the user who asked for it may open: the other staff
# get 404 (it is not theirs to know of), partner users 403.
OWNER_ONLY = {
    "workspace:report_download_detail": "manager",
    "workspace:report_download_file": "manager",
}


def _sample_party(world):
    """An organisation working on the world's contribution (joint support)."""
    from django.utils import timezone

    from partners.models import ContributionParty

    other, _ = factories.OrganisationFactory._meta.model.objects.get_or_create(
        name="Joint Support Sample Partner", defaults={"sector": "industry"}
    )
    party, _ = ContributionParty.objects.get_or_create(
        contribution=world.contribution,
        organisation=other,
        defaults={"added_at": timezone.now()},
    )
    return party


def url_for(name: str, route: str, world) -> str:
    kwargs = {}
    if "<int:pk>" in route:
        segment = route.split("/")[0]
        assert segment in ROUTE_OBJECTS, f"No sample object for {route} ({name})"
        kwargs["pk"] = getattr(world, ROUTE_OBJECTS[segment]).pk
    if "<int:party_pk>" in route:
        kwargs["party_pk"] = _sample_party(world).pk
    if "<slug:slug>" in route:
        kwargs["slug"] = "partners-by-tier"
    if "<str:fmt>" in route:
        kwargs["fmt"] = "csv"
    return reverse(name, kwargs=kwargs)


def _client(user) -> Client:
    client = VerifiedClient()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def users(manager, senior_manager, analyst, partner_user):
    other = factories.UserFactory(username="other-manager")
    other.groups.add(Group.objects.get(name=roles.RELATIONSHIP_MANAGER))
    return {
        "manager": manager,
        "senior": senior_manager,
        "analyst": analyst,
        "partner": partner_user,
        "other_manager": other,
    }


def add_import_job(world, *, actor):
    """An import awaiting confirmation, uploaded by ``actor`` (a senior manager)."""
    from partners.imports.services import import_job_create

    world.import_job = import_job_create(
        name="partners.csv", content=b"Name\r\nHarbour Trust\r\n", actor=actor
    )
    return world


def add_report_download(world, *, actor):
    """A report download built by the worker for ``actor``."""
    from partners.downloads.services import (
        report_download_build,
        report_download_request,
    )

    world.report_download = report_download_request(
        actor=actor, slug="contacts", fmt="csv"
    )
    report_download_build(download_id=world.report_download.pk)
    return world


@pytest.fixture
def world(users):
    world = add_import_job(build_world(owner=users["manager"]), actor=users["senior"])
    return add_report_download(world, actor=users["manager"])


def test_the_workspace_has_urls_in_every_namespace():
    namespaces = {name.split(":")[0] for name, _, _ in PATTERNS}
    assert namespaces == NAMESPACES
    assert len(PATTERNS) >= 40


@pytest.mark.parametrize(
    ("name", "route", "view_class"), PATTERNS, ids=[p[0] for p in PATTERNS]
)
def test_workspace_url_answers_each_kind_of_user(name, route, view_class, users, world):
    url = url_for(name, route, world)
    who = audience(view_class)
    allowed = {
        STAFF: {"manager", "senior", "analyst"},
        EDITOR: {"manager", "senior"},
        SENIOR: {"senior"},
    }[who]
    for label in ("manager", "senior", "analyst", "partner"):
        response = _client(users[label]).get(url)
        expected = 200 if label in allowed else 403
        if name in OWNER_ONLY and label in allowed and label != OWNER_ONLY[name]:
            expected = 404
        assert response.status_code == expected, (label, url, response.status_code)

    anonymous = _client(None).get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login") + "?next=")

    if who != STAFF:
        # A write URL: refused to readers whatever the method, and a manager
        # runs only the organisations they own or deputise for.
        for label in ("analyst", "partner"):
            assert _client(users[label]).post(url, {}).status_code == 403, label
        if "<int:pk>" in route or who == SENIOR:
            assert _client(users["other_manager"]).get(url).status_code == 403
        else:
            assert _client(users["other_manager"]).get(url).status_code == 200
        assert _client(None).post(url, {}).status_code == 302


def test_analyst_sees_no_edit_buttons(users, world):
    page = _client(users["analyst"]).get(
        reverse("partners:organisation_detail", args=[world.organisation.pk])
    )
    html = page.content.decode()
    for name in (
        "partners:organisation_update",
        "tiers:tier_change_create",
        "partners:mou_create",
        "partners:contact_update",
    ):
        args = (
            [world.contact.pk]
            if name == "partners:contact_update"
            else [world.organisation.pk]
        )
        assert reverse(name, args=args) not in html
    listing = _client(users["analyst"]).get(reverse("partners:organisation_list"))
    assert reverse("partners:organisation_create") not in listing.content.decode()


def test_owner_sees_edit_buttons(users, world):
    page = _client(users["manager"]).get(
        reverse("partners:organisation_detail", args=[world.organisation.pk])
    )
    html = page.content.decode()
    assert reverse("partners:organisation_update", args=[world.organisation.pk]) in html


def test_sign_in_page_and_sign_out_by_post(users):
    client = VerifiedClient()
    assert client.get(reverse("login")).status_code == 200
    response = client.post(
        reverse("login"),
        {"username": "manager", "password": "correct-horse-battery"},
    )
    assert response.status_code == 302
    assert client.get("/")["Location"].startswith(reverse("two_factor_setup"))
    enrol(client, users["manager"])
    assert client.get("/").status_code == 200
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get("/").status_code == 302


def test_sign_in_with_a_wrong_password_says_so(users):
    response = VerifiedClient().post(
        reverse("login"), {"username": "manager", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_partner_user_signing_in_here_goes_to_the_portal(partner_user):
    client = VerifiedClient()
    response = client.post(
        reverse("login"), {"username": "partner", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    again = client.get(reverse("login"))
    assert again["Location"] == reverse("portal:home")


def test_staff_sign_in_follows_next(manager):
    client = VerifiedClient()
    response = client.post(
        reverse("login") + "?next=/reviews/",
        {
            "username": "manager",
            "password": "correct-horse-battery",
            "next": "/reviews/",
        },
    )
    assert response["Location"] == "/reviews/"


def test_read_pages_offer_no_write_links_to_those_who_may_not_write(users, world):
    """Analysts, and managers who do not own the organisation, see no buttons
    that lead to a page they would be refused."""
    write_urls = {
        url_for(name, route, world)
        for name, route, view_class in PATTERNS
        if audience(view_class) != STAFF and "<int:pk>" in route
    }
    read_urls = [
        url_for(name, route, world)
        for name, route, view_class in PATTERNS
        if audience(view_class) == STAFF
        and "download" not in route
        and "document" not in route
    ]
    for label in ("analyst", "other_manager"):
        client = _client(users[label])
        for url in read_urls:
            html = client.get(url).content.decode()
            shown = {u for u in write_urls if f'href="{u}' in html}
            assert not shown, (label, url, shown)


# --- The second factor ---------------------------------------------------------


def _password_only(user) -> Client:
    """Signed in with a password alone: a plain client, no second factor."""
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("name", "route", "view_class"), PATTERNS, ids=[p[0] for p in PATTERNS]
)
def test_every_workspace_url_sends_staff_without_a_second_factor_to_it(
    senior_manager, world, name, route, view_class
):
    """Enrol when no authenticator is set up, verify when one is; by GET and POST."""
    url = url_for(name, route, world)
    response = _password_only(senior_manager).get(url)
    assert response.status_code == 302, url
    assert response["Location"].startswith(reverse("two_factor_setup") + "?next="), url

    factories.TOTPDeviceFactory(user=senior_manager)
    client = _password_only(senior_manager)
    response = client.get(url)
    assert response.status_code == 302, url
    assert response["Location"].startswith(reverse("two_factor_verify") + "?next="), url
    assert client.post(url, {}).status_code == 403, url
