"""Sign-in lockout: per user and address, per address across usernames (spraying),
wrong current passwords on the password-change pages, and the client address."""

import os
import subprocess
import sys

import pytest
from django.urls import reverse

from tests.clients import VerifiedClient

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _axes_on(settings):
    settings.AXES_ENABLED = True


def sign_in(client, username: str, password: str, **headers):
    return client.post(
        reverse("login"), {"username": username, "password": password}, **headers
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_forty_failures_across_ten_usernames_lock_the_address(manager):
    client = VerifiedClient()
    for n in range(10):
        for _ in range(4):  # under the per-user limit of five
            sign_in(client, f"sprayed{n}", "Winter2026!")
    response = sign_in(client, "manager", PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    # Another address is not locked.
    other = VerifiedClient(REMOTE_ADDR="192.0.2.9")
    sign_in(other, "manager", PASSWORD)
    assert signed_in(other)


def test_the_address_limit_is_its_own_and_higher_than_a_users(manager):
    """An office behind one address: a few colleagues' typos lock no one else."""
    client = VerifiedClient()
    for n in range(4):
        for _ in range(4):
            sign_in(client, f"colleague{n}", "typo")
    sign_in(client, "manager", PASSWORD)
    assert signed_in(client)


def test_five_failures_lock_a_username_at_an_address(manager):
    client = VerifiedClient()
    for _ in range(5):
        sign_in(client, "manager", "wrong")
    assert sign_in(client, "manager", PASSWORD).status_code == 429
    assert not signed_in(client)


def test_a_header_the_client_sets_does_not_change_its_address(manager):
    """Without a configured proxy X-Forwarded-For is ignored: rotating it does
    not escape the lockout."""
    client = VerifiedClient()
    for n in range(5):
        sign_in(client, "manager", "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    response = sign_in(client, "manager", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert response.status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_address_counts(settings, manager):
    """One proxy (DJANGO_TRUSTED_PROXY_COUNT=1): the address it appended counts,
    not what a client wrote before it."""
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    settings.IPWARE_STRICT = False
    client = VerifiedClient()
    for n in range(5):
        sign_in(
            client, "manager", "wrong", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 198.51.100.7"
        )
    assert (
        sign_in(
            client, "manager", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7"
        ).status_code
        == 429
    )
    # Another client behind the same proxy is not locked out.
    sign_in(client, "manager", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert signed_in(client)


def _production_setting(name: str, **env) -> str:
    environment = {
        **os.environ,
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "partners.example",
        "DATABASE_URL": "postgres://u@localhost/db",
        **env,
    }
    environment.pop("DJANGO_TRUSTED_PROXY_COUNT", None)
    environment.update(env)
    code = (
        f"import ceop_crm.settings.production as s; print(getattr(s, {name!r}, None))"
    )
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-c", code],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_proxy_ssl_header_is_trusted_only_behind_a_configured_proxy():
    assert _production_setting("SECURE_PROXY_SSL_HEADER") == "None"
    assert _production_setting("AXES_IPWARE_META_PRECEDENCE_ORDER") == "['REMOTE_ADDR']"
    behind = {"DJANGO_TRUSTED_PROXY_COUNT": "1"}
    assert _production_setting("SECURE_PROXY_SSL_HEADER", **behind) == str(
        ("HTTP_X_FORWARDED_PROTO", "https")
    )


@pytest.mark.parametrize("page", ["workspace", "portal"])
def test_wrong_current_passwords_on_the_change_page_count(manager, partner_user, page):
    user, url = (
        (manager, reverse("password_change"))
        if page == "workspace"
        else (partner_user, reverse("portal:password_change"))
    )
    client = VerifiedClient()
    client.force_login(user)
    new = {
        "new_password1": "another-long-pass-7",
        "new_password2": "another-long-pass-7",
    }
    for _ in range(4):
        response = client.post(url, {"old_password": "guess", **new})
        assert response.status_code == 200
        assert "incorrect" in response.content.decode()
    assert client.post(url, {"old_password": "guess", **new}).status_code == 429
    response = client.post(url, {"old_password": PASSWORD, **new})
    assert "Too many wrong passwords" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    # The sign-in page refuses the user from this address too.
    assert sign_in(VerifiedClient(), user.username, PASSWORD).status_code == 429
