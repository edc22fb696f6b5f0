"""The API's list of every organisation shares its number between staff
callers until a change to the organisations commits; a filtered or searched
list, and a partner's, count as usual (partners.apis.organisations)."""

import pytest

from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_caches")]

URL = "/api/v1/organisations/"


def _count(client, **params) -> int:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()["count"]


def test_staff_share_the_count_until_a_change_is_committed(
    api, manager, senior_manager, django_capture_on_commit_callbacks
):
    factories.OrganisationFactory.create_batch(3)
    assert _count(api(manager)) == 3

    # Written but never committed: the number shared stays, for every caller
    # of a staff role and any order.
    with django_capture_on_commit_callbacks(execute=False):
        factories.OrganisationFactory(name="Uncounted Ltd")
    assert _count(api(senior_manager)) == 3
    assert _count(api(manager), ordering="-name", page_size=2) == 3

    # A filter or a search counts what it leaves, as usual.
    assert _count(api(manager), search="Uncounted") == 1

    with django_capture_on_commit_callbacks(execute=True):
        factories.OrganisationFactory()
    assert _count(api(manager)) == 5


def test_a_partner_counts_their_own_organisation_only(api, partner_user, manager):
    factories.OrganisationFactory.create_batch(3)
    assert _count(api(manager)) == 4  # the partner's organisation and three
    assert _count(api(partner_user)) == 1
    results = api(partner_user).get(URL).json()["results"]
    assert [o["id"] for o in results] == [
        partner_user.portal_membership.organisation_id
    ]
