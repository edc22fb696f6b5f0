"""The review list's number of rows is shared between requests until a change
to what it counts commits (planning.lists.review_listing,
partners.reports.figures): per person for one's own, per view and filters."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from planning.models import Milestone, MilestoneKind, Review
from tests import factories
from tests.clients import VerifiedClient

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_caches")]


@pytest.fixture
def window():
    today = timezone.localdate()
    return Milestone.objects.create(
        planning_year=factories.PlanningYearFactory(),
        kind=MilestoneKind.QUARTERLY_MONITORING,
        name="This window",
        date=today,
    )


def _review(window, org, *, days: int = -3, **fields) -> Review:
    due_on = timezone.localdate() + dt.timedelta(days=days)
    return factories.review(org, window, due_on, **fields)


def _signed_in(user) -> VerifiedClient:
    client = VerifiedClient()
    client.force_login(user)
    return client


def _count(client, **params) -> int:
    page = client.get(reverse("planning:review_list"), params)
    assert page.status_code == 200
    return page.context["page"].paginator.count


def _counted_in(client, **params) -> bool:
    """Whether the request counted the reviews in SQL."""
    with CaptureQueriesContext(connection) as captured:
        _count(client, **params)
    return any("COUNT(" in q["sql"].upper() for q in captured.captured_queries)


def test_the_count_is_shared_until_a_change_is_committed(
    manager, window, django_capture_on_commit_callbacks
):
    client = _signed_in(manager)

    def org():
        return factories.OrganisationFactory(owner=manager)

    _review(window, org())
    assert _count(client, scope="mine", show="overdue") == 1
    assert not _counted_in(client, scope="mine", show="overdue")

    # Written but never committed: the count shared stays.
    with django_capture_on_commit_callbacks(execute=False):
        _review(window, org(), days=-5)
    assert _count(client, scope="mine", show="overdue") == 1

    # Committed: counted afresh.
    with django_capture_on_commit_callbacks(execute=True):
        _review(window, org(), days=-6)
    assert _counted_in(client, scope="mine", show="overdue")
    assert _count(client, scope="mine", show="overdue") == 3


def test_a_completed_review_leaves_the_overdue_count(
    manager, window, django_capture_on_commit_callbacks
):
    client = _signed_in(manager)
    review = _review(window, factories.OrganisationFactory(owner=manager))
    assert _count(client, scope="all", show="overdue") == 1
    with django_capture_on_commit_callbacks(execute=True):
        review.status = Review.Status.COMPLETED
        review.completed_on = timezone.localdate()
        review.save()
    assert _count(client, scope="all", show="overdue") == 0
    assert _count(client, scope="all", show="completed") == 1


def test_ones_own_count_is_each_persons(manager, senior_manager, window):
    _review(window, factories.OrganisationFactory(owner=manager))
    _review(window, factories.OrganisationFactory(owner=manager))
    _review(window, factories.OrganisationFactory(owner=senior_manager))
    assert _count(_signed_in(manager), scope="mine", show="all") == 2
    assert _count(_signed_in(senior_manager), scope="mine", show="all") == 1
    assert _count(_signed_in(senior_manager), scope="all", show="all") == 3


def test_a_new_owner_moves_ones_own_count(
    manager, senior_manager, window, django_capture_on_commit_callbacks
):
    org = factories.OrganisationFactory(owner=senior_manager)
    _review(window, org)
    _review(window, factories.OrganisationFactory(owner=manager))
    client = _signed_in(manager)
    assert _count(client, scope="mine", show="all") == 1
    with django_capture_on_commit_callbacks(execute=True):
        org.owner = manager
        org.save()
    assert _count(client, scope="mine", show="all") == 2


def test_each_view_search_and_filter_has_its_own_count(manager, window):
    client = _signed_in(manager)
    _review(window, factories.OrganisationFactory(owner=manager, name="Alpha Ltd"))
    _review(window, factories.OrganisationFactory(owner=manager, name="Beta Ltd"))
    _review(
        window,
        factories.OrganisationFactory(owner=manager, name="Gamma Ltd"),
        days=10,
    )
    assert _count(client, scope="mine", show="all") == 3
    assert _count(client, scope="mine", show="overdue") == 2
    assert _count(client, scope="mine", show="upcoming") == 1
    assert _count(client, scope="mine", show="all", q="alpha") == 1
    assert _count(client, scope="mine", show="all", outcome="upcoming") == 1
    assert _count(client, scope="mine", show="all", outcome="overdue") == 2
    # The sort is not a filter: the same number, whatever the order.
    assert _count(client, scope="mine", show="all", sort="-due") == 3
