"""Query budgets: the key pages run a fixed number of SQL queries at 10 and 200
organisations (the same ceiling at both sizes)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from planning.models import Review
from tests.clients import VerifiedClient
from tests.workspace_world import build_many, build_world

pytestmark = pytest.mark.django_db

# The ceilings hold at every size; they are not raised for more data. Each
# page's count includes one query for the second factor (django-otp loads the
# session's verified device).
# One of them reads "My tasks" (activities), one the levels' codes for the
# links from the levels-by-sector plot to its lists (partners/click_through.py).
DASHBOARD_QUERIES = 23
# The organisation list reads the person's saved views of it (ceop_crm/lists):
# one query; the bulk actions' managers are the owner filter's choices.
LIST_QUERIES = 10 + 1
# The page also logs the contacts it shows: two inserts (ceop_crm/privacy).
# And its activities panel: the activities, the open tasks and the quick
# form's list of managers (tests/activities/test_views.py counts it with rows).
# Joint support: the organisations working on its contributions (one query);
# contacts' refused addresses, shown to those who run it (one query).
DETAIL_QUERIES = 17 + 2 + 3 + 1 + 1
# One query per audited model (joint support's included).
HISTORY_QUERIES = 17
# The Annual Review report reads what was delivered of each recognition benefit;
# the MoUs, contacts and Annual Review reports read the ids behind their rows
# for the rows' links (partners/click_through.py), one query. The MoU page reads
# its first rows one query per state, five in all, each from an index
# (partners/downloads/sources.py); the Annual Review's, one per recognised level.
REPORT_QUERIES = 10 + 4


def _signed_in(user) -> Client:
    client = VerifiedClient()
    client.force_login(user)
    client.get("/")  # warm the session and the role cache out of the count
    return client


@pytest.fixture(params=[10, 200], ids=["10-orgs", "200-orgs"])
def data(request, manager, senior_manager):
    organisations = build_many(count=request.param, owner=manager)
    world = build_world(owner=manager)
    return {"count": request.param, "organisations": organisations, "world": world}


def test_dashboard_query_count_does_not_grow(
    data, manager, senior_manager, django_assert_max_num_queries
):
    for user in (manager, senior_manager):
        client = _signed_in(user)
        for scope in ("mine", "all"):
            cache.clear()  # count the plots' queries too, not a cached copy
            with django_assert_max_num_queries(DASHBOARD_QUERIES):
                response = client.get("/", {"scope": scope})
            assert response.status_code == 200
    assert response.context["proposals_count"] == data["count"] + 1


def test_organisation_list_query_count_does_not_grow(
    data, manager, django_assert_max_num_queries
):
    client = _signed_in(manager)
    url = reverse("partners:organisation_list")
    for query in (
        {},
        {"sort": "tier"},
        {"sort": "next_review", "tier": "partner", "mou": "in_force"},
        {"tier": "partner", "mou": "ending", "overdue": "true"},
        {"at_risk": "true", "sort": "next_review"},
        {"q": "Organisation", "sector": "industry", "owner": manager.pk},
        {"priority_area": data["world"].priority_area.pk, "page": "2"},
    ):
        with django_assert_max_num_queries(LIST_QUERIES):
            response = client.get(url, query)
        assert response.status_code == 200, query
    full = client.get(url)
    assert full.context["page"].paginator.count == data["count"] + 1


def test_organisation_list_sorted_by_next_review_pages_in_due_order(data, manager):
    client = _signed_in(manager)
    url = reverse("partners:organisation_list")
    seen, number, last = [], 0, 1
    while number < min(last, 2):
        number += 1
        response = client.get(url, {"sort": "next_review", "page": number})
        page = response.context["page"]
        assert page.number == number
        last = page.paginator.num_pages
        seen.extend(page.object_list)
    assert len(seen) == min(data["count"] + 1, 50)
    dues = [o.next_review_due for o in seen]
    dated = [d for d in dues if d is not None]
    assert dated == sorted(dated)
    assert dues[: len(dated)] == dated  # no review due sorts last
    assert len({o.pk for o in seen}) == len(seen)
    # The page's rows still carry the list's annotations.
    assert all(hasattr(o, "tier_name") and hasattr(o, "overdue_reviews") for o in seen)
    assert response.context["page"].paginator.count == data["count"] + 1


def test_organisation_detail_query_count_does_not_grow(
    data, manager, django_assert_max_num_queries
):
    client = _signed_in(manager)
    for organisation in (data["world"].organisation, data["organisations"][0]):
        url = reverse("partners:organisation_detail", args=[organisation.pk])
        with django_assert_max_num_queries(DETAIL_QUERIES):
            response = client.get(url)
        assert response.status_code == 200
        assert response.context["organisation"].pk == organisation.pk


def test_organisation_history_query_count_does_not_grow(
    data, manager, django_assert_max_num_queries
):
    client = _signed_in(manager)
    for organisation in (data["world"].organisation, data["organisations"][0]):
        url = reverse("partners:organisation_history", args=[organisation.pk])
        with django_assert_max_num_queries(HISTORY_QUERIES):
            fragment = client.get(url, headers={"HX-Request": "true"})
        assert fragment.status_code == 200
        assert fragment.context["history"]
        assert b"<html" not in fragment.content
        page = client.get(url)
        assert b"<html" in page.content
        assert organisation.name.encode() in page.content


def test_dashboard_plots_are_shared_for_a_minute(
    data, manager, django_assert_max_num_queries
):
    client = _signed_in(manager)
    cache.clear()
    with django_assert_max_num_queries(DASHBOARD_QUERIES) as first:
        client.get("/")
    with django_assert_max_num_queries(DASHBOARD_QUERIES - 8) as second:
        client.get("/")
    assert len(second.captured_queries) < len(first.captured_queries)


# The lists people work with (ceop_crm/lists) read the person's saved views
# (one query) and, for an editor, the managers their "add a task" offers (one);
# the review and proposal lists also read the choices of the filters a report's
# figures link with (planning years; priority areas): one query each. The
# review list reads the levels and planning years of its page apart (two).
OTHER_LISTS = {
    "planning:review_list": ({"show": "all"}, 7 + 2 + 1 + 2),
    "partners:proposal_list": ({"status": "all"}, 8 + 1 + 1),
    "partners:issue_list": ({"show": "all"}, 7),
    "tiers:tier_change_list": ({"status": "all"}, 7 + 1),
    "priorities:priority_area_list": ({}, 7),
    "workspace:report_list": ({}, 5),
}


@pytest.mark.parametrize("name", list(OTHER_LISTS))
def test_other_list_pages_query_count_does_not_grow(
    name, data, manager, django_assert_max_num_queries
):
    query, ceiling = OTHER_LISTS[name]
    client = _signed_in(manager)
    with django_assert_max_num_queries(ceiling):
        response = client.get(reverse(name), query)
    assert response.status_code == 200


def test_the_review_list_joins_few_tables_per_statement(data, manager):
    """Nine tables joined cost PostgreSQL more to plan (choosing their order)
    than to read a page of reviews: the small ones are read apart."""
    client = _signed_in(manager)
    with CaptureQueriesContext(connection) as page:
        response = client.get(reverse("planning:review_list"), {"show": "all"})
    assert response.status_code == 200
    reviews = [
        q["sql"] for q in page.captured_queries if 'FROM "planning_review"' in q["sql"]
    ]
    assert reviews
    assert max(sql.count(" JOIN ") + 1 for sql in reviews) <= 6


def test_ones_own_reviews_are_counted_from_the_owner_and_deputy_ids(
    data, manager, senior_manager
):
    """The review list's count of one's own reviews reads the organisations one
    owns or deputises for as two id subqueries (their indexes), not by joining
    the organisations' table; the figure is the same."""
    from partners.models import Organisation

    deputised = data["organisations"][1]
    Organisation.objects.filter(pk=deputised.pk).update(
        owner=senior_manager, deputy=manager
    )
    client = _signed_in(manager)
    for show in ("all", "due", "overdue"):
        with CaptureQueriesContext(connection) as page:
            response = client.get(
                reverse("planning:review_list"), {"show": show, "scope": "mine"}
            )
        counts = [
            q["sql"]
            for q in page.captured_queries
            if q["sql"].startswith("SELECT COUNT(*)") and "planning_review" in q["sql"]
        ]
        assert len(counts) == 1, counts
        assert 'JOIN "partners_organisation"' not in counts[0], counts[0]
        assert 'U0."deputy_id" =' in counts[0], counts[0]
        mine = Review.objects.filter(
            Q(organisation__owner=manager) | Q(organisation__deputy=manager)
        )
        if show == "overdue":
            mine = mine.filter(status="scheduled", due_on__lt=timezone.localdate())
        if show in ("all", "overdue"):
            assert response.context["page"].paginator.count == mine.count()
        assert response.context["page"].paginator.count <= mine.count()


@pytest.mark.parametrize(
    "slug",
    ["partners-by-tier", "reviews", "mous", "priority-coverage", "annual-review"],
)
def test_report_pages_query_count_does_not_grow(
    slug, data, analyst, django_assert_max_num_queries
):
    client = _signed_in(analyst)
    with django_assert_max_num_queries(REPORT_QUERIES):
        page = client.get(reverse("workspace:report", args=[slug]))
    assert page.status_code == 200
    with django_assert_max_num_queries(REPORT_QUERIES):
        download = client.get(reverse("workspace:report_download", args=[slug, "csv"]))
    assert download.status_code == 200


# The lists people work with (ceop_crm/lists), sorted and with chosen columns,
# and their exports (streamed CSV, write-only XLSX): the same ceiling at 10 and
# 200 rows. An export reads its rows in chunks of 2,000 (one query each, two
# for the organisation list sorted by next review: ids, then rows).
WORK_LISTS = {
    "partners:organisation_list": (
        {"sort": "next_review", "cols": ["name", "tier", "owner", "next_review"]},
        LIST_QUERIES,
        LIST_QUERIES,
    ),
    "planning:review_list": (
        {"show": "all", "scope": "all", "sort": "owner"},
        OTHER_LISTS["planning:review_list"][1],
        # the planning years the filter offers; the levels and years of each
        # chunk of rows
        7 + 1 + 2,
    ),
    "tiers:tier_change_list": (
        {"status": "all", "sort": "to_level"},
        OTHER_LISTS["tiers:tier_change_list"][1],
        7,
    ),
    "partners:proposal_list": (
        {"status": "all", "sort": "organisation", "cols": ["title", "serves"]},
        OTHER_LISTS["partners:proposal_list"][1],
        8 + 1,  # the priority areas the filter offers
    ),
}


def _tier_moves(organisations, actor) -> int:
    """A move to end each association (the organisations with one)."""
    from django.utils import timezone as tz

    from ceop_crm.exceptions import ApplicationError
    from tiers.services import tier_change_request

    asked = 0
    for organisation in organisations:
        try:
            tier_change_request(
                organisation=organisation,
                to_tier=None,
                effective_date=tz.localdate(),
                reason="Ending",
                evidence={},
                actor=actor,
            )
        except ApplicationError:
            continue
        asked += 1
    return asked


@pytest.mark.parametrize("name", list(WORK_LISTS))
def test_work_lists_and_their_exports_query_count_does_not_grow(
    name, data, manager, django_assert_max_num_queries
):
    query, page_ceiling, export_ceiling = WORK_LISTS[name]
    if name == "tiers:tier_change_list":
        assert _tier_moves(data["organisations"], manager) >= data["count"] // 2
    client = _signed_in(manager)
    url = reverse(name)
    with django_assert_max_num_queries(page_ceiling):
        page = client.get(url, query)
    assert page.status_code == 200
    assert len(page.context["rows"]) == min(page.context["page"].paginator.count, 25)
    assert page.context["page"].paginator.count >= data["count"] // 2
    for fmt in ("csv", "xlsx"):
        with django_assert_max_num_queries(export_ceiling):
            response = client.get(url, {**query, "format": fmt})
            body = b"".join(response.streaming_content)
        assert response.status_code == 200
        assert body
