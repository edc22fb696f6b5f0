"""The dashboard's headline figures of one's own organisations: counted as the
cards define them (owner or deputy), and read from indexes, not the
organisations' table."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partners.models import Organisation
from partners.selectors import mou_list_ending, relationship_issue_list
from planning.models import Milestone, MilestoneKind, Review
from planning.selectors import review_list_due_brief
from tests import factories
from tests.clients import VerifiedClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(manager, senior_manager):
    """Organisations owned, deputised and someone else's, each with a review
    overdue and one due today, an MoU ending soon and an open issue."""
    today = timezone.localdate()
    year = factories.PlanningYearFactory()
    windows = [
        Milestone.objects.create(
            planning_year=year,
            kind=MilestoneKind.QUARTERLY_MONITORING,
            name=f"Window {n}",
            date=today,
        )
        for n in range(2)
    ]
    people = [
        {"owner": manager},
        {"owner": manager},
        {"owner": senior_manager, "deputy": manager},
        {"owner": senior_manager},
        {"owner": None, "deputy": manager},
        {"owner": None},
    ]
    for n, who in enumerate(people):
        organisation = factories.OrganisationFactory(name=f"Org {n}", **who)
        association = factories.AssociationFactory(organisation=organisation)
        for window, due in zip(
            windows, (today - dt.timedelta(days=10), today), strict=True
        ):
            Review.objects.create(
                organisation=organisation,
                association=association,
                milestone=window,
                due_on=due,
            )
        factories.MoUFactory(organisation=organisation, end=today + dt.timedelta(30))
        factories.RelationshipIssueFactory(organisation=organisation)
    return today


def _dashboard(user, **params):
    client = VerifiedClient()
    client.force_login(user)
    return client.get("/", params)


def test_the_figures_count_the_organisations_owned_and_deputised(world, manager):
    today = world
    mine = Q(organisation__owner=manager) | Q(organisation__deputy=manager)
    due = review_list_due_brief(today=today)
    expected = {
        "my_count": Organisation.objects.filter(
            Q(owner=manager) | Q(deputy=manager)
        ).count(),
        "reviews_count": due.filter(mine).count(),
        "overdue_count": due.filter(mine, due_on__lt=today).count(),
        "mous_count": mou_list_ending(today=today).filter(mine).count(),
        "issues_count": relationship_issue_list(open_only=True).filter(mine).count(),
    }
    assert expected == {
        "my_count": 4,
        "reviews_count": 8,
        "overdue_count": 4,
        "mous_count": 4,
        "issues_count": 4,
    }

    response = _dashboard(manager)

    assert response.context["scope"] == "mine"
    assert {key: response.context[key] for key in expected} == expected


def test_everyones_figures_count_every_organisation(world, manager):
    response = _dashboard(manager, scope="all")

    assert response.context["reviews_count"] == 12
    assert response.context["overdue_count"] == 6
    assert response.context["mous_count"] == 6
    assert response.context["issues_count"] == 6


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_the_figures_read_ones_organisations_from_indexes_alone(world, manager):
    """As on a large table: the owned and the deputised organisations are read
    from organisation_owner_then_id and organisation_deputy_then_id alone, never
    from the table (``owner = u OR deputy = u`` read 28,000 rows of it at
    100,000 organisations, once per figure)."""
    client = VerifiedClient()
    client.force_login(manager)
    client.get("/")
    cache.clear()  # the figures shared between requests read afresh
    with CaptureQueriesContext(connection) as captured:
        client.get("/")
    [sql] = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith("SELECT (SELECT COUNT(*)")
        and "organisation_id" in q["sql"]
    ]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        # On a handful of rows, not vacuumed, an index scan of the table ties
        # with an index-only one; which of the two wins depends on what earlier
        # tests left in the catalogue. Only the index-only read is left.
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Index Only Scan using organisation_owner_then_id" in plan, plan
    assert "Index Only Scan using organisation_deputy_then_id" in plan, plan
    # The proposals waiting, counted from proposal_status_created_id alone.
    assert "Index Only Scan using proposal_status_created_id" in plan, plan
    # The organisations' table is read only for the few at risk.
    from_table = [
        line
        for line in plan.splitlines()
        if " on partners_organisation " in line and "Index Only Scan" not in line
    ]
    assert len(from_table) <= 1, plan


def _dashboard_plan(manager, starts: str, *settings: str) -> str:
    """The plan of the dashboard's statement that starts so, under settings
    that stand for a large table."""
    client = VerifiedClient()
    client.force_login(manager)
    client.get("/")
    cache.clear()  # the cards' rows shared between requests read afresh
    with CaptureQueriesContext(connection) as captured:
        client.get("/")
    [sql] = [q["sql"] for q in captured.captured_queries if q["sql"].startswith(starts)]
    with connection.cursor() as cursor:
        for setting in settings:
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_the_issues_card_reads_its_first_rows_in_order_from_an_index(world, manager):
    """The open issues card takes the first of the open issues in its order from
    issue_open_by_escalation, stopping at a page of one's own; sorting every open
    issue with its organisation took 29 ms at 100,000 organisations."""
    plan = _dashboard_plan(
        manager,
        'SELECT "partners_relationshipissue"."id"',
        "enable_seqscan",
        "enable_bitmapscan",
        "enable_sort",
    )

    assert "issue_open_by_escalation" in plan, plan
    assert "Sort Key" not in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_the_mous_card_reads_only_the_renewals(world, manager):
    """Whether an MoU ending soon has a renewal is read from the MoUs that renew
    another (the index on renewal_of, from its first non-null entry), not from
    every MoU: a hash of all of them took 12 ms at 100,000 organisations."""
    plan = _dashboard_plan(
        manager, 'SELECT "partners_mou"."id"', "enable_seqscan", "enable_bitmapscan"
    )

    assert "renewal_of_id IS NOT NULL" in plan, plan
