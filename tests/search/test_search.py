"""Global search: kinds, ranking, misspellings, former names, scope, roles."""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from activities import services as activity_services
from ceop_crm.privacy.models import ReadLogEntry
from ceop_crm.search.selectors import global_search
from tests import factories
from tests.clients import VerifiedClient

pytestmark = pytest.mark.django_db


def signed_in(user) -> VerifiedClient:
    client = VerifiedClient()
    client.force_login(user)
    return client


def labels(groups, kind):
    return [h.label for g in groups if g.kind == kind for h in g.hits]


@pytest.fixture
def world(manager):
    harbour = factories.OrganisationFactory(name="Harbour Trust", owner=manager)
    factories.OrganisationFactory(name="Harbour Trust Foundation for Young People")
    factories.OrganisationFactory(name="Lighthouse Harbour Services")
    factories.OrganisationFactory(name="Northwind Safety")
    factories.ContactFactory(organisation=harbour, name="Priya Harbourne")
    factories.MoUFactory(organisation=harbour, title="Harbour Trust MoU 2026")
    factories.RelationshipIssueFactory(organisation=harbour, title="Harbour data late")
    activity_services.activity_record(
        actor=manager,
        organisation=harbour,
        kind="call",
        occurred_at=timezone.now(),
        summary="Harbour referrals agreed with their safeguarding lead",
    )
    return harbour


def test_results_grouped_by_kind(manager, world):
    groups = global_search(user=manager, text="harbour")
    kinds = [g.kind for g in groups]
    assert kinds[0] == "Organisations"
    assert {"Organisations", "Contacts", "MoUs", "Issues", "Activities"} <= set(kinds)


def test_as_you_type_a_prefix_matches(manager, world):
    assert "Harbour Trust" in labels(
        global_search(user=manager, text="harb tru"), "Organisations"
    )


def test_closest_name_ranks_first(manager, world):
    names = labels(global_search(user=manager, text="harbour trust"), "Organisations")
    assert names[0] == "Harbour Trust"
    assert "Lighthouse Harbour Services" not in names


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram matching is PostgreSQL's"
)
def test_misspelt_name_is_found_by_trigram(manager, world):
    names = labels(global_search(user=manager, text="Harbor Trst"), "Organisations")
    assert names[0] == "Harbour Trust"


def test_former_name_after_a_merge_leads_to_the_organisation_kept(
    senior_manager, world
):
    from partners.dedupe.merge import organisation_merge

    duplicate = factories.OrganisationFactory(name="Quayside Child Online Trust")
    organisation_merge(target=world, source=duplicate, actor=senior_manager)
    groups = global_search(user=senior_manager, text="quayside")
    hits = [h for g in groups if g.kind == "Organisations" for h in g.hits]
    assert [(h.label, h.detail) for h in hits] == [
        ("Harbour Trust", "Formerly Quayside Child Online Trust")
    ]


def test_too_short_a_query_returns_nothing(manager, world):
    assert global_search(user=manager, text="h") == []


def test_punctuation_is_not_syntax(manager, world):
    assert global_search(user=manager, text="harbour & | ! :* ('") != []


def test_partner_user_sees_only_their_organisation_and_no_activities(
    partner_user, world
):
    mine = partner_user.portal_membership.organisation
    mine.name = "Harbour Partner Ltd"
    mine.save()
    groups = global_search(user=partner_user, text="harbour")
    assert labels(groups, "Organisations") == ["Harbour Partner Ltd"]
    assert labels(groups, "Activities") == []
    assert labels(groups, "MoUs") == []


def test_partner_user_cannot_open_the_search(partner_user, world):
    assert signed_in(partner_user).get("/search/", {"q": "harbour"}).status_code == 403


@pytest.mark.parametrize("role", ["manager", "senior_manager", "analyst"])
def test_every_staff_role_searches_everything_the_workspace_shows(role, request, world):
    user = request.getfixturevalue(role)
    response = signed_in(user).get("/search/", {"q": "harbour"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="listbox"' in body
    assert 'role="option"' in body
    assert reverse("partners:organisation_detail", args=[world.pk]) in body


def test_search_page_without_javascript(manager, world):
    response = signed_in(manager).get("/search/", {"q": "harbour"})
    assert response.status_code == 200
    assert "<h2" in response.content.decode()


def test_contacts_shown_are_logged_as_read(manager, world):
    signed_in(manager).get("/search/", {"q": "priya"}, HTTP_HX_REQUEST="true")
    entry = ReadLogEntry.objects.get(kind=ReadLogEntry.Kind.CONTACT_LIST)
    assert entry.what == "Global search results"


def test_merged_record_itself_is_not_listed(senior_manager, world):
    from partners.dedupe.merge import organisation_merge

    duplicate = factories.OrganisationFactory(name="Harbour Trust Ltd Old")
    organisation_merge(target=world, source=duplicate, actor=senior_manager)
    names = labels(global_search(user=senior_manager, text="harbour"), "Organisations")
    assert "Harbour Trust Ltd Old" not in names


@pytest.mark.parametrize("rows", [10, 200])
def test_search_query_budget(rows, manager, django_assert_max_num_queries):
    factories.OrganisationFactory.create_batch(
        rows, name=factories.factory.Sequence(lambda n: f"Harbour {n} Trust")
    )
    client = signed_in(manager)
    client.get("/")
    # On PostgreSQL the organisations' query runs with a lower trigram
    # threshold than the connection's (SET LOCAL in a savepoint: two more).
    budget = 14 if connection.vendor == "postgresql" else 12
    with django_assert_max_num_queries(budget):
        response = client.get("/search/", {"q": "harbour"}, HTTP_HX_REQUEST="true")
    assert response.content.decode().count('role="option"') == 5


def test_full_text_indexes_match_the_selectors_expressions():
    from ceop_crm.search import vectors

    migration = __import__(
        "ceop_crm.search.migrations.0001_full_text_indexes", fromlist=["FULL_TEXT"]
    )
    assert migration.FULL_TEXT == vectors.FULL_TEXT


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL indexes")
def test_full_text_index_is_used(manager, world):
    from ceop_crm.search.selectors import _prefix_query
    from ceop_crm.search.vectors import vector
    from partners.models import Organisation

    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        # A btree walk of the names (with the match as a filter) ties with
        # the full-text index on a handful of rows; only the index can match.
        cursor.execute("SET enable_indexscan = off")
        query = (
            Organisation.objects.annotate(_v=vector("name"))
            .filter(_v=_prefix_query(["harb"]))
            .values("pk")
        )
        sql, params = query.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
        cursor.execute("SET enable_indexscan = on")
    assert "search_organisation_name_fts" in plan
