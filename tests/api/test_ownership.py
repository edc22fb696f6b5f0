"""A relationship manager changes only the organisations they run, through the API
as in the workspace; reads stay open to every staff role."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def someone_elses(manager):
    owner = factories.UserFactory(username="other-owner")
    return factories.OrganisationFactory(owner=owner)


def test_manager_cannot_change_an_organisation_owned_by_someone_else(
    api, manager, someone_elses
):
    client = api(manager)
    url = f"/api/v1/organisations/{someone_elses.pk}/"
    assert client.get(url).status_code == 200
    response = client.patch(url, {"website": "https://changed.example"}, format="json")
    assert response.status_code == 403
    someone_elses.refresh_from_db()
    assert someone_elses.website == ""


def test_manager_cannot_add_a_contact_to_an_organisation_owned_by_someone_else(
    api, manager, someone_elses
):
    response = api(manager).post(
        "/api/v1/contacts/",
        {"organisation": someone_elses.pk, "name": "New person"},
        format="json",
    )
    assert response.status_code == 403
    assert not someone_elses.contacts.exists()


def test_deputy_and_senior_manager_may_change_it(
    api, manager, senior_manager, someone_elses
):
    someone_elses.deputy = manager
    someone_elses.save()
    url = f"/api/v1/organisations/{someone_elses.pk}/"
    assert (
        api(manager)
        .patch(url, {"website": "https://a.example"}, format="json")
        .status_code
        == 200
    )
    someone_elses.deputy = None
    someone_elses.save()
    response = api(senior_manager).patch(
        url, {"website": "https://b.example"}, format="json"
    )
    assert response.status_code == 200
