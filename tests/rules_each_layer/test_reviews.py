"""Reviews: a cancelled one keeps its reason; one live review per window."""

import pytest

from planning import models as plm
from planning.services import reviews_schedule
from tests.rules_each_layer.helpers import (
    TODAY,
    _official_supporter,
    refused_by_the_database,
)
from tiers.services import association_end

pytestmark = pytest.mark.django_db


def test_reviews_cancelled_when_an_association_ends_keep_their_reason(manager):
    organisation = _official_supporter(manager)
    association = organisation.associations.get()

    association_end(association=association, end=TODAY, reason="Ended.", actor=None)

    cancelled = plm.Review.objects.filter(
        organisation=organisation, status=plm.Review.Status.CANCELLED
    )
    assert cancelled.exists()
    assert all(review.cancelled_reason for review in cancelled)


def test_the_database_refuses_a_cancelled_review_without_its_reason(manager):
    review = plm.Review.objects.filter(
        organisation=_official_supporter(manager)
    ).first()

    refused_by_the_database(
        lambda: plm.Review.objects.filter(pk=review.pk).update(
            status=plm.Review.Status.CANCELLED, cancelled_reason=""
        )
    )


def test_scheduling_twice_keeps_one_live_review_per_window(manager):
    organisation = _official_supporter(manager)
    before = plm.Review.objects.filter(organisation=organisation).count()

    reviews_schedule(organisation_ids=[organisation.pk])
    reviews_schedule()

    live = plm.Review.objects.filter(organisation=organisation).exclude(
        status=plm.Review.Status.CANCELLED
    )
    assert live.count() == before > 0
    windows = list(live.values_list("milestone_id", flat=True))
    assert len(windows) == len(set(windows))


def test_the_database_refuses_a_second_live_review_of_a_window(manager):
    review = plm.Review.objects.filter(
        organisation=_official_supporter(manager)
    ).first()

    refused_by_the_database(
        lambda: plm.Review.objects.create(
            organisation=review.organisation,
            association=review.association,
            milestone=review.milestone,
            due_on=review.due_on,
        )
    )
