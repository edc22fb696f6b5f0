"""Every list endpoint runs a fixed number of queries: the same at 10 and 200 rows."""

import datetime as dt
import itertools

import pytest
from django.urls import reverse

from ceop_crm.api_urls import router
from planning import models as plm
from planning.services import planning_year_open
from priorities import models as prm
from tests import factories
from tests.api.conftest import token_client
from tiers import models as tm

pytestmark = pytest.mark.django_db

TODAY = factories.TODAY
_serial = itertools.count(1000)


def _associated_organisations(n: int) -> list[tm.Association]:
    return [factories.AssociationFactory() for _ in range(n)]


def make_organisations(n, user):
    _associated_organisations(n)


def make_contacts(n, user):
    organisation = factories.OrganisationFactory()
    factories.ContactFactory.create_batch(n, organisation=organisation)


def make_associations(n, user):
    _associated_organisations(n)


def make_tier_moves(n, user):
    target = factories.tier("partner")
    characteristics = list(target.characteristics.all())
    for association in _associated_organisations(n):
        move = tm.TierChange.objects.create(
            organisation=association.organisation,
            from_association=association,
            to_tier=target,
            direction=tm.TierChange.Direction.UP,
            effective_date=TODAY,
            reason="Deeper support",
            requested_by=user,
        )
        tm.TierChangeEvidence.objects.bulk_create(
            tm.TierChangeEvidence(tier_change=move, characteristic=c, evidence="Yes")
            for c in characteristics
        )


def make_mous(n, user):
    objective = factories.CentrePlanObjectiveFactory()
    for _ in range(n):
        mou = factories.MoUFactory()
        factories.OwnershipLevelFactory(mou=mou)
        mou.centre_plan_objectives.add(objective)


def make_reviews(n, user):
    year = planning_year_open(label="2026/27")
    milestone = year.milestones.get(kind=plm.MilestoneKind.ANNUAL_MONITORING)
    for association in _associated_organisations(n):
        plm.Review.objects.create(
            organisation=association.organisation,
            association=association,
            milestone=milestone,
            due_on=milestone.closes_on,
        )


def make_contributions(n, user):
    areas = list(prm.PriorityArea.objects.all()[:2])
    for contribution in factories.ContributionFactory.create_batch(n):
        contribution.priority_areas.set(areas)


def make_benefit_deliveries(n, user):
    benefit = tm.Benefit.objects.filter(tier__code="official-supporter").first()
    association = factories.AssociationFactory()
    tm.BenefitDelivery.objects.bulk_create(
        tm.BenefitDelivery(
            organisation=association.organisation,
            association=association,
            benefit=benefit,
            delivered_on=TODAY - dt.timedelta(days=i % 50),
        )
        for i in range(n)
    )


def make_proposals(n, user):
    areas = list(prm.PriorityArea.objects.all()[:2])
    for proposal in factories.ProposalFactory.create_batch(n):
        proposal.priority_areas.set(areas)


def make_relationship_issues(n, user):
    factories.RelationshipIssueFactory.create_batch(n)


def make_priority_areas(n, user):
    objectives = list(prm.Objective.objects.all())
    for _ in range(n):
        area = prm.PriorityArea.objects.create(
            number=next(_serial), title="Extra area", summary="Extra"
        )
        area.objectives.set(objectives)


def make_objectives(n, user):
    prm.Objective.objects.bulk_create(
        prm.Objective(code=f"X{i}", description="Extra", order=i)
        for i in (next(_serial) for _ in range(n))
    )


def make_principles(n, user):
    prm.Principle.objects.bulk_create(
        prm.Principle(order=next(_serial), title="Extra", text="Extra")
        for _ in range(n)
    )


def make_tier_levels(n, user):
    for _ in range(n):
        i = next(_serial)
        level = tm.TierLevel.objects.create(
            code=f"extra-{i}", name=f"Extra {i}", rank=i
        )
        tm.KeyCharacteristic.objects.create(tier=level, order=1, text="Extra")
        tm.Benefit.objects.create(tier=level, order=1, text="Extra")


def _years(n):
    years = []
    for _ in range(n):
        first = 2100 + next(_serial)
        years.append(
            plm.PlanningYear.objects.create(
                label=f"{first}/{(first + 1) % 100:02d}",
                start=dt.date(first, 4, 1),
                end=dt.date(first + 1, 3, 31),
            )
        )
    return years


def make_planning_years(n, user):
    _years(n)


def make_milestones(n, user):
    (year,) = _years(1)
    plm.Milestone.objects.bulk_create(
        plm.Milestone(
            planning_year=year,
            kind=plm.MilestoneKind.OTHER,
            name="Extra",
            date=year.start,
        )
        for _ in range(n)
    )


def make_reminders(n, user):
    plm.Reminder.objects.bulk_create(
        plm.Reminder(
            recipient=user,
            step=plm.Reminder.Step.OTHER,
            subject_type="test",
            subject_id=next(_serial),
            title="A reminder",
        )
        for _ in range(n)
    )


def make_activities(n, user):
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from activities.services import activity_record
    from ceop_crm.roles import SENIOR_MANAGER

    actor = factories.UserFactory(username="budget-senior")
    actor.groups.add(Group.objects.get(name=SENIOR_MANAGER))
    organisation = factories.OrganisationFactory()
    for i in range(n):
        activity_record(
            actor=actor,
            organisation=organisation,
            kind="note",
            occurred_at=timezone.now(),
            summary=f"Note {i}",
            participants=[actor, user],
            follow_up_title=f"Task {i}",
            follow_up_due=timezone.localdate(),
        )


MAKERS = {
    "activity": make_activities,
    "task": make_activities,
    "organisation": make_organisations,
    "contact": make_contacts,
    "association": make_associations,
    "tier-move": make_tier_moves,
    "tier-level": make_tier_levels,
    "mou": make_mous,
    "review": make_reviews,
    "contribution": make_contributions,
    "benefit-delivery": make_benefit_deliveries,
    "proposal": make_proposals,
    "relationship-issue": make_relationship_issues,
    "priority-area": make_priority_areas,
    "objective": make_objectives,
    "principle": make_principles,
    "planning-year": make_planning_years,
    "milestone": make_milestones,
    "reminder": make_reminders,
}
# Token lookup, the caller's roles, the count and the page, plus one query per
# prefetched relation; the first call of a token also records its use.
BUDGET = 8
# Contact lists are logged as reads of personal data: two inserts.
READ_LOG_QUERIES = 2


def budget(basename: str) -> int:
    return BUDGET + (READ_LOG_QUERIES if basename == "contact" else 0)


def test_every_list_endpoint_has_a_budget():
    assert set(MAKERS) == {basename for _p, _v, basename in router.registry}


@pytest.mark.parametrize("basename", sorted(MAKERS))
def test_list_queries_do_not_grow_from_10_to_200_rows(
    basename, manager, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    client = token_client(manager)
    client.get(reverse("api:v1:ping"))  # records the token's first use
    url = reverse(f"api:v1:{basename}-list")
    counts = []
    made = 0
    for size in (10, 200):
        # Committed, as between two requests: a number shared between
        # requests (the organisations') is counted afresh.
        with django_capture_on_commit_callbacks(execute=True):
            MAKERS[basename](size - made, manager)
        made = size
        with django_assert_max_num_queries(budget(basename)) as captured:
            response = client.get(url, {"page_size": 200})
        assert response.status_code == 200
        assert response.json()["count"] >= size
        assert len(response.json()["results"]) >= min(size, 200)
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_organisation_list_as_partner_user_stays_in_budget(
    partner_user, django_assert_max_num_queries
):
    organisation = partner_user.portal_membership.organisation
    factories.ContactFactory.create_batch(200, organisation=organisation)
    client = token_client(partner_user)
    client.get(reverse("api:v1:ping"))
    with django_assert_max_num_queries(budget("contact")):
        response = client.get(reverse("api:v1:contact-list"), {"page_size": 200})
    assert response.json()["count"] == 200
