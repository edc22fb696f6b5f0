"""Sessions: idle and absolute limits, a new key at sign-in, and every session
of a user ended on a password change, deactivation, or losing portal access."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from ceop_crm.auth.models import UserSession
from tests import factories
from tests.clients import VerifiedClient

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
PASSWORD = "correct-horse-battery"


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def signed_in_client(user) -> VerifiedClient:
    client = VerifiedClient()
    client.force_login(user)
    return client


def still_in(client, url: str = "/") -> bool:
    return client.get(url).status_code == 200


def sessions_of(user) -> int:
    return UserSession.objects.filter(user=user).count()


def test_staff_are_signed_out_after_thirty_idle_minutes(clock, manager):
    client = signed_in_client(manager)
    clock.shift(dt.timedelta(minutes=29))
    assert still_in(client)
    clock.shift(dt.timedelta(minutes=29))  # active a minute ago counts from then
    assert still_in(client)
    clock.shift(dt.timedelta(minutes=31))
    response = client.get("/reviews/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert SESSION_KEY not in client.session


def test_partners_are_signed_out_after_sixty_idle_minutes(clock, partner_user):
    client = signed_in_client(partner_user)
    home = reverse("portal:home")
    clock.shift(dt.timedelta(minutes=45))
    assert still_in(client, home)
    clock.shift(dt.timedelta(minutes=61))
    response = client.get(home)
    assert response["Location"].startswith(reverse("portal:login"))


def test_idle_limits_come_from_settings(clock, settings, manager):
    settings.SESSION_IDLE_MINUTES_STAFF = 5
    client = signed_in_client(manager)
    clock.shift(dt.timedelta(minutes=6))
    assert not still_in(client)


def test_no_session_lasts_past_twelve_hours_however_busy(clock, manager):
    client = signed_in_client(manager)
    for _ in range(35):  # every 20 minutes for 11 h 40 min
        clock.shift(dt.timedelta(minutes=20))
        assert still_in(client)
    clock.shift(dt.timedelta(minutes=21))
    assert not still_in(client)


def test_signing_in_starts_a_new_session(manager):
    from django.test import Client

    client = Client()
    client.get(reverse("login"))
    session = client.session
    session["planted"] = "by someone else"
    session.save()
    before = session.session_key
    client.post(reverse("login"), {"username": "manager", "password": PASSWORD})
    assert client.session.session_key != before
    assert not UserSession.objects.filter(session_key=before).exists()


def test_a_password_change_signs_out_every_other_session(manager):
    here, elsewhere = signed_in_client(manager), signed_in_client(manager)
    new = "a-brand-new-passphrase-9"
    response = here.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert sessions_of(manager) == 1
    assert still_in(here)
    assert not still_in(elsewhere)


def test_deactivating_a_user_ends_their_sessions(manager):
    client = signed_in_client(manager)
    manager.is_active = False
    manager.save()
    assert sessions_of(manager) == 0
    assert not still_in(client)


def test_removing_a_portal_membership_ends_the_sessions(partner_user):
    client = signed_in_client(partner_user)
    partner_user.portal_membership.delete()
    assert sessions_of(partner_user) == 0
    assert client.get(reverse("portal:home")).status_code == 302


def test_the_relationship_ending_ends_its_partner_users_sessions(partner_user, manager):
    from tiers.services import association_end

    organisation = partner_user.portal_membership.organisation
    factories.DueDiligenceFactory(organisation=organisation)
    association = factories.AssociationFactory(
        organisation=organisation, tier=factories.tier("official-supporter")
    )
    other = factories.PortalMembershipFactory().user
    client, other_client = signed_in_client(partner_user), signed_in_client(other)
    association_end(
        association=association,
        end=association.start,
        reason="Relationship over.",
        actor=manager,
    )
    assert sessions_of(partner_user) == 0
    assert sessions_of(other) == 1
    assert client.get(reverse("portal:home")).status_code == 302
    assert still_in(other_client, reverse("portal:home"))


def test_an_administrator_ends_a_users_sessions_from_admin(admin_client, manager):
    client = signed_in_client(manager)
    response = admin_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "sessions_end", "_selected_action": [manager.pk]},
    )
    assert response.status_code == 302
    assert sessions_of(manager) == 0
    assert not still_in(client)


def test_an_administrator_resets_a_lost_second_factor(admin_client, manager):
    client = signed_in_client(manager)
    admin_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "second_factor_reset_action", "_selected_action": [manager.pk]},
    )
    assert not still_in(client)
    again = VerifiedClient()
    again.post(reverse("login"), {"username": "manager", "password": PASSWORD})
    assert again.get("/")["Location"].startswith(reverse("two_factor_setup"))
