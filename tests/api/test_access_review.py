"""Findings of the access-control review: each test fails without its fix."""

import pytest

from ceop_crm.exceptions import ApplicationError
from partners import services
from partners.models import Organisation
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
