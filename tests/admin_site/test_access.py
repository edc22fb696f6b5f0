"""Admin is for administrators with a verified second factor: anyone else
is sent to sign in, and admin's own password form signs no one in."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.admin_site.objects import REGISTERED, admin_urls, make
from tests.clients import VerifiedClient

pytestmark = pytest.mark.django_db


def test_staff_roles_without_superuser_cannot_use_admin(manager):
    # Staff roles work in the app; admin is for administrators.
    client = VerifiedClient()
    client.force_login(manager)
    response = client.get(reverse("admin:partners_organisation_changelist"))
    assert response.status_code == 302


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_admin_pages_send_an_administrator_without_a_second_factor_to_it(
    admin_user, model
):
    urls = admin_urls(model, make(model))
    password_only = Client()
    password_only.force_login(admin_user)
    for url in [reverse("admin:index"), *urls.values()]:
        response = password_only.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("two_factor_setup")), url
    factories.TOTPDeviceFactory(user=admin_user)
    for url in [reverse("admin:index"), *urls.values()]:
        response = password_only.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("two_factor_verify")), url


def test_admin_sign_in_form_signs_no_one_in(admin_user):
    """Django admin's own password form would skip the second factor: it sends
    to the workspace sign-in, and a password posted to it signs no one in."""
    client = Client()
    response = client.get(reverse("admin:login") + "?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    response = client.post(
        reverse("admin:login"),
        {"username": admin_user.username, "password": "password", "next": "/admin/"},
    )
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
