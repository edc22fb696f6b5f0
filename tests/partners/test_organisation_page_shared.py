"""The organisation page's lists are shared between requests until a change
to what they read commits (partners.views.organisations.organisation_page_shared);
its contacts are read, and their viewing logged, on every visit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ceop_crm.privacy.models import ReadLogEntry
from tests import factories
from tiers.services import benefit_delivery_record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_caches")]


@pytest.fixture
def client(manager_client):
    return manager_client


@pytest.fixture
def organisation(manager):
    association = factories.AssociationFactory(
        organisation=factories.OrganisationFactory(owner=manager, name="Before Ltd")
    )
    return association.organisation


def _page(client, organisation):
    page = client.get(reverse("partners:organisation_detail", args=[organisation.pk]))
    assert page.status_code == 200
    return page.context


def test_the_lists_are_shared_until_a_change_is_committed(
    client, organisation, django_capture_on_commit_callbacks
):
    assert _page(client, organisation)["mous"] == []

    # Written but never committed: the lists shared stay.
    with django_capture_on_commit_callbacks(execute=False):
        factories.MoUFactory(organisation=organisation, title="Unsaid MoU")
    assert _page(client, organisation)["mous"] == []

    # Committed: read afresh, the organisation's new name with them.
    with django_capture_on_commit_callbacks(execute=True):
        factories.MoUFactory(organisation=organisation, title="Said MoU")
        organisation.name = "After Ltd"
        organisation.save()
    after = _page(client, organisation)
    assert sorted(m.title for m in after["mous"]) == ["Said MoU", "Unsaid MoU"]
    assert after["organisation"].name == "After Ltd"


def test_a_benefit_delivered_shows_once_committed(
    client, organisation, manager, django_capture_on_commit_callbacks
):
    """Benefit deliveries count for no figure, but the page lists them: a
    delivery committed reads the page afresh."""
    assert _page(client, organisation)["benefits"] == []
    benefit = organisation.associations.get().tier.benefits.first()
    with django_capture_on_commit_callbacks(execute=True):
        benefit_delivery_record(
            organisation=organisation,
            benefit=benefit,
            delivered_on=timezone.localdate(),
            actor=manager,
        )
    assert [b.benefit_id for b in _page(client, organisation)["benefits"]] == [
        benefit.pk
    ]


def test_read_again_the_lists_come_from_what_is_shared_and_contacts_do_not(
    client, organisation
):
    factories.MoUFactory(organisation=organisation)
    factories.ContactFactory(organisation=organisation)
    first = _page(client, organisation)
    logged = ReadLogEntry.objects.count()
    with CaptureQueriesContext(connection) as captured:
        again = _page(client, organisation)
    statements = " ".join(q["sql"] for q in captured.captured_queries)
    for table in ("partners_mou", "planning_review", "tiers_association"):
        assert f'FROM "{table}"' not in statements, table
    # The contacts shown are read, and their viewing logged, every time.
    assert 'FROM "partners_contact"' in statements
    assert ReadLogEntry.objects.count() == logged + 1
    assert [m.pk for m in again["mous"]] == [m.pk for m in first["mous"]]


def test_each_organisation_has_lists_of_its_own(client, manager):
    one = factories.OrganisationFactory(owner=manager)
    other = factories.OrganisationFactory(owner=manager)
    factories.MoUFactory(organisation=one, title="One's MoU")
    for _ in range(2):  # afresh, then from what is shared
        assert [m.title for m in _page(client, one)["mous"]] == ["One's MoU"]
        assert _page(client, other)["mous"] == []


def test_a_deleted_organisation_is_gone_once_committed(
    client, manager, django_capture_on_commit_callbacks
):
    organisation = factories.OrganisationFactory(owner=manager)
    _page(client, organisation)
    url = reverse("partners:organisation_detail", args=[organisation.pk])
    with django_capture_on_commit_callbacks(execute=True):
        organisation.delete()
    assert client.get(url).status_code == 404


def test_joint_support_shows_on_the_partys_page_once_committed(
    client, manager, django_capture_on_commit_callbacks
):
    """A party added to another organisation's support is read afresh on the
    party's page: the contribution itself did not change."""
    from partners.joint.services import contribution_party_add

    lead = factories.AssociationFactory(
        organisation=factories.OrganisationFactory(owner=manager),
        tier=factories.tier("partner"),
    ).organisation
    contribution = factories.ContributionFactory(organisation=lead)
    party = factories.AssociationFactory(
        organisation=factories.OrganisationFactory(owner=manager),
        tier=factories.tier("partner"),
    ).organisation
    assert _page(client, party)["contributions"] == []
    with django_capture_on_commit_callbacks(execute=True):
        contribution_party_add(
            contribution=contribution, organisation=party, actor=manager
        )
    assert [c.pk for c in _page(client, party)["contributions"]] == [contribution.pk]
