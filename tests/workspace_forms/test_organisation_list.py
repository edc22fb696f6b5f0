"""Workspace forms: the organisation list's search and filters."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from planning import models as plm
from planning.services import reviews_schedule
from tests import factories
from tests.workspace_forms.helpers import _client

pytestmark = pytest.mark.django_db


def test_organisation_list_search_finds_contacts_and_filters(manager, world):
    other = factories.OrganisationFactory(name="Quietwater Analytics")
    client = _client(manager)
    url = reverse("partners:organisation_list")
    by_contact = client.get(url, {"q": world.contact.email})
    assert [o.pk for o in by_contact.context["page"].object_list] == [
        world.organisation.pk
    ]
    by_tier = client.get(url, {"tier": "partner"})
    assert [o.pk for o in by_tier.context["page"].object_list] == [
        world.organisation.pk
    ]
    no_level = client.get(url, {"tier": "none"})
    assert [o.pk for o in no_level.context["page"].object_list] == [other.pk]
    no_mou = client.get(url, {"mou": "none"})
    assert [o.pk for o in no_mou.context["page"].object_list] == [other.pk]
    area = client.get(url, {"priority_area": world.priority_area.pk})
    assert [o.pk for o in area.context["page"].object_list] == [world.organisation.pk]


def test_organisation_list_filters_by_owner_and_counts_what_it_lists(
    manager, senior_manager
):
    mine = factories.OrganisationFactory(name="Mine Ltd", owner=manager)
    factories.OrganisationFactory(name="Theirs Ltd", owner=senior_manager)
    response = _client(manager).get(
        reverse("partners:organisation_list"), {"owner": str(manager.pk)}
    )
    assert [o.pk for o in response.context["page"].object_list] == [mine.pk]
    assert response.context["page"].paginator.count == 1
    page = response.content.decode()
    assert f'<option value="{manager.pk}" selected>' in page
    assert (manager.get_full_name() or manager.username) in page


def test_organisation_list_never_calls_a_supplier_a_partner(manager):
    supplier = factories.AssociationFactory(
        tier=factories.tier("supplier")
    ).organisation
    response = _client(manager).get(
        reverse("partners:organisation_list"), {"tier": "supplier"}
    )
    row = response.content.decode().split(supplier.name, 1)[1].split("</tr>", 1)[0]
    assert "Supplier/Contractor" in row
    assert ">Partner<" not in row


@pytest.mark.parametrize(
    "query",
    [
        {"owner": "abc"},
        {"page": "xyz"},
        {"page": "9999"},
        {"sort": "bogus"},
        {"tier": "gold"},
        {"overdue": "maybe"},
        {"priority_area": "0"},
    ],
)
def test_organisation_list_with_bad_parameters_still_answers(manager, world, query):
    response = _client(manager).get(reverse("partners:organisation_list"), query)
    assert response.status_code == 200


def test_organisation_list_filters_by_mou_state_and_overdue_review(manager):
    today = timezone.localdate()

    def org_with(name, **mou):
        org = factories.OrganisationFactory(name=name)
        if mou:
            factories.MoUFactory(organisation=org, **mou)
        return org

    in_force = org_with("In Force Ltd", status="signed")
    ending = org_with("Ending Ltd", end=today + dt.timedelta(days=30))
    drafting = org_with(
        "Drafting Ltd", status="draft", signed_on=None, start=None, end=None
    )
    lapsed = org_with("Lapsed Ltd", status="expired", end=today - dt.timedelta(days=3))
    none = org_with("No MoU Ltd")
    url = reverse("partners:organisation_list")
    client = _client(manager)

    def names(**query):
        page = client.get(url, query).context["page"]
        return {o.name for o in page.object_list}

    assert names(mou="in_force") == {in_force.name, ending.name}
    assert names(mou="ending") == {ending.name}
    assert names(mou="drafting") == {drafting.name}
    assert names(mou="lapsed") == {lapsed.name}
    assert names(mou="none") == {none.name}

    factories.AssociationFactory(
        organisation=none, start=today - dt.timedelta(days=400)
    )
    reviews_schedule(organisation_ids=[none.pk])
    plm.Review.objects.filter(organisation=none).update(
        due_on=today - dt.timedelta(days=1)
    )
    assert names(overdue="true") == {none.name}
    assert none.name not in names(overdue="false")
