"""The dashboard's short list of reviews due: the right reviews, two joins only."""

import datetime as dt

import pytest

from planning.models import Milestone, MilestoneKind, Review
from planning.selectors import review_list_due, review_list_due_brief
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 28)


@pytest.fixture
def reviews(manager, senior_manager):
    year = factories.PlanningYearFactory()

    def window(name: str, day: dt.date) -> Milestone:
        return Milestone.objects.create(
            planning_year=year,
            kind=MilestoneKind.QUARTERLY_MONITORING,
            name=name,
            date=day,
        )

    review = factories.review

    mine = factories.OrganisationFactory(name="Mine Ltd", owner=manager)
    deputised = factories.OrganisationFactory(
        name="Deputised Ltd", owner=senior_manager, deputy=manager
    )
    other = factories.OrganisationFactory(name="Other Ltd", owner=senior_manager)
    q2 = window("Q2 window", dt.date(2026, 9, 30))
    q3 = window("Q3 window", dt.date(2026, 11, 30))
    q4 = window("Q4 window", dt.date(2026, 12, 31))
    return {
        "overdue": review(mine, q2, dt.date(2026, 10, 15)),
        "due": review(deputised, q3, dt.date(2026, 11, 30)),
        "others": review(other, q3, dt.date(2026, 11, 29)),
        "later": review(mine, q4, dt.date(2026, 12, 1)),
        "done": review(
            deputised,
            q2,
            dt.date(2026, 10, 1),
            status=Review.Status.COMPLETED,
            completed_on=dt.date(2026, 10, 1),
        ),
    }


def test_brief_list_holds_the_same_reviews_as_the_full_one(manager, reviews):
    for mine in (True, False):
        brief = review_list_due_brief(today=TODAY, user=manager, mine=mine)
        full = review_list_due(today=TODAY, user=manager, mine=mine)
        assert list(brief) == list(full)
    mine = review_list_due_brief(today=TODAY, user=manager, mine=True)
    assert list(mine) == [reviews["overdue"], reviews["due"]]


def test_brief_list_reads_names_and_dates_in_one_query(
    manager, reviews, django_assert_num_queries
):
    with django_assert_num_queries(1) as captured:
        rows = [
            (r.organisation.name, r.milestone.name, r.due_on)
            for r in review_list_due_brief(today=TODAY, user=manager, mine=True)
        ]
    assert rows == [
        ("Mine Ltd", "Q2 window", dt.date(2026, 10, 15)),
        ("Deputised Ltd", "Q3 window", dt.date(2026, 11, 30)),
    ]
    sql = captured.captured_queries[0]["sql"]
    assert sql.count(" JOIN ") == 2
