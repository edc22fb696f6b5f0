"""The organisation list's search: what it finds, and that it reads indexes, not tables."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from partners.models import Organisation
from partners.selectors import organisation_search_condition
from partners.selectors import organisations as organisation_selectors
from tests import factories
from tests.clients import VerifiedClient

pytestmark = pytest.mark.django_db


def organisation_search(*, queryset, text: str):
    """The queryset filtered as the organisation list's search filters it."""
    condition = organisation_search_condition(text=text)
    return queryset if condition is None else queryset.filter(condition)


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


def _plan(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_the_search_reads_the_trigram_indexes_once_then_the_primary_key(
    organisations,
):
    """As on a large table (no sequential scans): the organisations named so and
    the contacts are found through their trigram indexes on UPPER(…), in one
    query, and no table is read whole, as ``name LIKE … OR EXISTS (contact …)``
    had to. Those organisations are then put in name order, and the list reads
    them by id from the primary key."""
    with CaptureQueriesContext(connection) as found:
        queryset = organisation_search(
            queryset=Organisation.objects.all(), text="harbour"
        )
    # The union of matches, then those organisations in name order by id.
    assert len(found.captured_queries) == 2
    matches, in_order = (q["sql"] for q in found.captured_queries)
    assert "UNION" in matches
    assert "= ANY(" in in_order
    assert "UNION" not in in_order
    plan = _plan(matches, None)
    assert "Seq Scan" not in plan, plan
    for index in (
        "admin_trgm_partners_organisation_name",
        "privacy_trgm_partners_contact_name",
        "partners_contact_email_trgm",
    ):
        assert index in plan, plan

    sql, params = queryset.query.sql_with_params()
    assert "= ANY(" in sql
    plan = _plan(sql, params)
    assert "partners_organisation_pkey" in plan, plan
    assert "UNION" not in sql


def test_a_search_matching_more_than_the_cap_stays_a_subquery(
    organisations, monkeypatch
):
    """Past SEARCH_IDS_AT_MOST matches the ids are not carried in the query:
    the same organisations are found through the union as a subquery."""
    expected = sorted(o.pk for o in organisations["matching"])
    monkeypatch.setattr(organisation_selectors, "SEARCH_IDS_AT_MOST", 2)

    condition = organisation_search_condition(text="harbour")

    assert isinstance(condition, Q)
    found = Organisation.objects.filter(condition)
    assert sorted(found.values_list("pk", flat=True)) == expected
    assert "UNION" in str(found.query)


def test_the_search_is_none_without_text():
    assert organisation_search_condition(text="   ") is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_the_list_reads_the_matches_once_for_its_count_and_its_page(
    organisations, manager
):
    """The list's count and page both filter by the search: its union is run
    once for the two, not once each."""
    client = VerifiedClient()
    client.force_login(manager)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/organisations/", {"q": "harbour"})
    assert response.status_code == 200
    unions = [q["sql"] for q in captured.captured_queries if "UNION" in q["sql"]]
    assert len(unions) == 1, unions
    assert [o.pk for o in response.context["page"]] == [
        o.pk for o in sorted(organisations["matching"], key=lambda o: o.name)
    ]
    assert response.context["page"].paginator.count == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_the_matches_are_shared_until_a_change_is_committed(
    organisations, django_capture_on_commit_callbacks
):
    """Read once until a change to the organisations or their contacts
    commits (partners.reports.figures)."""
    from django.core.cache import cache, caches

    cache.clear()
    caches["shared"].clear()

    def found() -> list[int]:
        return sorted(
            organisation_search(
                queryset=Organisation.objects.all(), text="harbour"
            ).values_list("pk", flat=True)
        )

    before = found()
    assert before == sorted(o.pk for o in organisations["matching"])
    with django_capture_on_commit_callbacks(execute=False):
        factories.ContactFactory(
            organisation=organisations["other"], name="Harbour Three"
        )
    assert found() == before
    with django_capture_on_commit_callbacks(execute=True):
        factories.ContactFactory(
            organisation=organisations["other"], name="Harbour Four"
        )
    assert found() == sorted([*before, organisations["other"].pk])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_a_list_only_searched_pages_on_its_matches_in_name_order(
    organisations, manager
):
    """Searched and sorted by name, and nothing else: the page is a slice of
    the matches read once in name order, read by id; nothing finds or sorts
    them again. A merged organisation whose contact matches is not listed."""
    from django.core.cache import cache

    from partners.models import Organisation as Org
    from partners.selectors import OrganisationRowsOfIds, organisation_search_ids

    merged = factories.OrganisationFactory(name="Gone Works")
    factories.ContactFactory(organisation=merged, name="Harbour Seven")
    Org.all_objects.filter(pk=merged.pk).update(
        merged_into=organisations["matching"][0]
    )
    expected = [
        o.pk for o in sorted(organisations["matching"], key=lambda o: (o.name, o.pk))
    ]
    cache.clear()
    assert organisation_search_ids(text="harbour") == expected

    client = VerifiedClient()
    client.force_login(manager)
    client.get("/organisations/", {"q": "harbour"})  # the matches read
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/organisations/", {"q": "harbour"})
    page = response.context["page"]
    assert isinstance(page.paginator.object_list, OrganisationRowsOfIds)
    assert [o.pk for o in page] == expected
    assert page.paginator.count == len(expected)
    sql = [q["sql"] for q in captured.captured_queries]
    assert not [q for q in sql if "UNION" in q]
    [rows] = [q for q in sql if '"partners_organisation"."name_key"' in q]
    assert "= ANY(" in rows
    assert "IN (SELECT" not in rows  # the page's ids are given, not found again


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_a_search_with_another_filter_or_sort_pages_as_before(organisations, manager):
    from partners.selectors import organisation_search_ids

    client = VerifiedClient()
    client.force_login(manager)
    matching = sorted(organisations["matching"], key=lambda o: (o.name, o.pk))
    by_name_desc = client.get("/organisations/", {"q": "harbour", "sort": "-name"})
    assert [o.pk for o in by_name_desc.context["page"]] == [
        o.pk for o in reversed(matching)
    ]
    sector = matching[0].sector
    filtered = client.get("/organisations/", {"q": "harbour", "sector": sector})
    assert [o.pk for o in filtered.context["page"]] == [
        o.pk for o in matching if o.sector == sector
    ]
    assert organisation_search_ids(text="  ") is None


def test_past_the_cap_a_search_has_no_ids_in_order(organisations, monkeypatch):
    from partners.selectors import organisation_search_ids

    monkeypatch.setattr(organisation_selectors, "SEARCH_IDS_AT_MOST", 2)
    assert organisation_search_ids(text="harbour") is None
