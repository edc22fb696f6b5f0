"""The organisation list's search: what it finds, and that it reads indexes, not tables."""

import pytest
from django.db import connection

from partners.models import Organisation
from partners.selectors import organisation_search
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisations():
    by_name = factories.OrganisationFactory(name="Harbourline Data Ltd")
    by_contact = factories.OrganisationFactory(name="Kestrel Labs")
    factories.ContactFactory(organisation=by_contact, name="Ada Harbour")
    by_email = factories.OrganisationFactory(name="Tansy Networks")
    factories.ContactFactory(
        organisation=by_email, name="Ben Lee", email="ben@harbourmail.example"
    )
    factories.ContactFactory(organisation=by_email, name="Harbour Two")
    other = factories.OrganisationFactory(name="Wren Digital")
    factories.ContactFactory(organisation=other, name="Cara Moor")
    return {"matching": [by_name, by_contact, by_email], "other": other}


def test_the_search_finds_names_contact_names_and_emails_once_each(organisations):
    found = organisation_search(queryset=Organisation.objects.all(), text=" HARBOUR ")

    assert sorted(found.values_list("pk", flat=True)) == sorted(
        o.pk for o in organisations["matching"]
    )
    assert (
        organisation_search(queryset=Organisation.objects.all(), text="").count()
        == len(organisations["matching"]) + 1
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_the_search_reads_the_trigram_indexes_not_the_tables(organisations):
    """As on a large table (no sequential scans): the organisations named so and
    the contacts are found through their trigram indexes on UPPER(…), and no
    table is read whole, as ``name LIKE … OR EXISTS (contact …)`` had to."""
    queryset = organisation_search(queryset=Organisation.objects.all(), text="harbour")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Seq Scan" not in plan, plan
    for index in (
        "admin_trgm_partners_organisation_name",
        "privacy_trgm_partners_contact_name",
        "partners_contact_email_trgm",
    ):
        assert index in plan, plan
