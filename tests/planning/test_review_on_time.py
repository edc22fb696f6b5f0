"""Reviews on time: the report's rate counts every review due, and an overdue
review conducted today is never dated back to count as on time."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from ceop_crm.exceptions import ApplicationError
from partners.reports import report_build
from planning.models import Review
from planning.services import review_complete
from tests.planning.scenario import YEAR_START, build_year

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
Q1_DUE = dt.date(2026, 7, 31)


def at(day: dt.date):
    return time_machine.travel(
        dt.datetime.combine(day, dt.time(10), tzinfo=LONDON), tick=False
    )


@pytest.fixture
def year():
    with at(YEAR_START):
        return build_year()


def complete(review, actor, **kwargs):
    return review_complete(
        review=review,
        actor=actor,
        progress="On track.",
        benefits_to_ceop="Expertise.",
        benefits_to_partner="Recognition.",
        recommendation=Review.Recommendation.STAY,
        **kwargs,
    )


def test_an_overdue_review_cannot_be_dated_back_to_count_as_on_time(year):
    review = Review.objects.get(organisation=year.partner, due_on=Q1_DUE)
    with at(Q1_DUE + dt.timedelta(days=10)):
        with pytest.raises(ApplicationError) as refused:
            complete(review, year.manager, completed_on=Q1_DUE)
        assert "completed_on" in refused.value.message_dict

        done = complete(review, year.manager)

    assert done.completed_on == Q1_DUE + dt.timedelta(days=10)


def test_a_review_recorded_by_its_due_date_may_carry_an_earlier_date(year):
    review = Review.objects.get(organisation=year.partner, due_on=Q1_DUE)
    with at(Q1_DUE):
        done = complete(review, year.manager, completed_on=Q1_DUE - dt.timedelta(3))

    assert done.completed_on == Q1_DUE - dt.timedelta(days=3)


def test_the_on_time_rate_counts_every_review_due_not_only_the_completed(year):
    strategic = Review.objects.get(organisation=year.strategic, due_on=Q1_DUE)
    with at(Q1_DUE):
        complete(strategic, year.manager)  # on time; the Partner's stays overdue
    with at(Q1_DUE + dt.timedelta(days=20)):
        report = report_build(slug="reviews", year="2026/27")

    q1 = next(row for row in report.rows if row[0] == "Q1")
    _window, due, on_time, late, overdue, _upcoming, rate = q1
    assert (due, on_time, late, overdue) == (2, 1, 0, 1)
    assert rate == 50
