"""Every URL of the portal, taken from the resolver, against two organisations.

Object URLs name their object as `<model>_pk`. For each one, a user of
organisation A opens A's object (found) and B's object (404, by GET and by
POST, and B's object is unchanged). Pages without an object never show B's
data. The test fails when a pattern appears that it does not know how to
cover, and asserts that the count covered equals the count of patterns.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from planning.models import Reminder, SelfAssessment
from tests import factories
from tests.portal.conftest import PartnerWorld

pytestmark = pytest.mark.django_db

# kwarg name -> the object of a world it names
OBJECT_KWARGS = {
    "mou_pk": lambda w: w.mou,
    "review_pk": lambda w: w.review,
    "proposal_pk": lambda w: w.proposal,
    "contribution_pk": lambda w: w.contribution,
    "contact_pk": lambda w: w.contact,
    "reminder_pk": lambda w: w.reminder,
}
TOKEN_KWARGS = {"uidb64", "token"}
# Pages for people who are not signed in (sign-in, passwords, invitations).
PUBLIC_NAMES = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "invitation_accept",
}


def portal_patterns() -> list[tuple[str, list[str]]]:
    """(name, kwarg names) of every pattern under the portal namespace."""
    root = get_resolver()
    portal = next(
        p
        for p in root.url_patterns
        if isinstance(p, URLResolver) and p.namespace == "portal"
    )
    found: list[tuple[str, list[str]]] = []

    def walk(resolver: URLResolver) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"Unnamed portal pattern {pattern.pattern}"
                found.append((pattern.name, list(pattern.pattern.converters)))

    walk(portal)
    return found


def _markers(world: PartnerWorld) -> list[str]:
    """Strings that only a page showing this world's data would contain."""
    return [
        world.organisation.name,
        world.contact.name,
        world.proposal.title,
        world.contribution.title,
        world.reminder.title,
        f"{world.organisation.name} marketing terms",
        f"{world.organisation.name} benefit delivered",
    ]


def _assert_nothing_of(world: PartnerWorld, response) -> None:
    body = response.content.decode(errors="replace")
    for marker in _markers(world):
        assert marker not in body, f"{response.request['PATH_INFO']} shows {marker!r}"


def test_portal_patterns_are_found_from_the_resolver():
    names = [name for name, _ in portal_patterns()]
    assert "home" in names
    assert len(names) == len(set(names)) >= 20


def test_every_portal_url_is_scoped_to_the_users_organisation(
    client, world_a, world_b, frozen_today
):
    patterns = portal_patterns()
    client.force_login(world_a.user)
    covered: set[str] = set()
    for name, kwargs in patterns:
        url_name = f"portal:{name}"
        if not kwargs:
            response = client.get(reverse(url_name))
            assert response.status_code in {200, 302, 403, 405}, name
            _assert_nothing_of(world_b, response)
            covered.add(name)
        elif set(kwargs) <= TOKEN_KWARGS:
            # A link built for B's user, with a token that is not B's, opens nothing.
            url = reverse(
                url_name,
                kwargs={"uidb64": _uid(world_b.user), "token": "1-bad"},
            )
            response = client.get(url)
            assert response.status_code == 200, name
            assert response.context["validlink"] is False
            _assert_nothing_of(world_b, response)
            covered.add(name)
        else:
            unknown = set(kwargs) - set(OBJECT_KWARGS)
            assert not unknown, f"{name}: no rule for {unknown}; add it to the matrix"
            own = reverse(
                url_name, kwargs={k: OBJECT_KWARGS[k](world_a).pk for k in kwargs}
            )
            other = reverse(
                url_name, kwargs={k: OBJECT_KWARGS[k](world_b).pk for k in kwargs}
            )
            own_response = client.get(own)
            assert own_response.status_code in {200, 405}, f"{name} own object"
            # A method the view does not take is refused (405) before any read;
            # the method it takes must answer 404 for B's object.
            codes = {client.get(other).status_code, client.post(other, {}).status_code}
            assert codes <= {404, 405}, f"{name} other: {codes}"
            assert 404 in codes, f"{name} other: {codes}"
            covered.add(name)
    assert len(covered) == len(patterns)
    # B's objects survived the POSTs above.
    world_b.contact.refresh_from_db()
    assert Reminder.objects.get(pk=world_b.reminder.pk).read_at is None
    assert not SelfAssessment.objects.filter(review=world_b.review).exists()


def _uid(user) -> str:
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    return urlsafe_base64_encode(force_bytes(user.pk))


def _url(name: str, kwargs: list[str], world: PartnerWorld) -> str:
    if set(kwargs) <= TOKEN_KWARGS and kwargs:
        return reverse(
            f"portal:{name}", kwargs={"uidb64": _uid(world.user), "token": "1-bad"}
        )
    return reverse(
        f"portal:{name}", kwargs={k: OBJECT_KWARGS[k](world).pk for k in kwargs}
    )


def test_staff_users_cannot_use_the_portal_as_partners(
    client, manager, world_a, frozen_today
):
    # Even a staff user who was linked to an organisation by mistake.
    factories.PortalMembershipFactory(user=manager, organisation=world_a.organisation)
    client.force_login(manager)
    patterns = portal_patterns()
    checked = 0
    for name, kwargs in patterns:
        if name in PUBLIC_NAMES:
            continue
        response = client.get(_url(name, kwargs, world_a))
        assert response.status_code == 403, name
        checked += 1
    assert checked == len(patterns) - len(PUBLIC_NAMES)


def test_anonymous_visitors_are_sent_to_the_portal_sign_in(client, world_a):
    patterns = portal_patterns()
    login = reverse("portal:login")
    checked = 0
    for name, kwargs in patterns:
        response = client.get(_url(name, kwargs, world_a))
        if name in PUBLIC_NAMES:
            assert response.status_code in {200, 302, 405}, name
        else:
            assert response.status_code == 302, name
            assert response["Location"].startswith(login), name
        checked += 1
    assert checked == len(patterns)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/organisations/",
        "/reports/",
        "/notifications/",
        "/admin/",
        "/admin/partners/organisation/",
        "/api/v1/relationship-issues/",
        "/api/v1/tier-moves/",
    ],
)
def test_partner_users_get_403_outside_the_portal(client, world_a, path):
    client.force_login(world_a.user)
    assert client.get(path).status_code == 403


def test_a_partner_user_who_enrolled_verifies_before_any_portal_page(world_a):
    """Partner users may set up a second factor; once they have, a password
    alone opens no portal page."""
    from django.test import Client

    factories.TOTPDeviceFactory(user=world_a.user)
    client = Client()
    client.login(username=world_a.user.username, password="correct-horse-battery")
    covered = 0
    for name, kwargs in portal_patterns():
        if name in PUBLIC_NAMES:
            continue
        values = {
            key: OBJECT_KWARGS[key](world_a).pk
            for key in kwargs
            if key in OBJECT_KWARGS
        }
        response = client.get(reverse(f"portal:{name}", kwargs=values))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("two_factor_verify")), name
        covered += 1
    assert covered == len(portal_patterns()) - len(PUBLIC_NAMES)
