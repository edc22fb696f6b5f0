"""Person search: every place, shown where it is, read through indexes."""

import json

import pytest
from django.db import connection, transaction
from django.urls import reverse

from ceop_crm.privacy.management.commands.bench_privacy import plan_full_scans
from ceop_crm.privacy.models import ReadLogEntry
from ceop_crm.privacy.selectors import (
    PersonQuery,
    person_search,
    person_search_queryset,
)
from ceop_crm.privacy.sources import personal_data_sources
from tests.privacy.conftest import (
    ADDRESS_ONLY_PLACES,
    EMAIL,
    NAME,
    OLD_NAME,
    PLACES,
    signed_in,
)

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the indexes are PostgreSQL's"
)


def _places(matches, *, history: bool) -> set[str]:
    return {m.source.key for m in matches if m.is_history == history}


def test_search_by_name_finds_every_place_and_its_versions(person):
    matches = person_search(query=PersonQuery.of(name="quarrendon", exact=False))
    assert _places(matches, history=False) == PLACES - ADDRESS_ONLY_PLACES
    assert {
        "contact",
        "proposal_sender",
        "ownership_level",
        "mou_signatory",
    } <= _places(matches, history=True)
    contact = next(m for m in matches if m.source.key == "contact" and not m.is_history)
    assert (contact.object_id, contact.organisation_id) == (
        person.contact.pk,
        person.world.organisation.pk,
    )
    assert contact.person == NAME
    assert contact.address == EMAIL


def test_search_by_email_matches_exactly_and_whatever_the_case(person):
    matches = person_search(query=PersonQuery.of(email=EMAIL.upper(), exact=False))
    assert "contact" in _places(matches, history=False)
    assert "email" in _places(matches, history=False)
    # Her refusal and her two opt-outs, not those of the other address.
    address_only = [m for m in matches if m.source.key in ADDRESS_ONLY_PLACES]
    assert sorted(m.source.key for m in address_only) == [
        "address_opt_out",
        "address_opt_out",
        "email_bounce",
    ]
    assert {m.address for m in address_only} == {EMAIL}
    assert (
        person_search(
            query=PersonQuery.of(email="philippa@northwind.example", exact=False)
        )
        == []
    )


def test_an_old_name_is_found_only_in_the_history(person):
    matches = person_search(query=PersonQuery.of(name=OLD_NAME, exact=False))
    assert {m.source.key for m in matches if m.is_history} == {"contact"}
    assert not [m for m in matches if m.source.key == "contact" and not m.is_history]


def test_the_search_page_shows_where_each_match_is_and_logs_the_search(person, dpo):
    client = signed_in(dpo)
    page = client.get(reverse("privacy:search"), {"name": "Quarrendon"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Historical versions" in html
    assert "MoU signatory" in html
    # The organisation is named; not linked, as its page refuses this role.
    organisation = person.world.organisation
    assert organisation.name in html
    assert organisation_url(organisation) not in html
    assert client.get(organisation_url(organisation)).status_code == 403
    entry = ReadLogEntry.objects.get(kind=ReadLogEntry.Kind.PERSON_SEARCH, user=dpo)
    assert entry.query == "Quarrendon"


def organisation_url(organisation) -> str:
    return reverse("partners:organisation_detail", args=[organisation.pk])


def test_the_search_page_says_what_is_missing(dpo):
    client = signed_in(dpo)
    page = client.get(reverse("privacy:search"), {"name": "Al", "email": ""})
    assert "at least three letters" in page.content.decode()
    assert not ReadLogEntry.objects.exists()


def test_search_is_one_query(person, django_assert_max_num_queries):
    query = PersonQuery.of(name=NAME, email=EMAIL, exact=False)
    with django_assert_max_num_queries(1):
        person_search(query=query)


@postgres_only
def test_every_branch_of_the_search_can_use_an_index(person):
    """With sequential scans priced out, any table still scanned has no index the
    search can use (on real data the planner scans only tables that are tiny)."""
    query = PersonQuery.of(name=NAME, email=EMAIL, exact=False)
    with transaction.atomic(), connection.cursor() as cursor:
        # Only bitmap scans left, and a bitmap scan needs an index condition:
        # a table the search cannot read through an index is scanned anyway.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = person_search_queryset(query=query).explain(format="json")
    full = plan_full_scans(json.loads(plan))
    assert full == [], "\n".join(full)


@postgres_only
def test_every_declared_field_has_its_search_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE indexname LIKE 'privacy_%%'"
        )
        indexes = cursor.fetchall()
    for source in personal_data_sources():
        tables = [source.model._meta.db_table]
        if source.history_model is not None:
            tables.append(source.history_model._meta.db_table)
        for table in tables:
            for field in (
                *source.name_fields,
                *source.email_fields,
                *source.text_fields,
            ):
                column = source.model._meta.get_field(field).column
                assert any(
                    (t == table and f"upper(({column})" in d.replace('"', "").lower())
                    or (t == table and f"upper({column}" in d.replace('"', "").lower())
                    for t, d in indexes
                ), (table, column)
