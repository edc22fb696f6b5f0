"""The benchmark's baseline pages: off by default, staff only, constant queries."""

import importlib

import pytest
from django.urls import clear_url_caches

import ceop_crm.urls
from tests import factories

pytestmark = pytest.mark.django_db


def _reload_urls() -> None:
    importlib.reload(ceop_crm.urls)
    clear_url_caches()


@pytest.fixture
def bench_urls(settings):
    settings.CEOP_BENCH_VIEWS = True
    _reload_urls()
    yield
    settings.CEOP_BENCH_VIEWS = False
    _reload_urls()


def test_baselines_are_not_mounted_by_default(client, manager):
    client.force_login(manager)
    assert client.get("/bench/trivial/").status_code == 404
    assert client.get("/bench/orm/").status_code == 404


def test_baselines_send_anonymous_users_to_sign_in(client, bench_urls):
    response = client.get("/bench/orm/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_baselines_refuse_partner_users(client, partner_user, bench_urls):
    client.force_login(partner_user)
    assert client.get("/bench/trivial/").status_code == 403


@pytest.mark.parametrize("organisations", [5, 60])
def test_orm_baseline_renders_twenty_rows_in_constant_queries(
    client, manager, bench_urls, organisations, django_assert_max_num_queries
):
    factories.OrganisationFactory.create_batch(organisations, owner=manager)
    client.force_login(manager)
    # Session, user, role, the rows (owner joined), the layout's role flags.
    with django_assert_max_num_queries(6):
        response = client.get("/bench/orm/")
    assert response.status_code == 200
    rows = response.content.decode().count('<th scope="row"')
    assert rows == min(organisations, 20)
    assert client.get("/bench/trivial/").content == b"ok"
