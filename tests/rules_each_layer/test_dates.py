"""Dates: an end never before its start; days counted in Europe/London."""

import datetime as dt

import pytest
import time_machine

from ceop_crm import mail as outbox
from ceop_crm.exceptions import ApplicationError
from partners import models as pm
from partners.services import (
    contribution_save,
    relationship_issue_raise,
    relationship_issue_resolve,
)
from planning import models as plm
from planning.services import reminders_sweep
from tests import factories
from tests.rules_each_layer.helpers import LONDON, TODAY, refused_by_the_database
from tiers import models as tm
from tiers.services import association_validate

pytestmark = pytest.mark.django_db


def test_an_association_cannot_end_before_it_starts():
    organisation = factories.DueDiligenceFactory().organisation

    with pytest.raises(ApplicationError) as refused:
        association_validate(
            organisation=organisation,
            tier=factories.tier("official-supporter"),
            start=TODAY,
            end=TODAY - dt.timedelta(days=1),
        )
    assert "end" in refused.value.message_dict


def test_a_contribution_cannot_end_before_it_starts(manager):
    contribution = pm.Contribution(
        organisation=factories.OrganisationFactory(),
        kind="expertise",
        title="Advice",
        start=TODAY,
        end=TODAY - dt.timedelta(days=1),
    )

    with pytest.raises(ApplicationError) as refused:
        contribution_save(contribution=contribution, actor=manager)
    assert not pm.Contribution.objects.exists()
    assert "before the start" in str(refused.value)


def test_an_issue_cannot_be_resolved_before_it_was_raised(manager):
    issue = relationship_issue_raise(
        organisation=factories.OrganisationFactory(),
        title="Late replies",
        actor=manager,
        raised_on=TODAY,
    )

    with pytest.raises(ApplicationError):
        relationship_issue_resolve(
            issue=issue,
            resolution="Agreed a contact.",
            actor=manager,
            resolved_on=TODAY - dt.timedelta(days=1),
        )


def _end_before_start_writes():
    year = factories.PlanningYearFactory()
    milestone = plm.Milestone.objects.create(
        planning_year=year,
        kind=plm.MilestoneKind.OTHER,
        name="Partnership day",
        date=year.start,
    )
    association = factories.AssociationFactory()
    contribution = factories.ContributionFactory(start=TODAY)
    issue = factories.RelationshipIssueFactory(raised_on=TODAY)
    day_before = TODAY - dt.timedelta(days=1)
    return {
        "association": lambda: tm.Association.objects.filter(pk=association.pk).update(
            end=association.start - dt.timedelta(days=1)
        ),
        "contribution": lambda: pm.Contribution.objects.filter(
            pk=contribution.pk
        ).update(end=day_before),
        "issue": lambda: pm.RelationshipIssue.objects.filter(pk=issue.pk).update(
            resolved_on=day_before
        ),
        "milestone": lambda: plm.Milestone.objects.filter(pk=milestone.pk).update(
            end_date=year.start - dt.timedelta(days=1)
        ),
        "planning year": lambda: plm.PlanningYear.objects.filter(pk=year.pk).update(
            end=year.start
        ),
    }


@pytest.mark.parametrize(
    "what", ["association", "contribution", "issue", "milestone", "planning year"]
)
def test_the_database_refuses_an_end_before_the_start(what):
    refused_by_the_database(_end_before_start_writes()[what])


@pytest.fixture
def _broker_not_paused(monkeypatch):
    monkeypatch.setattr(outbox, "_broker_paused_until", 0.0)


@pytest.mark.usefixtures("_broker_not_paused")
@pytest.mark.parametrize(
    ("clock", "day"),
    [
        # 23:30 on a summer-time day is 22:30 UTC: still that day in London.
        (dt.datetime(2026, 7, 17, 23, 30, tzinfo=LONDON), dt.date(2026, 7, 17)),
        # 00:30 the next morning is 23:30 UTC the day before: the next day in London.
        (dt.datetime(2026, 7, 18, 0, 30, tzinfo=LONDON), dt.date(2026, 7, 18)),
    ],
)
def test_the_sweep_counts_days_in_london(manager, clock, day):
    owner = factories.UserFactory()
    organisation = factories.OrganisationFactory(owner=owner)
    review = plm.Review.objects.create(
        organisation=organisation,
        association=factories.AssociationFactory(organisation=organisation),
        milestone=plm.Milestone.objects.create(
            planning_year=factories.PlanningYearFactory(),
            kind=plm.MilestoneKind.OTHER,
            name="Partnership day",
            date=dt.date(2026, 7, 18),
        ),
        due_on=dt.date(2026, 7, 18),
    )
    with time_machine.travel(clock.astimezone(dt.UTC), tick=False):
        result = reminders_sweep()

    assert result.today == day
    reminder = plm.Reminder.objects.get(
        recipient=owner, subject_type="review", subject_id=review.pk
    )
    expected = (
        plm.Reminder.Step.REVIEW_DUE
        if day == review.due_on
        else plm.Reminder.Step.REVIEW_UPCOMING
    )
    assert reminder.step == expected
