"""Each rule of the strategy broken on purpose, at each layer.

For every rule, a test through the service (it fails when the service's check is
removed) and, where a database constraint backs the rule, a separate test that
writes around the service with the plain ORM and expects the database to refuse.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse

from ceop_crm import mail as outbox
from ceop_crm.exceptions import ApplicationError
from partners import models as pm
from partners.selectors import due_diligence_current
from partners.services import (
    contribution_save,
    due_diligence_decide,
    due_diligence_record,
    relationship_issue_raise,
    relationship_issue_resolve,
)
from partners.templatetags.workspace import tier_badge
from planning import models as plm
from planning.services import reminders_sweep, reviews_schedule
from priorities.models import Principle
from tests import factories
from tiers import models as tm
from tiers.services import (
    association_end,
    association_start,
    association_validate,
    benefit_delivery_record,
    tier_change_approve,
    tier_change_request,
)

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
TODAY = factories.TODAY


def refused_by_the_database(write) -> None:
    """The write, around every service, is refused by a constraint."""
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


# --- Due diligence: only approved counts; approved needs an expiry --------------------


def test_a_rejected_assessment_with_an_expiry_is_not_current():
    rejected = factories.DueDiligenceFactory(outcome=pm.DueDiligence.Outcome.REJECTED)

    assert rejected.expires_on > TODAY
    assert due_diligence_current(organisation=rejected.organisation, on=TODAY) is None


def test_an_association_cannot_rest_on_rejected_due_diligence():
    rejected = factories.DueDiligenceFactory(outcome=pm.DueDiligence.Outcome.REJECTED)

    with pytest.raises(ApplicationError, match="approved due diligence"):
        association_validate(
            organisation=rejected.organisation,
            tier=factories.tier("official-supporter"),
            start=TODAY,
        )


def test_approving_due_diligence_without_an_expiry_is_refused(manager):
    organisation = factories.OrganisationFactory()
    findings = {p.pk: (True, "Met.") for p in Principle.objects.all()}
    due_diligence = due_diligence_record(
        organisation=organisation,
        assessed_on=TODAY,
        child_protection=pm.DueDiligence.ChildProtection.IN_PLACE,
        brand_risk=pm.DueDiligence.BrandRisk.LOW,
        findings=findings,
        actor=manager,
    )

    with pytest.raises(ApplicationError) as refused:
        due_diligence_decide(
            due_diligence=due_diligence,
            outcome=pm.DueDiligence.Outcome.APPROVED,
            actor=manager,
        )
    assert "expires_on" in refused.value.message_dict


def test_the_database_refuses_approved_due_diligence_without_an_expiry():
    pending = factories.DueDiligenceFactory(
        outcome=pm.DueDiligence.Outcome.PENDING, expires_on=None
    )

    refused_by_the_database(
        lambda: pm.DueDiligence.objects.filter(pk=pending.pk).update(
            outcome=pm.DueDiligence.Outcome.APPROVED
        )
    )


# --- Suppliers: no benefits, no MoU requirement, never called an association ---------


def test_a_supplier_gets_no_benefit(manager):
    association = factories.AssociationFactory(tier=factories.tier("supplier"))
    benefit = factories.tier("official-supporter").benefits.first()

    with pytest.raises(ApplicationError, match="receives no benefits"):
        benefit_delivery_record(
            organisation=association.organisation,
            benefit=benefit,
            delivered_on=TODAY,
            actor=manager,
        )


@pytest.mark.parametrize("field", ["benefits_allowed", "requires_mou"])
def test_the_database_refuses_a_supplier_level_with_benefits_or_an_mou(field):
    refused_by_the_database(
        lambda: tm.TierLevel.objects.filter(code="supplier").update(**{field: True})
    )


def test_the_staff_level_badge_says_a_supplier_is_not_an_association():
    supplier = factories.tier("supplier")
    partner = factories.tier("partner")

    assert "(not an association)" in tier_badge(supplier.code, supplier.name)
    assert "not an association" not in tier_badge(partner.code, partner.name)


# --- Reviews: a cancelled one keeps its reason; one live review per window -----------


def _official_supporter(manager) -> pm.Organisation:
    organisation = factories.DueDiligenceFactory().organisation
    association_start(
        organisation=organisation,
        tier=factories.tier("official-supporter"),
        start=TODAY,
        actor=manager,
    )
    return organisation


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


# --- Benefits: none after the association ended ------------------------------------


def test_no_benefit_is_recorded_after_the_association_ended(manager):
    organisation = _official_supporter(manager)
    association = organisation.associations.get()
    benefit = association.tier.benefits.first()
    with time_machine.travel(dt.datetime(2027, 6, 1, 12, tzinfo=LONDON), tick=False):
        association_end(
            association=association,
            end=dt.date(2027, 1, 31),
            reason="Ended.",
            actor=None,
        )

        with pytest.raises(ApplicationError, match="no level of association"):
            benefit_delivery_record(
                organisation=organisation,
                benefit=benefit,
                delivered_on=dt.date(2027, 2, 1),
                actor=manager,
            )
        # The last day of the association still counts.
        benefit_delivery_record(
            organisation=organisation,
            benefit=benefit,
            delivered_on=dt.date(2027, 1, 31),
            actor=manager,
        )


# --- An end never before its start ----------------------------------------------------


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


# --- Dates in Europe/London ----------------------------------------------------------


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


# --- History ----------------------------------------------------------------------------


def _requested_move(manager) -> tm.TierChange:
    organisation = _official_supporter(manager)
    partner = factories.tier("partner")
    factories.MoUFactory(organisation=organisation)
    return tier_change_request(
        organisation=organisation,
        to_tier=partner,
        effective_date=TODAY,
        reason="Delivers a Centre Plan objective.",
        evidence={c.pk: "Shown in the review." for c in partner.characteristics.all()},
        actor=manager,
    )


def test_the_approver_is_recorded_on_a_tier_decision(manager, senior_manager):
    change = _requested_move(manager)

    tier_change_approve(tier_change=change, actor=senior_manager)

    change.refresh_from_db()
    assert change.decided_by == senior_manager
    assert change.history.latest().history_user == senior_manager
    resulting = change.resulting_association
    assert resulting.history.earliest().history_user == senior_manager


def test_the_reviews_the_scheduler_creates_have_history(manager):
    organisation = _official_supporter(manager)

    reviews = plm.Review.objects.filter(organisation=organisation)
    assert reviews.exists()
    for review in reviews:
        assert review.history.filter(history_type="+").exists()


def test_a_web_request_records_its_user_on_what_it_changes_by_the_middleware(
    client, manager, senior_manager
):
    change = _requested_move(manager)
    client.force_login(senior_manager)

    response = client.post(
        reverse("tiers:tier_change_approve", args=[change.pk]),
        {"decision_reason": "Agreed."},
    )

    assert response.status_code == 302
    # The rescheduled reviews are written in bulk by the scheduler, which is
    # given no actor: their history user comes from the request.
    created = plm.Review.history.filter(
        organisation_id=change.organisation_id,
        association_id=change.organisation.associations.get(end__isnull=True).pk,
        history_type="+",
    )
    assert created.exists()
    assert set(created.values_list("history_user", flat=True)) == {senior_manager.pk}


# --- A reminder once per person, subject and step, on every database -----------------


def test_the_database_refuses_a_second_reminder_of_the_same_step():
    user = factories.UserFactory()

    def remind():
        return plm.Reminder.objects.create(
            recipient=user,
            step=plm.Reminder.Step.REVIEW_DUE,
            subject_type="review",
            subject_id=1,
            title="Review due",
        )

    remind()
    refused_by_the_database(remind)


def test_the_sweep_inserts_a_reminder_recorded_already_as_nothing():
    from planning.services.reminders import REMINDER_COLUMNS, _insert_ignoring_conflicts

    user = factories.UserFactory()
    row = (
        user.pk,
        plm.Reminder.Step.REVIEW_DUE,
        "review",
        1,
        "Review due",
        "",
        "/",
        None,
        dt.datetime(2026, 7, 1, tzinfo=dt.UTC),
        0,
        "",
        "email",
    )

    first = _insert_ignoring_conflicts(plm.Reminder, REMINDER_COLUMNS, [row, row])
    again = _insert_ignoring_conflicts(plm.Reminder, REMINDER_COLUMNS, [row])

    assert len(first) == 1
    assert again == []
    assert plm.Reminder.objects.count() == 1


# --- A page that queues mail neither retries the broker nor waits --------------------


def test_publishing_is_never_retried_and_an_outage_pauses_it(monkeypatch, settings):
    # A broker on a closed port: the connection is refused at once.
    from celery import Celery

    monkeypatch.setattr(outbox, "_broker_paused_until", 0.0)
    # Not the current app: the rest of the suite keeps publishing to its own.
    app = Celery("broker-down", broker="redis://127.0.0.1:9/0", set_as_current=False)
    app.conf.broker_connection_timeout = settings.CELERY_BROKER_CONNECTION_TIMEOUT
    app.conf.broker_connection_retry = False
    attempts = []

    @app.task(name="broker-down.noop")
    def noop():
        return None

    publish = noop.apply_async

    def recorded(*args, **kwargs):
        attempts.append(kwargs)
        return publish(*args, **kwargs)

    monkeypatch.setattr(noop, "apply_async", recorded)

    assert outbox.task_enqueue(noop) is False
    assert outbox.task_enqueue(noop) is False  # paused: not tried again

    assert [a.get("retry") for a in attempts] == [False]
    assert outbox._broker_paused_until > 0
    assert settings.CELERY_BROKER_CONNECTION_TIMEOUT <= 2
