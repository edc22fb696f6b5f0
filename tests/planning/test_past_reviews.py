"""Reviews held before the system (imports), and windows already reviewed."""

import datetime as dt

import pytest
import time_machine

from ceop_crm.exceptions import ApplicationError
from planning.models import Milestone, MilestoneKind, Review
from planning.services import (
    planning_years_ensure,
    review_record_past,
    reviews_schedule,
)
from tests import factories
from tests.factories import TODAY, tier

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC), tick=False):
        yield


def _record(association, on, actor, recommendation="stay"):
    return review_record_past(
        association=association,
        completed_on=on,
        actor=actor,
        progress="Good progress",
        benefits_to_ceop="Data",
        benefits_to_partner="Recognition",
        recommendation=recommendation,
    )


def test_a_past_review_falls_in_its_window_of_its_planning_year(manager):
    association = factories.AssociationFactory(
        tier=tier("partner"), start=dt.date(2024, 4, 1)
    )
    review = _record(association, dt.date(2024, 11, 5), manager)
    assert review.status == Review.Status.COMPLETED
    assert review.milestone.planning_year.label == "2024/25"
    assert review.milestone.date <= dt.date(2024, 11, 5)
    assert review.conducted_by == manager
    # Recording it again finds it.
    assert _record(association, dt.date(2024, 11, 5), manager).pk == review.pk
    with pytest.raises(ApplicationError, match="was completed on 05/11/2024"):
        _record(association, dt.date(2024, 11, 20), manager)


def test_a_supplier_or_a_date_outside_the_association_has_no_review(manager):
    supplier = factories.AssociationFactory(
        tier=tier("supplier"), start=dt.date(2024, 4, 1)
    )
    with pytest.raises(ApplicationError, match="has no reviews"):
        _record(supplier, dt.date(2024, 11, 5), manager)
    partner = factories.AssociationFactory(
        tier=tier("partner"), start=dt.date(2025, 4, 1)
    )
    with pytest.raises(ApplicationError, match="outside the association"):
        _record(partner, dt.date(2024, 11, 5), manager)


def test_a_past_review_needs_a_recommendation(manager):
    association = factories.AssociationFactory(
        tier=tier("partner"), start=dt.date(2024, 4, 1)
    )
    with pytest.raises(ApplicationError, match="Choose a recommendation"):
        _record(association, dt.date(2024, 11, 5), manager, recommendation="")
    assert not Review.objects.filter(status=Review.Status.COMPLETED).exists()


def test_scheduling_again_leaves_a_completed_window_alone(manager):
    years = planning_years_ensure(today=TODAY)
    window = (
        Milestone.objects.filter(
            planning_year__in=years,
            kind=MilestoneKind.QUARTERLY_MONITORING,
            date__lte=TODAY,
        )
        .order_by("-date")
        .first()
    )
    assert window.closes_on > window.date
    day = window.date
    # Recorded within its window: a review recorded after its due date must be
    # dated after it, which would leave the window to the past.
    travel = time_machine.travel(
        dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC), tick=False
    )
    travel.start()
    association = factories.AssociationFactory(
        tier=tier("partner"), start=day - dt.timedelta(days=300)
    )
    reviews_schedule(organisation_ids=[association.organisation_id])
    done = _record(association, day, manager)
    assert done.milestone == window
    # A tier move the day after: the next association wants the same window.
    association.end = day
    association.end_reason = "Moved"
    association.save()
    factories.AssociationFactory(
        organisation=association.organisation,
        tier=tier("strategic-partner"),
        start=day + dt.timedelta(days=1),
    )
    reviews_schedule(organisation_ids=[association.organisation_id])
    done.refresh_from_db()
    assert done.status == Review.Status.COMPLETED
    live = Review.objects.filter(
        organisation=association.organisation, milestone=window
    ).exclude(status=Review.Status.CANCELLED)
    assert list(live) == [done]
    travel.stop()
