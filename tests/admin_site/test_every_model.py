"""Every model registered in admin: its pages load for a superuser, and a
change list's queries do not grow with its rows."""

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.admin_site.objects import (
    APPS,
    MAKERS,
    NO_ADD_PAGE,
    REGISTERED,
    WORKSPACE_ONLY,
    admin_urls,
    make,
)
from tests.clients import VerifiedClient

pytestmark = pytest.mark.django_db


def test_every_model_of_the_four_apps_is_registered_but_history():
    models = {
        model
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical")
    }
    assert models - set(REGISTERED) == set()
    assert not any(model.__name__.startswith("Historical") for model in REGISTERED)


def test_every_registered_model_of_the_four_apps_is_covered():
    assert {model._meta.app_label for model in REGISTERED} == APPS
    assert set(MAKERS) == set(REGISTERED)
    assert len(MAKERS) == len(REGISTERED) == 47


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_admin_pages_load_for_a_superuser(admin_client, model):
    obj = make(model)
    urls = admin_urls(model, obj)

    assert admin_client.get(urls["changelist"]).status_code == 200
    # A search runs the search_fields lookups, which a typo would turn into a 500.
    assert admin_client.get(urls["changelist"], {"q": "x"}).status_code == 200
    expected_add = 403 if model in NO_ADD_PAGE | set(WORKSPACE_ONLY) else 200
    assert admin_client.get(urls["add"]).status_code == expected_add
    response = admin_client.get(urls["change"])
    assert response.status_code == 200
    assert response.context["original"] == obj


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_admin_pages_send_anonymous_and_non_staff_users_to_sign_in(client, model):
    urls = admin_urls(model, make(model))
    signed_in = VerifiedClient()
    signed_in.force_login(factories.UserFactory(username="not-staff"))

    for visitor in (client, signed_in):
        for url in urls.values():
            response = visitor.get(url)
            assert response.status_code == 302, url
            assert response.url.startswith(reverse("admin:login")), url


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_changelist_queries_do_not_grow_with_rows(admin_client, model):
    url = admin_urls(model, make(model))["changelist"]
    admin_client.get(url)  # Warm the per-process caches (content types, sessions).
    with CaptureQueriesContext(connection) as one_row:
        admin_client.get(url)
    for _ in range(3):
        make(model)
    with CaptureQueriesContext(connection) as more_rows:
        admin_client.get(url)

    assert len(more_rows) == len(one_row), [q["sql"] for q in more_rows]
