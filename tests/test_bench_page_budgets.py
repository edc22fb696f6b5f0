"""Query budgets at 10 and 200 organisations for the pages `make bench` times
that had none at those sizes (scripts/bench_pages.py): the contacts report, the
organisation list searched, the API organisation detail, the plain DRF
baseline and the admin's change lists of
organisations, contacts, reviews and reminders. The ceilings hold at both sizes. The portal's are in
tests/portal/test_bench_budgets.py.
"""

import importlib

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import clear_url_caches, reverse

import ceop_crm.urls
from planning.models import Reminder, Review
from planning.services import reminders_sweep
from tests import factories
from tests.clients import VerifiedAPIClient, VerifiedClient
from tests.workspace_world import build_many, build_world

pytestmark = pytest.mark.django_db

# Each includes the session, the user and the second factor's device.
CONTACTS_REPORT_QUERIES = 10  # and two inserts of the read log
# On PostgreSQL the search's matches are read once as ids first, then put in
# name order (partners.selectors.organisation_search_ids): two statements, and
# each page is a slice of them.
SEARCH_QUERIES = 10 + 2 * (connection.vendor == "postgresql")
API_DETAIL_QUERIES = 6
DRF_BASELINE_QUERIES = 6
ADMIN_QUERIES = {
    "admin:partners_organisation_changelist": 10,
    "admin:partners_contact_changelist": 8,
    "admin:planning_review_changelist": 12,
    "admin:planning_reminder_changelist": 11,
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(params=[10, 200], ids=["10-orgs", "200-orgs"])
def size(request):
    return request.param


@pytest.fixture
def data(size, manager):
    organisations = build_many(count=size, owner=manager)
    world = build_world(owner=manager)
    return {"count": size, "organisations": organisations, "world": world}


@pytest.fixture
def bench_urls(settings):
    settings.CEOP_BENCH_VIEWS = True
    importlib.reload(ceop_crm.urls)
    clear_url_caches()
    yield
    settings.CEOP_BENCH_VIEWS = False
    importlib.reload(ceop_crm.urls)
    clear_url_caches()


def _signed_in(user) -> VerifiedClient:
    client = VerifiedClient()
    client.force_login(user)
    client.get("/")  # the session and the role cache out of the count
    return client


def test_contacts_report_query_count_does_not_grow(
    data, analyst, django_assert_max_num_queries
):
    client = _signed_in(analyst)
    with django_assert_max_num_queries(CONTACTS_REPORT_QUERIES + 2):
        page = client.get(reverse("workspace:report", args=["contacts"]))
    assert page.status_code == 200
    assert len(page.context["rows"]) >= data["count"]


def test_organisation_list_searched_query_count_does_not_grow(
    data, manager, django_assert_max_num_queries
):
    client = _signed_in(manager)
    name = data["organisations"][-1].name
    with django_assert_max_num_queries(SEARCH_QUERIES):
        response = client.get(reverse("partners:organisation_list"), {"q": name})
    assert response.status_code == 200
    assert name in response.content.decode()


def test_api_organisation_detail_query_count_does_not_grow(
    data, manager, django_assert_max_num_queries
):
    client = VerifiedAPIClient()
    client.force_login(manager)
    organisation = data["organisations"][-1]
    url = reverse("api:v1:organisation-detail", args=[organisation.pk])
    client.get(url)
    with django_assert_max_num_queries(API_DETAIL_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert response.json()["name"] == organisation.name


def test_plain_drf_baseline_lists_the_api_rows_in_constant_queries(
    data, manager, bench_urls, django_assert_max_num_queries
):
    client = VerifiedAPIClient()
    client.force_login(manager)
    client.get("/bench/api/organisations/")
    with django_assert_max_num_queries(DRF_BASELINE_QUERIES):
        plain = client.get("/bench/api/organisations/")
    assert plain.status_code == 200
    real = client.get(reverse("api:v1:organisation-list"))
    # The same rows, fields and page as the real list.
    assert plain.json()["count"] == real.json()["count"] == data["count"] + 1
    assert plain.json()["results"] == real.json()["results"]


def test_plain_drf_baseline_refuses_partner_users_and_is_not_mounted_by_default(
    manager, partner_user, bench_urls
):
    client = VerifiedAPIClient()
    client.force_login(partner_user)
    assert client.get("/bench/api/organisations/").status_code == 403
    client.logout()
    assert client.get("/bench/api/organisations/").status_code in (401, 403)


def test_plain_drf_baseline_is_not_mounted_by_default(manager):
    client = VerifiedAPIClient()
    client.force_login(manager)
    assert client.get("/bench/api/organisations/").status_code == 404


@pytest.mark.parametrize("url_name", list(ADMIN_QUERIES))
def test_admin_change_lists_query_count_does_not_grow(
    data, admin_client, url_name, django_assert_max_num_queries
):
    reminders_sweep()
    assert Review.objects.count() >= data["count"]
    assert Reminder.objects.exists()
    factories.ContactFactory.create_batch(3, organisation=data["world"].organisation)
    url = reverse(url_name)
    admin_client.get(url)
    with django_assert_max_num_queries(ADMIN_QUERIES[url_name]):
        response = admin_client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count > 0
