"""The admin at 100,000 rows: every registered ModelAdmin is walked, so a new
one that forgets a rule fails here.

- no full ``COUNT(*)`` on a change list (``show_full_result_count`` off, an
  estimated count on PostgreSQL);
- every foreign key through an autocomplete, whose target admin can search;
- every search field served by an index (checked in PostgreSQL's catalogue);
- 50 rows a page and no navigation sidebar listing every model;
- no ``date_hierarchy``, no filter that reads the distinct values of a table,
  related filters only over reference tables;
- query budgets for the change lists of organisations, contacts, reviews and
  reminders at 10 and 200 rows.
"""

import re

import pytest
from django.contrib import admin
from django.contrib.admin.filters import AllValuesFieldListFilter
from django.contrib.admin.utils import get_fields_from_path
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ceop_crm import admin_scale
from ceop_crm.admin_scale import (
    EstimatedCountPaginator,
    LargeTableAdminMixin,
    foreign_key_names,
)
from partners.models import Contact, Organisation
from planning.models import Reminder, Review
from tests import factories
from tests.workspace_world import build_world

pytestmark = pytest.mark.django_db

ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
IDS = [model._meta.label for model, _ in ADMINS]
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)"
)

# Tables that hold reference data, not rows that grow with the organisations:
# a filter may list theirs.
REFERENCE_MODELS = {
    "auth.group",
    "planning.planningyear",
    "priorities.objective",
    "priorities.principle",
    "priorities.priorityarea",
    "tiers.tierlevel",
}


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=IDS)
def test_every_change_list_avoids_full_counts_and_date_scans(model, model_admin):
    assert isinstance(model_admin, LargeTableAdminMixin)
    assert model_admin.show_full_result_count is False
    assert issubclass(model_admin.paginator, EstimatedCountPaginator)
    assert model_admin.date_hierarchy is None
    # A page of rows costs Python, not SQL: 50 a page, not Django's 100.
    assert model_admin.list_per_page <= 50


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=IDS)
def test_every_foreign_key_is_an_autocomplete_on_a_searchable_admin(model, model_admin):
    for name in foreign_key_names(model):
        assert name in model_admin.autocomplete_fields, name
        target = model._meta.get_field(name).related_model
        assert admin.site.is_registered(target), name
        assert admin.site.get_model_admin(target).search_fields, name


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=IDS)
def test_no_filter_reads_a_whole_table(model, model_admin, rf, admin_user):
    request = rf.get("/")
    request.user = admin_user
    for item in model_admin.get_list_filter(request):
        if not isinstance(item, str | tuple):
            continue  # a SimpleListFilter lists fixed or reference values
        path = item if isinstance(item, str) else item[0]
        field = get_fields_from_path(model, path)[-1]
        if isinstance(item, tuple):
            assert item[1] is not AllValuesFieldListFilter, path
            continue
        if field.is_relation:
            assert field.related_model._meta.label_lower in REFERENCE_MODELS, path
        else:
            # A field without choices lists its distinct values: a full scan.
            assert field.choices or field.get_internal_type() in {
                "BooleanField",
                "DateField",
                "DateTimeField",
            }, path


def _index_definitions() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'"
        )
        found: dict[str, list[str]] = {}
        for table, definition in cursor.fetchall():
            # "USING gin (upper((name)::text) gin_trgm_ops)" -> comparable text
            found.setdefault(table, []).append(
                re.sub(r"[\s()\"]", "", definition).lower()
            )
        return found


@on_postgresql
def test_every_search_field_has_an_index_that_serves_its_lookup():
    indexes = _index_definitions()
    missing = []
    for model, model_admin in ADMINS:
        for search in model_admin.search_fields:
            assert search[:1] != "@", f"{model.__name__}: full-text search"
            path = search.lstrip("=^")
            field = get_fields_from_path(model, path)[-1]
            column, table = field.column, field.model._meta.db_table
            # A text column's index reads upper(col), a varchar's upper(col::text).
            trigram = re.compile(rf"usingginupper{column}(::text)?gin_trgm_ops$")
            exact = re.compile(rf"usingbtreeupper{column}(::text)?$")
            served = [
                d
                for d in indexes.get(table, [])
                if trigram.search(d) or (search[:1] == "=" and exact.search(d))
            ]
            if not served:
                missing.append(f"{model.__name__}.{search} ({table}.{column})")
    assert not missing, ", ".join(missing)


@on_postgresql
def test_a_search_on_a_large_table_uses_its_trigram_index(admin_client):
    organisation_admin = admin.site.get_model_admin(Organisation)
    queryset, _ = organisation_admin.get_search_results(
        None, Organisation.objects.all(), "harbour"
    )
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # As on a large table: no full scan of the table or of an index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "admin_trgm_partners_organisation_name" in plan, plan


@on_postgresql
def test_large_lists_are_counted_from_the_statistics(monkeypatch):
    for n in range(30):
        factories.ContactFactory(organisation__name=f"Counted Trust {n}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE partners_organisation")
        cursor.execute("ANALYZE partners_contact")
    # Rows added since the statistics: an estimate does not see them.
    for n in range(10):
        factories.ContactFactory(organisation__name=f"Counted Later {n}")
    monkeypatch.setattr(admin_scale, "EXACT_BELOW", 10)
    # The whole table: PostgreSQL's statistics of it, in one statement.
    everything = Contact.objects.all()
    with CaptureQueriesContext(connection) as queries:
        estimate = EstimatedCountPaginator(everything, 20).count
    assert estimate == pytest.approx(30, abs=2)
    assert everything.count() == 40
    assert len(queries) == 1
    assert "reltuples" in queries[0]["sql"]

    # A filtered list (organisations leave out merged ones): the planner's
    # estimate, in one statement.
    filtered = Organisation.objects.filter(name__startswith="Counted")
    with CaptureQueriesContext(connection) as queries:
        assert EstimatedCountPaginator(filtered, 20).count >= 0
    assert len(queries) == 1
    assert "ceop_list_count" in queries[0]["sql"]


@on_postgresql
def test_small_lists_are_counted_exactly_in_the_same_one_statement():
    for n in range(3):
        factories.OrganisationFactory(name=f"Small Trust {n}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE partners_organisation")
    factories.OrganisationFactory(name="Small Trust 3")
    for listed in (
        Organisation.objects.all(),
        Organisation.objects.filter(name__startswith="Small"),
    ):
        with CaptureQueriesContext(connection) as queries:
            count = EstimatedCountPaginator(listed, 20).count
        assert count == listed.count() == Organisation.objects.count()
        assert len(queries) == 1


def test_small_lists_and_sqlite_are_counted_exactly():
    for n in range(3):
        factories.OrganisationFactory(name=f"Exact Trust {n}")
    assert EstimatedCountPaginator(Organisation.objects.all(), 20).count == 3


def _bulk(size: int, manager) -> None:
    """At least ``size`` organisations, contacts, reviews and reminders (written in
    bulk: the change lists are measured here, not the rules)."""
    from partners.dedupe.normalise import name_key
    from tiers.models import Association

    if not Review.objects.exists():
        build_world(owner=manager)
    milestone = Review.objects.first().milestone
    missing = size - Review.objects.count()
    if missing <= 0:
        return
    first = Organisation.objects.count()
    names = [f"Bulk Trust {first + i}" for i in range(missing)]
    orgs = Organisation.objects.bulk_create(
        [Organisation(name=n, name_key=name_key(n), owner=manager) for n in names]
    )
    Contact.objects.bulk_create(
        [Contact(organisation=o, name=f"Contact of {o.name}") for o in orgs]
    )
    associations = Association.objects.bulk_create(
        [
            Association(
                organisation=o, tier=factories.tier("partner"), start=milestone.date
            )
            for o in orgs
        ]
    )
    Review.objects.bulk_create(
        [
            Review(
                organisation=a.organisation,
                association=a,
                milestone=milestone,
                due_on=milestone.date,
            )
            for a in associations
        ]
    )
    Reminder.objects.bulk_create(
        [
            Reminder(
                recipient=manager,
                step=Reminder.Step.values[0],
                subject_type="review",
                subject_id=o.pk,
                title=f"Review of {o.name}",
            )
            for o in orgs
        ]
    )


# Queries of each page: the session, the user, the second factor, the list's
# reference filters, the count (on PostgreSQL one statement, estimated from
# EXACT_BELOW rows and exact below: the same number of queries at every size)
# and the page. Not the singleton email settings: only the list of every model
# for the sidebar, which is not built, read them.
CHANGE_LISTS = [
    (Organisation, 6),
    (Contact, 5),
    (Review, 7),
    (Reminder, 5),
]


@pytest.mark.parametrize(
    ("model", "budget"), CHANGE_LISTS, ids=[m._meta.label for m, _ in CHANGE_LISTS]
)
def test_change_list_query_budget_at_10_and_200_rows(
    model, budget, admin_client, manager, django_assert_num_queries
):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    counts = []
    for size in (10, 200):
        _bulk(size, manager)
        admin_client.get(url)  # warm the per-process caches
        with (
            CaptureQueriesContext(connection) as queries,
            django_assert_num_queries(budget),
        ):
            response = admin_client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
        # One count of the list at most; never a second, unfiltered one.
        assert sum("COUNT(" in q["sql"].upper() for q in queries) <= 1
    assert counts[0] == counts[1]


def test_a_search_with_quotes_and_wildcards_is_counted_as_listed(admin_client):
    """The filtered list's statement is handed to the database as text: what
    was typed stays a value, quoted as any parameter is."""
    factories.OrganisationFactory(name="O'Brien % Partners")
    factories.OrganisationFactory(name="O'Brien Global Partners")
    url = reverse("admin:partners_organisation_changelist")
    response = admin_client.get(url, {"q": "O'Brien %"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert "O&#x27;Brien % Partners" in response.content.decode()


def test_the_admin_has_no_navigation_sidebar():
    """The sidebar listed every model (28 KB) on every admin page, a quarter of a
    change list's time; the index and breadcrumbs lead between lists."""
    assert admin.site.enable_nav_sidebar is False


def test_pages_skip_the_sidebars_list_of_apps_but_the_index_lists_them(admin_client):
    """Django builds each page's ``available_apps`` (every model with its
    permissions) for the sidebar alone; without a sidebar it is not built. The
    index and an app's page still list theirs."""
    change_list = admin_client.get(reverse("admin:partners_organisation_changelist"))
    index = admin_client.get(reverse("admin:index"))
    app_index = admin_client.get(
        reverse("admin:app_list", kwargs={"app_label": "partners"})
    )

    assert change_list.status_code == 200
    assert change_list.context["available_apps"] == []
    labels = {app["app_label"] for app in index.context["app_list"]}
    assert {"partners", "planning", "tiers"} <= labels
    assert [app["app_label"] for app in app_index.context["app_list"]] == ["partners"]
    assert "Organisations" in index.content.decode()
