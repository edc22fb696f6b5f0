"""The organisation list sorted by next review due: a page in the first date's
group is read from the head of the names; every page in the same order as the
full sort (earliest next review first, none last, then by name)."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from partners.selectors import OrganisationRowsByNextReview, organisation_list
from planning.models import Milestone, MilestoneKind, Review
from tests import factories
from tests.clients import VerifiedClient
from tests.partners.organisation_pages import every_page, page_statements

pytestmark = pytest.mark.django_db

PAGE = 25


@pytest.fixture
def dues():
    """47 organisations: 30 next due in ten days, 8 in forty, 3 with only an
    overdue review, 6 with none; names in no order of their pks. The first 40
    by name hold 26 of the first group, the first 25 hold 16."""
    today = timezone.localdate()
    year = factories.PlanningYearFactory()
    windows = {
        days: Milestone.objects.create(
            planning_year=year,
            kind=MilestoneKind.QUARTERLY_MONITORING,
            name=f"Window {days}",
            date=today + dt.timedelta(days=days),
        )
        for days in (-5, 10, 40)
    }
    plan = [(10, 40)] * 30 + [(40,)] * 8 + [(-5,)] * 3 + [()] * 6
    numbers = list(range(len(plan)))
    random.Random(7).shuffle(numbers)
    for number, days_list in zip(numbers, plan, strict=True):
        organisation = factories.OrganisationFactory(name=f"Dale {number:02d}")
        association = factories.AssociationFactory(organisation=organisation)
        for days in days_list:
            Review.objects.create(
                organisation=organisation,
                association=association,
                milestone=windows[days],
                due_on=today + dt.timedelta(days=days),
            )
    return today


@pytest.fixture
def client(manager):
    client = VerifiedClient()
    client.force_login(manager)
    return client


@pytest.mark.parametrize(
    ("window_min", "per_row"),
    [(500, 20), (40, 1), (1, 1)],
    ids=["whole-window", "part-window", "no-window"],
)
def test_every_page_follows_the_full_sort(
    client, dues, monkeypatch, window_min, per_row
):
    monkeypatch.setattr(OrganisationRowsByNextReview, "WINDOW_MIN", window_min)
    monkeypatch.setattr(OrganisationRowsByNextReview, "WINDOW_PER_ROW", per_row)
    expected = sorted(
        organisation_list(today=dues),
        key=lambda o: (o.next_review_due is None, o.next_review_due, o.name, o.pk),
    )

    rows = every_page(client, {"sort": "next_review"})

    assert [o.pk for o in rows] == [o.pk for o in expected]
    assert [o.next_review_due for o in rows[:30]] == [dues + dt.timedelta(10)] * 30
    assert rows[-1].next_review_due is None
    # Each row still carries the list's figures.
    assert all(hasattr(o, "tier_name") and hasattr(o, "overdue_reviews") for o in rows)


def test_a_filtered_list_pages_in_the_full_sort(client, dues):
    expected = sorted(
        (o for o in organisation_list(today=dues) if o.name.startswith("Dale 1")),
        key=lambda o: (o.next_review_due is None, o.next_review_due, o.name, o.pk),
    )

    rows = every_page(client, {"sort": "next_review", "q": "Dale 1"})

    assert [o.pk for o in rows] == [o.pk for o in expected]


def test_the_first_page_is_read_from_the_head_of_the_names(client, dues):
    """One statement for the first page: the first organisations by name (the
    window, an index scan), those next due on the earliest date among them,
    not every organisation's next review computed and sorted."""
    rows, listed = page_statements(client, {"sort": "next_review"})

    assert len(rows) == PAGE
    assert len(listed) == 1, listed
    window = OrganisationRowsByNextReview.WINDOW_MIN
    assert f"LIMIT {window})" in listed[0], listed[0]
