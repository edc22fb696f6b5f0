"""Access ends with the relationship, and only staff hand it out or take it back.

When an organisation's relationship ends (the association ends with no next one,
or its status becomes ended) its partner users lose the portal, the API, their
calendar feed and the MoU download at once; an inactive account cannot accept an
old invitation; invitations are revoked from the organisation's portal-access
page, which the organisation's page links to.
"""

import datetime as dt
import re
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from ceop_crm.api.models import ApiToken
from ceop_crm.models import OutboundEmail
from partners.models import Organisation, PortalMembership
from partners.portal.services import portal_invite
from planning.services.reminders import calendar_feed_token_issue
from tests import factories
from tests.api.conftest import token_client
from tests.api.test_access_matrix import CASES, url_for
from tests.clients import VerifiedClient as Client
from tests.portal.test_access_matrix import OBJECT_KWARGS, PUBLIC_NAMES, portal_patterns
from tiers.models import TierChange
from tiers.services import association_end, tier_change_approve

pytestmark = pytest.mark.django_db

PASSWORD = "a sturdy passphrase 42"


def _end_by_association(world, senior_manager) -> None:
    association = world.organisation.associations.get(end__isnull=True)
    association_end(
        association=association,
        end=timezone.localdate() - dt.timedelta(days=1),
        reason="The partnership closed.",
        actor=senior_manager,
    )


def _end_by_tier_move(world, senior_manager) -> None:
    manager = factories.UserFactory(username="requester")
    change = TierChange.objects.create(
        organisation=world.organisation,
        from_association=world.organisation.associations.get(end__isnull=True),
        to_tier=None,
        direction=TierChange.Direction.END,
        effective_date=timezone.localdate(),
        reason="The partnership closes.",
        requested_by=manager,
    )
    tier_change_approve(tier_change=change, actor=senior_manager)
    world.organisation.refresh_from_db()
    assert world.organisation.status == Organisation.Status.ENDED


def _portal_urls(world) -> list[str]:
    urls = []
    for name, kwarg_names in portal_patterns():
        if name in PUBLIC_NAMES:
            continue
        kwargs = {k: OBJECT_KWARGS[k](world).pk for k in kwarg_names}
        urls.append(reverse(f"portal:{name}", kwargs=kwargs))
    return urls


@pytest.mark.parametrize("end", [_end_by_association, _end_by_tier_move])
def test_ending_the_relationship_ends_portal_api_feed_and_mou(
    end, world_a, senior_manager
):
    user = world_a.user
    client = Client()
    client.force_login(user)
    api = token_client(user)
    _token, secret = calendar_feed_token_issue(user=user)
    feed = f"/calendar/{secret}.ics"
    mou = reverse("portal:mou_document", kwargs={"mou_pk": world_a.mou.pk})
    # Before: every door is open.
    assert client.get(reverse("portal:home")).status_code == 200
    assert client.get(mou).status_code == 200
    assert api.get(reverse("api:v1:ping")).status_code == 200
    assert client.get(feed).status_code == 200

    end(world_a, senior_manager)
    # Signing in again (the password still works) opens nothing either: access
    # follows the relationship, whatever became of the earlier sessions.
    client.force_login(user)

    for url in _portal_urls(world_a):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url
    home = client.get(reverse("portal:home"))
    assert "access to the CEOP partner portal has ended" in home.content.decode()
    for basename, action, method, detail in CASES:
        url = url_for(basename, action, detail, pk=1)
        response = getattr(api, method)(url, {}, format="json")
        assert response.status_code == 403, (basename, action, method)
    assert api.get(reverse("api:v1:ping")).status_code == 403
    assert client.get(feed).status_code == 404
    # Nor does the account slip into the workspace instead.
    assert client.get(reverse("partners:organisation_list")).status_code == 403


def test_an_association_ending_later_keeps_access_until_then(world_a, senior_manager):
    association = world_a.organisation.associations.get(end__isnull=True)
    association_end(
        association=association,
        end=timezone.localdate() + dt.timedelta(days=30),
        reason="Ends next month.",
        actor=senior_manager,
    )
    client = Client()
    client.force_login(world_a.user)
    assert client.get(reverse("portal:home")).status_code == 200


def test_a_prospect_never_associated_keeps_its_portal(manager):
    organisation = factories.OrganisationFactory(status=Organisation.Status.PROSPECT)
    membership = factories.PortalMembershipFactory(organisation=organisation)
    client = Client()
    client.force_login(membership.user)
    assert client.get(reverse("portal:home")).status_code == 200


# --- Invitations --------------------------------------------------------------


def _invitation_path() -> str:
    email = OutboundEmail.objects.filter(template="portal_invitation").latest("pk")
    match = re.search(r"https?://\S+/portal/invitation/\S+/\S+/", email.body_text)
    return urlparse(match.group(0)).path


def _organisation_with_contact(manager):
    organisation = factories.OrganisationFactory(
        name="Gamma Labs", status=Organisation.Status.ACTIVE, owner=manager
    )
    contact = factories.ContactFactory(
        organisation=organisation, name="Jo Bloggs", email="jo@gamma.example"
    )
    return organisation, contact


def test_an_inactive_account_cannot_accept_an_old_invitation(client, manager):
    _organisation, contact = _organisation_with_contact(manager)
    membership = portal_invite(contact=contact, actor=manager)
    path = _invitation_path()
    get_user_model().objects.filter(pk=membership.user_id).update(is_active=False)
    response = client.get(path, follow=True)
    assert response.context["validlink"] is False
    set_password = path.rsplit("/", 2)[0] + "/set-password/"
    client.post(set_password, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    user = get_user_model().objects.get(pk=membership.user_id)
    assert not user.is_active
    assert not user.has_usable_password()


def test_the_accept_service_refuses_an_inactive_account(manager):
    from ceop_crm.exceptions import ApplicationError
    from partners.portal.services import portal_accept_invitation

    _organisation, contact = _organisation_with_contact(manager)
    user = portal_invite(contact=contact, actor=manager).user
    user.is_active = False
    user.save()
    with pytest.raises(ApplicationError):
        portal_accept_invitation(user=user, password=PASSWORD)
    user.refresh_from_db()
    assert not user.is_active


def test_staff_revoke_an_invitation_from_the_organisations_page(client, manager):
    organisation, contact = _organisation_with_contact(manager)
    membership = portal_invite(contact=contact, actor=manager)
    path = _invitation_path()
    token_client(membership.user)  # an API token issued to the account
    client.force_login(manager)
    detail = client.get(reverse("partners:organisation_detail", args=[organisation.pk]))
    access_url = reverse("portal_staff:invite", kwargs={"pk": organisation.pk})
    assert access_url in detail.content.decode()
    page = client.get(access_url).content.decode()
    assert "jo@gamma.example" in page
    assert "Revoke invitation" in page
    revoke = reverse(
        "portal_staff:revoke",
        kwargs={"pk": organisation.pk, "membership_pk": membership.pk},
    )
    response = client.post(revoke)
    assert response.status_code == 302
    assert not PortalMembership.objects.exists()
    user = get_user_model().objects.get(pk=membership.user_id)
    assert not user.is_active
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    after = client.get(access_url).content.decode()
    assert "no longer has portal access" in after
    assert "Nobody yet." in after
    client.logout()
    assert client.get(path, follow=True).context["validlink"] is False


def test_only_those_who_run_the_organisation_revoke(client, manager, analyst):
    organisation, contact = _organisation_with_contact(manager)
    membership = portal_invite(contact=contact, actor=manager)
    other = factories.UserFactory(username="other-manager")
    other.groups.add(*manager.groups.all())
    revoke = reverse(
        "portal_staff:revoke",
        kwargs={"pk": organisation.pk, "membership_pk": membership.pk},
    )
    for user in (analyst, other, membership.user):
        client.force_login(user)
        assert client.post(revoke).status_code == 403
    assert PortalMembership.objects.filter(pk=membership.pk).exists()
    # Another organisation's membership id is not found through this page.
    elsewhere = factories.OrganisationFactory(owner=manager)
    client.force_login(manager)
    wrong = reverse(
        "portal_staff:revoke",
        kwargs={"pk": elsewhere.pk, "membership_pk": membership.pk},
    )
    assert client.post(wrong).status_code == 404
