"""Joint support: a contribution led by one organisation, with others working on it.

Rules (partners.joint.services), the workspace page to add and remove them, each
organisation's page, the portal of each, admin and merging. The API is in
tests/api/test_joint_support.py.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners.dedupe.merge import organisation_merge
from partners.joint.models import ContributionParty
from partners.joint.services import contribution_party_add, contribution_party_remove
from tests import factories
from tests.clients import VerifiedClient
from tests.partners.joint_world import make_joint_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_joint_world()


@pytest.fixture
def bare():
    """The same organisations, nobody added to the contribution yet."""
    return make_joint_world(with_party=False)


def _client(user) -> VerifiedClient:
    client = VerifiedClient()
    if user is not None:
        client.force_login(user)
    return client


# --- Rules -------------------------------------------------------------------------


def test_adding_records_who_added_it_when_and_a_history_row(bare):
    party = contribution_party_add(
        contribution=bare.contribution, organisation=bare.involved, actor=bare.owner
    )
    assert party.added_by == bare.owner
    assert party.added_at <= timezone.now()
    history = party.history.get()
    assert history.history_type == "+"
    assert history.history_user == bare.owner


def test_removing_keeps_a_history_row_with_who_removed_it(world):
    party = world.contribution.parties.get()
    contribution_party_remove(party=party, actor=world.senior)
    assert not ContributionParty.objects.exists()
    removed = ContributionParty.history.filter(history_type="-").get()
    assert removed.history_user == world.senior
    assert removed.organisation_id == world.involved.pk


def test_only_an_editor_of_the_lead_may_add(bare):
    # The other manager runs the involved organisation, not the lead.
    for actor in (bare.other_manager, bare.analyst, bare.involved_partner, None):
        with pytest.raises(ValidationError, match="lead organisation"):
            contribution_party_add(
                contribution=bare.contribution, organisation=bare.involved, actor=actor
            )
    assert not ContributionParty.objects.exists()
    contribution_party_add(
        contribution=bare.contribution, organisation=bare.involved, actor=bare.senior
    )


def test_only_an_editor_of_the_lead_may_remove(world):
    party = world.contribution.parties.get()
    with pytest.raises(ValidationError, match="lead organisation"):
        contribution_party_remove(party=party, actor=world.other_manager)
    assert ContributionParty.objects.filter(pk=party.pk).exists()


def test_the_lead_is_not_added_as_working_with_itself(bare):
    with pytest.raises(ValidationError, match="lead organisation of the contribution"):
        contribution_party_add(
            contribution=bare.contribution, organisation=bare.lead, actor=bare.owner
        )


def test_a_supplier_is_refused_as_it_is_not_a_partner_or_supporter(bare):
    with pytest.raises(ValidationError) as refused:
        contribution_party_add(
            contribution=bare.contribution, organisation=bare.supplier, actor=bare.owner
        )
    assert "supplier or contractor" in str(refused.value.message_dict["organisation"])
    assert not ContributionParty.objects.exists()


def test_an_organisation_with_no_current_association_is_refused(bare):
    with pytest.raises(ValidationError) as refused:
        contribution_party_add(
            contribution=bare.contribution, organisation=bare.prospect, actor=bare.owner
        )
    assert "no current association" in str(refused.value.message_dict["organisation"])


def test_a_suppliers_own_contribution_takes_no_one_else(bare):
    paid_work = factories.ContributionFactory(organisation=bare.supplier)
    with pytest.raises(ValidationError, match="supplier or contractor"):
        contribution_party_add(
            contribution=paid_work, organisation=bare.involved, actor=bare.senior
        )


def test_an_organisation_is_added_once(world):
    with pytest.raises(ValidationError, match="already takes part"):
        contribution_party_add(
            contribution=world.contribution,
            organisation=world.involved,
            actor=world.owner,
        )
    assert world.contribution.parties.count() == 1


def test_the_database_refuses_the_same_organisation_twice(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        ContributionParty.objects.create(
            contribution=world.contribution,
            organisation=world.involved,
            added_at=timezone.now(),
        )


# --- Workspace: the page that adds and removes them -----------------------------


def test_who_may_open_the_page_to_add_organisations(world):
    url = reverse("partners:contribution_parties", args=[world.contribution.pk])
    expected = {
        "anonymous": 302,
        "owner": 200,
        "senior": 200,
        "other_manager": 403,
        "analyst": 403,
        "lead_partner": 403,
        "involved_partner": 403,
    }
    for who, status in expected.items():
        user = None if who == "anonymous" else getattr(world, who)
        client = _client(user)
        assert client.get(url).status_code == status, who
        response = client.post(url, {"organisation": world.uninvolved.name})
        assert response.status_code == (302 if status == 200 else status), who
        if status == 200:
            ContributionParty.objects.filter(organisation=world.uninvolved).delete()
    assert world.contribution.parties.count() == 1


def test_the_owner_adds_an_organisation_by_its_name_in_any_case(bare):
    client = _client(bare.owner)
    url = reverse("partners:contribution_parties", args=[bare.contribution.pk])
    response = client.post(url, {"organisation": bare.involved.name.upper()})
    assert response.status_code == 302
    assert bare.contribution.parties.get().organisation == bare.involved
    page = client.get(url).content.decode()
    assert bare.involved.name in page
    assert "Remove" in page


def test_a_name_that_is_no_organisation_is_an_error_beside_the_field(bare):
    client = _client(bare.owner)
    url = reverse("partners:contribution_parties", args=[bare.contribution.pk])
    response = client.post(url, {"organisation": "Nobody At All"})
    assert response.status_code == 200
    assert "No organisation is called" in str(response.context["form"].errors)
    assert not ContributionParty.objects.exists()


def test_a_supplier_is_refused_beside_the_field(bare):
    client = _client(bare.owner)
    url = reverse("partners:contribution_parties", args=[bare.contribution.pk])
    response = client.post(url, {"organisation": bare.supplier.name})
    assert response.status_code == 200
    assert "supplier or contractor" in str(
        response.context["form"].errors["organisation"]
    )
    assert not ContributionParty.objects.exists()


def test_the_owner_removes_an_organisation(world):
    party = world.contribution.parties.get()
    url = reverse(
        "partners:contribution_party_remove", args=[world.contribution.pk, party.pk]
    )
    assert _client(world.other_manager).post(url, {}).status_code == 403
    assert _client(world.analyst).post(url, {}).status_code == 403
    client = _client(world.owner)
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 302
    assert not world.contribution.parties.exists()


def test_the_autocomplete_suggests_organisations_to_staff_only(world):
    url = reverse("partners:organisation_autocomplete")
    response = _client(world.owner).get(url, {"organisation": "signal"})
    assert response.status_code == 200
    assert f'<option value="{world.involved.name}">' in response.content.decode()
    assert world.lead.name not in response.content.decode()
    assert _client(world.analyst).get(url, {"q": "signal"}).status_code == 200
    assert _client(world.involved_partner).get(url, {"q": "signal"}).status_code == 403
    assert _client(None).get(url, {"q": "signal"}).status_code == 302


def test_the_form_asks_the_autocomplete_as_the_user_types(bare):
    page = (
        _client(bare.owner)
        .get(reverse("partners:contribution_parties", args=[bare.contribution.pk]))
        .content.decode()
    )
    assert 'list="organisation-options"' in page
    assert f'hx-get="{reverse("partners:organisation_autocomplete")}"' in page
    assert '<datalist id="organisation-options">' in page


# --- Each organisation's page ---------------------------------------------------------


def test_the_leads_page_says_with_whom(world):
    page = (
        _client(world.analyst)
        .get(reverse("partners:organisation_detail", args=[world.lead.pk]))
        .content.decode()
    )
    assert "With <a" in page
    assert world.involved.name in page


def test_the_involved_organisations_page_lists_it_led_by_the_lead(world):
    page = (
        _client(world.other_manager)
        .get(reverse("partners:organisation_detail", args=[world.involved.pk]))
        .content.decode()
    )
    assert world.contribution.title in page
    assert (
        f'Led by <a href="{reverse("partners:organisation_detail", args=[world.lead.pk])}"'
        in page
    )
    # Changed from the lead's page only: no edit link here, even for its owner.
    assert (
        reverse("partners:contribution_update", args=[world.contribution.pk])
        not in page
    )
    assert f"led by {world.lead.name}" in page  # the timeline


def test_an_uninvolved_organisations_page_does_not_list_it(world):
    page = (
        _client(world.analyst)
        .get(reverse("partners:organisation_detail", args=[world.uninvolved.pk]))
        .content.decode()
    )
    assert world.contribution.title not in page


def test_the_involved_organisations_history_shows_it_was_added(world):
    page = (
        _client(world.analyst)
        .get(reverse("partners:organisation_history", args=[world.involved.pk]))
        .content.decode()
    )
    assert "created joint support" in page


# --- The portal of each -----------------------------------------------------------


def test_a_partner_of_an_involved_organisation_sees_it_read_only(world):
    client = _client(world.involved_partner)
    support = client.get(reverse("portal:support")).content.decode()
    assert world.contribution.title in support
    assert f"Led by {world.lead.name}" in support
    detail = client.get(
        reverse(
            "portal:contribution_detail",
            kwargs={"contribution_pk": world.contribution.pk},
        )
    )
    assert detail.status_code == 200
    page = detail.content.decode()
    assert f"Led by {world.lead.name}" in page
    # The lead's name and nothing else of it; no form on a read-only page.
    assert world.lead.description not in page
    assert "lead-partner@contact.example" not in page
    assert '<form method="post"' not in page.split("<main", 1)[-1]


def test_a_partner_of_the_lead_sees_with_whom(world):
    page = _client(world.lead_partner).get(reverse("portal:support")).content.decode()
    assert f"With {world.involved.name}" in page
    assert world.involved.description not in page


def test_a_partner_of_an_uninvolved_organisation_does_not_see_it(world):
    client = _client(world.uninvolved_partner)
    assert (
        world.contribution.title
        not in client.get(reverse("portal:support")).content.decode()
    )
    detail = client.get(
        reverse(
            "portal:contribution_detail",
            kwargs={"contribution_pk": world.contribution.pk},
        )
    )
    assert detail.status_code == 404


# --- Admin -------------------------------------------------------------------------


def test_admin_shows_who_works_on_it_and_cannot_add_one(admin_client, world):
    url = reverse("admin:partners_contribution_change", args=[world.contribution.pk])
    page = admin_client.get(url).content.decode()
    assert world.involved.name in page
    add = reverse("admin:partners_contributionparty_add")
    response = admin_client.post(
        add,
        {
            "contribution": world.contribution.pk,
            "organisation": world.supplier.pk,
            "added_at_0": "01/01/2026",
            "added_at_1": "10:00",
        },
    )
    assert response.status_code == 403
    assert world.contribution.parties.count() == 1


# --- Merging ---------------------------------------------------------------------------


def test_merging_an_involved_duplicate_into_the_lead_keeps_the_lead_once(world):
    # Written directly: a duplicate recorded before anyone noticed.
    duplicate = factories.OrganisationFactory(name="Lead Harbour Trust (old record)")
    ContributionParty.objects.create(
        contribution=world.contribution, organisation=duplicate, added_at=timezone.now()
    )
    organisation_merge(source=duplicate, target=world.lead, actor=world.senior)
    assert list(world.contribution.parties.values_list("organisation", flat=True)) == [
        world.involved.pk
    ]


def test_merging_the_lead_into_an_involved_organisation_keeps_it_once(world):
    duplicate_lead = factories.OrganisationFactory(name="Duplicate Lead Record")
    other = factories.ContributionFactory(organisation=duplicate_lead)
    ContributionParty.objects.create(
        contribution=other, organisation=world.involved, added_at=timezone.now()
    )
    organisation_merge(source=duplicate_lead, target=world.involved, actor=world.senior)
    other.refresh_from_db()
    assert other.organisation == world.involved
    assert not other.parties.exists()


def test_merging_moves_a_place_in_joint_support(world):
    duplicate = world.involved
    kept = factories.OrganisationFactory(name="Involved Signal Laboratories")
    organisation_merge(source=duplicate, target=kept, actor=world.senior)
    assert world.contribution.parties.get().organisation == kept


# --- Query budgets -------------------------------------------------------------------


def _add_partners(world, count: int) -> None:
    for n in range(count):
        organisation = factories.OrganisationFactory(name=f"Extra Partner {n}")
        factories.AssociationFactory(
            organisation=organisation, tier=factories.tier("partner")
        )
        contribution_party_add(
            contribution=world.contribution,
            organisation=organisation,
            actor=world.owner,
        )


def _queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_the_pages_showing_joint_support_do_not_grow_with_it(world):
    owner, portal = _client(world.owner), _client(world.involved_partner)
    pages = [
        (owner, reverse("partners:contribution_parties", args=[world.contribution.pk])),
        (owner, reverse("partners:organisation_autocomplete") + "?q=partner"),
        (owner, reverse("partners:organisation_detail", args=[world.involved.pk])),
        (portal, reverse("portal:support")),
        (
            portal,
            reverse(
                "portal:contribution_detail",
                kwargs={"contribution_pk": world.contribution.pk},
            ),
        ),
    ]
    for client, url in pages:
        client.get(url)  # warm the session and caches out of the count
    before = [_queries(client, url) for client, url in pages]
    _add_partners(world, 6)
    after = [_queries(client, url) for client, url in pages]
    assert after == before
    assert max(before) <= 25, before


def test_removing_through_another_contributions_address_is_not_found(world):
    party = world.contribution.parties.get()
    other = factories.ContributionFactory(organisation=world.lead)
    url = reverse("partners:contribution_party_remove", args=[other.pk, party.pk])
    assert _client(world.owner).post(url, {}).status_code == 404
    assert world.contribution.parties.exists()


def test_involving_finds_led_and_joined_support_once_each():
    from partners.joint.selectors import contribution_list_involving
    from partners.models import Contribution

    lead = factories.OrganisationFactory()
    partner = factories.OrganisationFactory()
    own = factories.ContributionFactory(organisation=partner)
    joined = factories.ContributionFactory(organisation=lead)
    ContributionParty.objects.create(
        contribution=joined, organisation=partner, added_at=timezone.now()
    )
    # Led and joined at once (not a state the services allow): listed once.
    both = factories.ContributionFactory(organisation=partner)
    ContributionParty.objects.create(
        contribution=both, organisation=partner, added_at=timezone.now()
    )
    factories.ContributionFactory(organisation=lead)

    found = list(contribution_list_involving(organisation=partner))
    assert sorted(c.pk for c in found) == sorted([own.pk, joined.pk, both.pk])
    assert Contribution.objects.count() == 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_involving_reads_the_two_indexes_not_every_contribution():
    """As on a large table (no sequential scans): the contributions an
    organisation leads and those it joins are found through the foreign keys'
    indexes, as ``lead = x OR id IN (…)`` could not."""
    from partners.joint.selectors import contribution_list_involving

    partner = factories.OrganisationFactory()
    queryset = contribution_list_involving(organisation=partner)
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan" not in plan, plan
    # Not a filter of every row against the lead or a subplan of the parties.
    assert "SubPlan" not in plan, plan
    assert "partners_contribution_organisation_id" in plan, plan
    assert "partners_contributionparty_organisation_id" in plan, plan
