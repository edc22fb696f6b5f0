"""Joint support in the API: every contribution lists the organisations working
on it; a partner reads those their organisation leads or works on, the others by
name only, and nothing of an organisation not involved."""

import pytest
from django.urls import reverse

from partners.joint.services import contribution_party_add
from tests import factories
from tests.partners.joint_world import make_joint_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_joint_world()


def _list(api, user) -> list[dict]:
    response = api(user).get(reverse("api:v1:contribution-list"))
    assert response.status_code == 200
    return response.json()["results"]


def _detail(api, user, contribution):
    return api(user).get(reverse("api:v1:contribution-detail", args=[contribution.pk]))


def test_staff_read_who_works_on_it_who_added_them_and_when(api, world):
    for user in (world.analyst, world.owner, world.senior):
        row = _detail(api, user, world.contribution).json()
        (party,) = row["involved_organisations"]
        assert party["organisation"] == world.involved.pk
        assert party["name"] == world.involved.name
        assert party["added_by"] == world.owner.pk
        assert party["added_at"]


def test_a_partner_of_an_involved_organisation_reads_it_with_names_only(api, world):
    rows = _list(api, world.involved_partner)
    assert [r["id"] for r in rows] == [world.contribution.pk]
    response = _detail(api, world.involved_partner, world.contribution)
    assert response.status_code == 200
    assert response.json()["involved_organisations"] == [{"name": world.involved.name}]


def test_a_partner_of_the_lead_reads_it_once_with_several_involved(api, world):
    second = factories.OrganisationFactory(name="Second Partner Works")
    factories.AssociationFactory(organisation=second, tier=factories.tier("partner"))
    contribution_party_add(
        contribution=world.contribution, organisation=second, actor=world.owner
    )
    rows = _list(api, world.lead_partner)
    assert [r["id"] for r in rows] == [world.contribution.pk]
    assert rows[0]["involved_organisations"] == [
        {"name": world.involved.name},
        {"name": second.name},
    ]


def test_a_partner_of_an_uninvolved_organisation_does_not_read_it(api, world):
    assert _list(api, world.uninvolved_partner) == []
    assert _detail(api, world.uninvolved_partner, world.contribution).status_code == 404


def test_a_partner_cannot_change_a_contribution_it_works_on(api, world):
    response = api(world.involved_partner).patch(
        reverse("api:v1:contribution-detail", args=[world.contribution.pk]),
        {"title": "Taken over"},
        format="json",
    )
    assert response.status_code == 403
    world.contribution.refresh_from_db()
    assert world.contribution.title == "Joint safer-design workshop"


def test_adding_an_organisation_moves_the_contributions_last_modified(api, world):
    world.contribution.refresh_from_db()
    before = world.contribution.updated_at
    second = factories.OrganisationFactory(name="Later Partner Works")
    factories.AssociationFactory(organisation=second, tier=factories.tier("partner"))
    contribution_party_add(
        contribution=world.contribution, organisation=second, actor=world.owner
    )
    world.contribution.refresh_from_db()
    assert world.contribution.updated_at > before
    # ... without a version of the contribution's own: the party has its history.
    assert world.contribution.history.count() == 1
