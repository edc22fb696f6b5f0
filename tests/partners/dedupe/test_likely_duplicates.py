"""Duplicate detection: one selector for every place an organisation is created.

Runs on PostgreSQL (trigram similarity over the GIN index) and on the embedded
SQLite default (difflib over a narrowed set); both must find the same ones."""

import pytest
from django.db import connection, transaction
from django.urls import reverse

from partners.dedupe.selectors import (
    NAME_THRESHOLD,
    duplicate_candidates_sql,
    organisation_duplicate_pairs,
    organisation_likely_duplicates,
)
from partners.models import Organisation, Proposal
from tests import factories

pytestmark = pytest.mark.django_db


def _names(found) -> list[str]:
    return [d.organisation.name for d in found]


@pytest.fixture
def harbour():
    return factories.OrganisationFactory(
        name="Harbour Trust", website="https://www.harbourtrust.org.uk/"
    )


@pytest.mark.parametrize(
    "name",
    [
        "harbour trust",
        "Harbour Trust Ltd",
        "Harbour Trust Limited",
        "The Harbour Trust plc",
        "HARBOUR-TRUST.",
        "Наrbоur Trust",  # Cyrillic capital en and small o
        "Harbour\u200b Trust",  # zero-width space
        "Hárbour Trust",
    ],
)
def test_the_same_name_written_differently_is_a_duplicate(harbour, name):
    found = organisation_likely_duplicates(name=name)
    assert _names(found) == ["Harbour Trust"]
    assert found[0].score == 1.0
    assert "same name" in found[0].reasons[0]


@pytest.mark.parametrize(
    "name", ["Harbor Trust", "Harbour Trusts", "Harbour Trust Foundation"]
)
def test_a_similar_name_is_a_likely_duplicate(harbour, name):
    found = organisation_likely_duplicates(name=name)
    assert _names(found) == ["Harbour Trust"]
    assert 0 < found[0].score < 1
    assert found[0].reasons[0].startswith("similar name")


@pytest.mark.parametrize("name", ["Hallam Foundation", "Beacon Ltd", "Trust", "Ha"])
def test_a_different_name_is_not(harbour, name):
    assert organisation_likely_duplicates(name=name) == []


def test_the_website_domain_matches_whatever_the_name(harbour):
    found = organisation_likely_duplicates(
        name="HT Group", website="http://harbourtrust.org.uk/contact"
    )
    assert _names(found) == ["Harbour Trust"]
    assert found[0].reasons == ["same website domain (harbourtrust.org.uk)"]


def test_an_email_domain_matches_the_website_unless_it_is_free_mail(harbour):
    found = organisation_likely_duplicates(
        name="HT Group", email="ann@harbourtrust.org.uk"
    )
    assert found[0].reasons == ["email domain is its website's (harbourtrust.org.uk)"]
    factories.OrganisationFactory(name="Mail Org", website="https://gmail.com")
    assert organisation_likely_duplicates(name="HT Group", email="ann@gmail.com") == []


def test_merged_records_and_the_organisation_itself_are_never_offered(
    harbour, senior_manager
):
    twin = factories.OrganisationFactory(name="Harbor Trust")
    assert _names(
        organisation_likely_duplicates(name="Harbour Trust", exclude_pk=harbour.pk)
    ) == ["Harbor Trust"]
    from partners.dedupe.merge import organisation_merge

    organisation_merge(source=twin, target=harbour, actor=senior_manager)
    assert (
        organisation_likely_duplicates(name="Harbor Trust", exclude_pk=harbour.pk) == []
    )


def test_the_check_uses_the_trigram_index_on_postgresql(harbour):
    if connection.vendor != "postgresql":
        pytest.skip("the trigram index exists on PostgreSQL only")
    factories.OrganisationFactory.create_batch(50)
    sql, params = duplicate_candidates_sql(
        [("harbortrust", {"harbortrust.org.uk"}, None)], 5
    )
    with transaction.atomic(), connection.cursor() as cursor:
        # A table this small is read whole; the benchmark shows the plan at scale.
        # Here it is read through the indexes, the name's and the domain's.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(r[0] for r in cursor.fetchall())
    assert "Bitmap Index Scan on partners_organisation_name_key_trgm" in plan
    assert "Bitmap Index Scan on organisation_domain" in plan


def test_the_connection_asks_the_trigram_index_for_what_counts_as_alike():
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm is on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('pg_trgm.similarity_threshold')")
        assert float(cursor.fetchone()[0]) == NAME_THRESHOLD


def test_new_names_go_into_the_trigram_index_not_a_pending_list():
    if connection.vendor != "postgresql":
        pytest.skip("the trigram index exists on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reloptions FROM pg_class "
            "WHERE relname = 'partners_organisation_name_key_trgm'"
        )
        assert "fastupdate=off" in cursor.fetchone()[0]


def test_the_possible_duplicates_list_pairs_similar_names_and_shared_domains(harbour):
    factories.OrganisationFactory(name="Harbor Trust")
    factories.OrganisationFactory(name="Beacon", website="https://beacon.example")
    factories.OrganisationFactory(
        name="Lighthouse", website="https://www.beacon.example/x"
    )
    factories.OrganisationFactory(name="Unrelated Academy")
    pairs = {
        (p.first.name, p.second.name): p.reason for p in organisation_duplicate_pairs()
    }
    assert set(pairs) == {("Harbour Trust", "Harbor Trust"), ("Beacon", "Lighthouse")}
    assert pairs[("Beacon", "Lighthouse")] == "same website domain (beacon.example)"


# --- Where organisations are created ------------------------------------------


def test_the_workspace_form_warns_of_likely_duplicates_until_acknowledged(
    client, manager, harbour
):
    client.force_login(manager)
    url = reverse("partners:organisation_create")
    data = {
        "name": "Harbor Trust",
        "sector": "voluntary",
        "status": "prospect",
        "country": "United Kingdom",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert not Organisation.objects.filter(name="Harbor Trust").exists()
    page = response.content.decode()
    assert "Likely duplicates" in page
    assert "Harbour Trust" in page
    assert "tick this box if it is another organisation" in page
    response = client.post(url, {**data, "acknowledge_duplicates": "on"})
    assert response.status_code == 302
    assert Organisation.objects.filter(name="Harbor Trust").exists()


def test_the_workspace_form_refuses_the_same_normalised_name(client, manager, harbour):
    client.force_login(manager)
    response = client.post(
        reverse("partners:organisation_create"),
        {
            "name": "harbour trust ltd",
            "sector": "voluntary",
            "status": "prospect",
            "country": "United Kingdom",
            "acknowledge_duplicates": "on",
        },
    )
    assert response.status_code == 200
    assert "“Harbour Trust” already exists" in response.content.decode()
    assert Organisation.objects.count() == 1


def test_triage_of_an_approach_lists_its_likely_duplicates(
    client, senior_manager, harbour
):
    newcomer = factories.OrganisationFactory(name="Harbour Trust UK Branch")
    proposal = factories.ProposalFactory(
        organisation=newcomer,
        source=Proposal.Source.PUBLIC,
        contact_email="jo@harbourtrust.org.uk",
    )
    client.force_login(senior_manager)
    page = client.get(
        reverse("partners:proposal_detail", args=[proposal.pk])
    ).content.decode()
    assert "Likely duplicates" in page
    assert reverse("partners:organisation_detail", args=[harbour.pk]) in page
    merge = (
        reverse("partners:organisation_merge", args=[newcomer.pk])
        + f"?into={harbour.pk}"
    )
    assert merge in page


def test_triage_of_an_approach_from_a_known_partner_lists_none(
    client, senior_manager, harbour
):
    proposal = factories.ProposalFactory(
        organisation=harbour, source=Proposal.Source.PORTAL
    )
    harbour.status = Organisation.Status.ACTIVE
    harbour.save()
    client.force_login(senior_manager)
    page = client.get(
        reverse("partners:proposal_detail", args=[proposal.pk])
    ).content.decode()
    assert "Likely duplicates" not in page
