"""create_demo_users: one user per role, passwords printed once, development only."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from ceop_crm import roles
from partners.demo.users import DEMO_USERS
from partners.models import PortalMembership
from tests import factories
from tiers.models import Association

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


@pytest.fixture
def partner_organisation(db):
    """An organisation that is currently a Partner (rows written directly)."""
    mou = factories.MoUFactory()
    factories.ContactFactory(organisation=mou.organisation, is_primary=True)
    factories.AssociationFactory(
        organisation=mou.organisation, tier=factories.tier("partner"), mou=mou
    )
    return mou.organisation


def run(*args: str) -> str:
    out = StringIO()
    call_command("create_demo_users", "--skip-checks", *args, stdout=out)
    return out.getvalue()


def passwords(output: str) -> dict[str, str]:
    """The passwords printed in the table, by username."""
    found = {}
    for spec in DEMO_USERS:
        match = re.search(
            rf"^\s+{spec.username}\s+{re.escape(spec.role)}\s+(\S+)", output, re.M
        )
        if match:
            found[spec.username] = match.group(1)
    return found


def test_create_demo_users_refuses_to_run_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="development only"):
        run()

    assert not User.objects.exists()


def test_create_demo_users_runs_without_debug_when_forced(
    settings, partner_organisation
):
    settings.DEBUG = False

    output = run("--force")

    assert set(passwords(output)) == {u.username for u in DEMO_USERS}


def test_create_demo_users_creates_one_user_per_role(debug, partner_organisation):
    output = run()

    printed = passwords(output)
    assert set(printed) == {"admin", "manager", "senior", "analyst", "partner"}
    users = {u.username: u for u in User.objects.all()}
    for username, password in printed.items():
        assert users[username].check_password(password), username
    admin = users["admin"]
    assert admin.is_superuser
    assert admin.is_staff
    assert roles.user_roles(users["manager"]) == {roles.RELATIONSHIP_MANAGER}
    assert roles.user_roles(users["senior"]) == {roles.SENIOR_MANAGER}
    assert roles.user_roles(users["analyst"]) == {roles.ANALYST}
    assert roles.can_edit(users["manager"])
    assert not roles.can_edit(users["analyst"])
    partner = users["partner"]
    assert roles.is_partner_user(partner)
    assert not partner.is_staff
    assert partner.portal_membership.organisation == partner_organisation
    assert partner.portal_membership.contact.is_primary


def test_create_demo_users_prints_passwords_only_once(debug, partner_organisation):
    first = passwords(run())

    second_output = run()

    assert passwords(second_output) == {}
    for password in first.values():
        assert password not in second_output
    assert "already exist" in second_output
    for username, password in first.items():
        assert User.objects.get(username=username).check_password(password)
    assert User.objects.count() == len(DEMO_USERS)
    assert PortalMembership.objects.count() == 1


def test_create_demo_users_reset_passwords_sets_and_prints_new_ones(
    debug, partner_organisation
):
    first = passwords(run())

    reset = passwords(run("--reset-passwords"))

    assert set(reset) == set(first)
    for username, password in reset.items():
        user = User.objects.get(username=username)
        assert password != first[username]
        assert user.check_password(password)
        assert not user.check_password(first[username])


def test_create_demo_users_skips_the_partner_user_without_a_partner_organisation(debug):
    factories.AssociationFactory()  # an Official Supporter only

    output = run()

    assert "partner" not in passwords(output)
    assert "no Partner or Strategic Partner organisation" in output
    assert not User.objects.filter(username="partner").exists()


def test_create_demo_users_links_the_partner_to_a_partner_of_the_demo_data(debug):
    call_command("seed_demo", "--skip-checks", orgs=30, seed=5, stdout=StringIO())

    printed = passwords(run())

    membership = PortalMembership.objects.get(user__username="partner")
    current = Association.objects.get(organisation=membership.organisation, end=None)
    assert current.tier.code in ("strategic-partner", "partner")
    # The demo manager that seed_demo made to own organisations gets a password.
    manager = User.objects.get(username="manager")
    assert manager.owned_organisations.exists()
    assert manager.check_password(printed["manager"])


def test_staff_demo_users_get_a_second_factor_printed_once(debug, partner_organisation):
    """A newcomer can sign in: the key works in an authenticator app, and a
    printed recovery code passes the real verify page."""
    from django.test import Client
    from django.urls import reverse

    output = run()
    for username in ("admin", "manager", "senior", "analyst"):
        block = re.search(
            rf"^  {username}\n    authenticator key  ([A-Z2-7]+)\n"
            r"    recovery codes     (.+)$",
            output,
            re.M,
        )
        assert block, output
    assert not re.search(r"^  partner\n    authenticator", output, re.M)
    codes = (
        re.search(r"^  manager\n.*\n    recovery codes     (.+)$", output, re.M)
        .group(1)
        .split()
    )
    client = Client()
    client.post(
        reverse("login"),
        {"username": "manager", "password": passwords(output)["manager"]},
    )
    assert client.get("/")["Location"].startswith(reverse("two_factor_verify"))
    client.post(reverse("two_factor_verify"), {"token": codes[0]})
    assert client.get("/").status_code == 200
    assert "authenticator key" not in run()  # shown once: not again
