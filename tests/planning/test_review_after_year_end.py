"""The fourth quarter (January to March) and the Official Supporters' year are
reviewed in the April after the planning year ends, and those reviews stay with
the year they review: the scheduler, the reviews report and the calendar see
them after the year's end."""

import datetime as dt
import importlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps as django_apps

from partners.reports import review_quarter_counts
from planning.models import Milestone, MilestoneTemplate, PlanningYear, Review
from planning.selectors import calendar_events_for_user
from planning.services import planning_year_open, review_complete, reviews_schedule
from tests import factories

pytestmark = pytest.mark.django_db

D = dt.date
YEAR_START = D(2026, 4, 1)
LONDON = ZoneInfo("Europe/London")
MIGRATION = importlib.import_module(
    "planning.migrations.0007_review_each_quarter_in_the_month_after"
)


def _partner(start=YEAR_START):
    return factories.AssociationFactory(tier=factories.tier("partner"), start=start)


def _fourth_quarter(label="2026/27") -> Milestone:
    return Milestone.objects.get(planning_year__label=label, quarter=4)


def test_the_fourth_quarter_review_is_due_in_april_and_belongs_to_the_year_it_reviews():
    partner = _partner()
    supporter = factories.AssociationFactory(
        tier=factories.tier("official-supporter"), start=D(2026, 4, 1)
    )

    reviews_schedule(today=D(2026, 4, 1))

    fourth = Review.objects.get(
        organisation=partner.organisation, milestone=_fourth_quarter()
    )
    assert fourth.milestone.planning_year.label == "2026/27"
    assert fourth.due_on == D(2027, 4, 30)
    annual = Review.objects.get(
        organisation=supporter.organisation, milestone__planning_year__label="2026/27"
    )
    assert annual.milestone.kind == "annual_monitoring"
    assert (annual.milestone.date, annual.due_on) == (D(2027, 4, 1), D(2027, 4, 30))


def test_in_april_the_scheduler_still_moves_the_review_of_the_year_that_ended():
    partner = _partner()
    reviews_schedule(today=D(2026, 4, 1))
    Milestone.objects.filter(pk=_fourth_quarter().pk).update(end_date=D(2027, 4, 20))

    # 2027/28 is the current year now; the 2026/27 window is still open.
    counts = reviews_schedule(today=D(2027, 4, 10))

    review = Review.objects.get(organisation=partner.organisation, milestone__quarter=4,
                                milestone__planning_year__label="2026/27")  # fmt: skip
    assert review.due_on == D(2027, 4, 20)
    assert counts["moved"] == 1


def test_a_window_of_an_ended_year_is_left_alone_once_it_has_closed():
    _partner()
    reviews_schedule(today=D(2026, 4, 1))
    Milestone.objects.filter(pk=_fourth_quarter().pk).update(end_date=D(2027, 4, 20))

    counts = reviews_schedule(today=D(2027, 5, 1))

    assert counts["moved"] == 0
    assert Review.objects.filter(due_on=D(2027, 4, 30)).count() == 1


def test_an_association_started_after_the_year_ended_owes_no_review_of_it():
    planning_year_open(label="2026/27")
    newcomer = _partner(start=D(2027, 4, 2))

    reviews_schedule(today=D(2027, 4, 2))

    assert not Review.objects.filter(
        organisation=newcomer.organisation, milestone__planning_year__label="2026/27"
    ).exists()
    assert (
        Review.objects.filter(
            organisation=newcomer.organisation,
            milestone__planning_year__label="2027/28",
        ).count()
        == 4
    )


def _fourth_quarter_review_after_ending(end: dt.date) -> tuple[Review, object]:
    """A Partner from the year's start whose association ends on the day given;
    its 2026/27 fourth-quarter review after the next day's scheduling."""
    partner = _partner()
    reviews_schedule(today=YEAR_START)
    partner.end = end
    partner.save()
    reviews_schedule(today=end + dt.timedelta(days=1))
    return Review.objects.get(
        organisation=partner.organisation, milestone=_fourth_quarter()
    ), partner


def test_an_association_that_lasted_the_year_still_owes_its_fourth_quarter_review():
    review, partner = _fourth_quarter_review_after_ending(D(2027, 4, 5))

    assert review.status == Review.Status.SCHEDULED
    assert review.association_id == partner.pk


def test_an_association_that_ended_within_the_year_is_not_reviewed_after_it():
    review, _ = _fourth_quarter_review_after_ending(D(2027, 2, 10))

    assert review.status == Review.Status.CANCELLED
    assert review.cancelled_reason == "The association ended on 10/02/2027."


def test_the_reviews_report_counts_the_april_review_in_the_year_it_reviews():
    partner = _partner()
    manager = factories.UserFactory()
    reviews_schedule(today=D(2026, 4, 1))

    in_april = review_quarter_counts(label="2026/27", today=D(2027, 4, 15))
    assert in_april["windows"]["Q4"] == {
        "due": 1, "on_time": 0, "late": 0, "overdue": 0, "upcoming": 1,
    }  # fmt: skip
    in_may = review_quarter_counts(label="2026/27", today=D(2027, 5, 1))
    assert in_may["windows"]["Q4"]["overdue"] == 1

    review = Review.objects.get(
        organisation=partner.organisation, milestone=_fourth_quarter()
    )
    with time_machine.travel(
        dt.datetime(2027, 4, 20, 12, 0, tzinfo=LONDON), tick=False
    ):
        review_complete(
            review=review,
            actor=manager,
            progress="On track.",
            benefits_to_ceop="Expertise.",
            benefits_to_partner="Recognition.",
            recommendation=Review.Recommendation.STAY,
        )
    done = review_quarter_counts(label="2026/27", today=D(2027, 5, 1))
    assert done["windows"]["Q4"] == {
        "due": 1, "on_time": 1, "late": 0, "overdue": 0, "upcoming": 0,
    }  # fmt: skip
    # The next year's report counts only its own fourth quarter, due in 2028.
    assert review_quarter_counts(label="2027/28", today=D(2027, 5, 1))["windows"][
        "Q4"
    ] == {"due": 1, "on_time": 0, "late": 0, "overdue": 0, "upcoming": 1}


def test_the_calendar_shows_the_april_review_of_the_year_that_ended():
    partner = _partner()
    owner = factories.UserFactory()
    partner.organisation.owner = owner
    partner.organisation.save()
    reviews_schedule(today=D(2026, 4, 1))

    events = calendar_events_for_user(user=owner, today=D(2027, 4, 10))

    assert (partner.organisation_id, D(2027, 4, 30)) in {
        (r.organisation_id, r.due_on) for r in events["reviews"]
    }


# --- The data migration for installations with the old default dates ----------


def _old_year(label: str, *, first: int) -> PlanningYear:
    year = PlanningYear.objects.create(
        label=label, start=D(first, 4, 1), end=D(first + 1, 3, 31)
    )
    for kind, quarter in (("quarterly_monitoring", 4), ("annual_monitoring", None)):
        Milestone.objects.create(
            planning_year=year, kind=kind, quarter=quarter, name=kind,
            date=D(first + 1, 3, 1), end_date=D(first + 1, 3, 31),
        )  # fmt: skip
    Milestone.objects.create(
        planning_year=year, kind="quarterly_monitoring", quarter=3, name="Q3",
        date=D(first + 1, 1, 1), end_date=D(first + 1, 1, 31),
    )  # fmt: skip
    return year


def test_the_migration_moves_only_the_old_default_dates_of_years_not_ended():
    MIGRATION.backwards(django_apps, None)
    assert MilestoneTemplate.objects.get(order=7).month == 3
    ended = _old_year("2025/26", first=2025)
    current = _old_year("2026/27", first=2026)
    edited = _old_year("2027/28", first=2027)
    Milestone.objects.filter(planning_year=edited, quarter=4).update(
        date=D(2028, 3, 10)
    )
    partner = _partner()
    review = Review.objects.create(
        organisation=partner.organisation,
        association=partner,
        milestone=Milestone.objects.get(planning_year=current, quarter=4),
        due_on=D(2027, 3, 31),
    )

    with time_machine.travel(
        dt.datetime(2026, 11, 29, 12, 0, tzinfo=LONDON), tick=False
    ):
        MIGRATION.forwards(django_apps, None)

    def window(year, **kw):
        m = Milestone.objects.get(planning_year=year, **kw)
        return m.date, m.end_date

    assert window(current, quarter=4) == (D(2027, 4, 1), D(2027, 4, 30))
    assert window(current, kind="annual_monitoring") == (D(2027, 4, 1), D(2027, 4, 30))
    assert window(current, quarter=3) == (D(2027, 1, 1), D(2027, 1, 31))
    review.refresh_from_db()
    assert review.due_on == D(2027, 4, 30)
    # Edited dates and the years already reviewed keep theirs.
    assert window(edited, quarter=4) == (D(2028, 3, 10), D(2028, 3, 31))
    assert window(edited, kind="annual_monitoring") == (D(2028, 4, 1), D(2028, 4, 30))
    assert window(ended, quarter=4) == (D(2026, 3, 1), D(2026, 3, 31))
    template = MilestoneTemplate.objects.get(order=7)
    assert (template.month, template.end_day, template.in_next_year) == (4, 30, True)

    with time_machine.travel(
        dt.datetime(2026, 11, 29, 12, 0, tzinfo=LONDON), tick=False
    ):
        MIGRATION.backwards(django_apps, None)

    assert window(current, quarter=4) == (D(2027, 3, 1), D(2027, 3, 31))
    review.refresh_from_db()
    assert review.due_on == D(2027, 3, 31)


def test_the_migration_leaves_an_edited_template_alone():
    MIGRATION.backwards(django_apps, None)
    MilestoneTemplate.objects.filter(order=8).update(day=10)

    MIGRATION.forwards(django_apps, None)

    assert MilestoneTemplate.objects.filter(order=8).values_list(
        "month", "day", "in_next_year"
    ).get() == (3, 10, False)
    assert MilestoneTemplate.objects.get(order=7).in_next_year is True
