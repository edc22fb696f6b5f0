"""Findings of the access-control review: each test fails without its fix."""

import datetime as dt

import pytest

from ceop_crm.exceptions import ApplicationError
from partners import services
from partners.models import MoU, Organisation
from tests import factories

pytestmark = pytest.mark.django_db


def test_api_cannot_set_an_organisation_active_or_ended_by_hand(api, manager):
    organisation = factories.OrganisationFactory(
        owner=manager, status=Organisation.Status.PROSPECT
    )
    client = api(manager)
    url = f"/api/v1/organisations/{organisation.pk}/"
    for status in ("active", "ended"):
        response = client.patch(url, {"status": status}, format="json")
        assert response.status_code == 400, response.content
        assert "status" in str(response.json())
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.PROSPECT
    created = client.post(
        "/api/v1/organisations/",
        {"name": "Straight To Active", "sector": "industry", "status": "active"},
        format="json",
    )
    assert created.status_code == 400, created.content
    assert not Organisation.objects.filter(name="Straight To Active").exists()


def test_an_ended_organisation_is_not_revived_through_the_service(manager):
    organisation = factories.OrganisationFactory(status=Organisation.Status.ENDED)
    with pytest.raises(ApplicationError) as error:
        services.organisation_update(
            organisation=organisation,
            actor=manager,
            status=Organisation.Status.PROSPECT,
        )
    assert "status" in error.value.message_dict
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.ENDED


def test_a_prospect_may_still_move_to_under_assessment(manager):
    organisation = factories.OrganisationFactory(status=Organisation.Status.PROSPECT)
    services.organisation_update(
        organisation=organisation,
        actor=manager,
        status=Organisation.Status.ASSESSMENT,
    )
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.ASSESSMENT


def test_api_cannot_unsign_or_move_the_term_of_a_signed_mou(api, manager):
    mou = factories.MoUFactory(organisation__owner=manager)
    start, end = mou.start, mou.end
    client = api(manager)
    url = f"/api/v1/mous/{mou.pk}/"
    for change in (
        {"status": "draft"},
        {"end": (end + dt.timedelta(days=365)).isoformat()},
        {"start": (start - dt.timedelta(days=30)).isoformat()},
    ):
        response = client.patch(url, change, format="json")
        assert response.status_code == 400, (change, response.content)
    mou.refresh_from_db()
    assert (mou.status, mou.start, mou.end) == (MoU.Status.SIGNED, start, end)
    # What may change on a signed MoU still does.
    response = client.patch(url, {"title": "Renamed"}, format="json")
    assert response.status_code == 200, response.content
    mou.refresh_from_db()
    assert mou.title == "Renamed"


def test_calendar_feed_stops_when_the_user_loses_their_staff_role(client, manager):
    from planning.services.reminders import calendar_feed_token_issue

    organisation = factories.OrganisationFactory(owner=manager)
    factories.MoUFactory(organisation=organisation)
    _, secret = calendar_feed_token_issue(user=manager)
    assert client.get(f"/calendar/{secret}.ics").status_code == 200
    manager.groups.clear()
    response = client.get(f"/calendar/{secret}.ics")
    assert response.status_code == 404
    assert organisation.name.encode() not in response.content


def test_calendar_feed_stops_when_portal_access_is_removed(client, partner_user):
    from planning.services.reminders import calendar_feed_token_issue

    _, secret = calendar_feed_token_issue(user=partner_user)
    assert client.get(f"/calendar/{secret}.ics").status_code == 200
    partner_user.portal_membership.delete()
    assert client.get(f"/calendar/{secret}.ics").status_code == 404


@pytest.mark.parametrize(
    "url", ["/api/v1/contacts/", "/api/v1/proposals/", "/api/v1/mous/"]
)
def test_filter_choices_never_list_other_organisations_to_a_partner(
    client, partner_user, url
):
    factories.OrganisationFactory(name="Secret Rival Ltd")
    own = partner_user.portal_membership.organisation
    client.force_login(partner_user)
    page = client.get(url, HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    assert b"Secret Rival" not in page.content
    assert own.name.encode() in page.content
    own_filter = client.get(url, {"organisation": own.pk})
    assert own_filter.status_code == 200


def test_organisation_filters_never_list_users_to_a_partner(client, partner_user):
    factories.PortalMembershipFactory(user__username="rival-partner-user")
    client.force_login(partner_user)
    page = client.get("/api/v1/organisations/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    assert b"rival-partner-user" not in page.content


def test_staff_filter_choices_still_list_every_organisation(client, analyst):
    factories.OrganisationFactory(name="Secret Rival Ltd")
    client.force_login(analyst)
    page = client.get("/api/v1/contacts/", HTTP_ACCEPT="text/html")
    assert b"Secret Rival" in page.content
