import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction

from ceop_crm.exceptions import ApplicationError
from partners import services
from partners.models import (
    Contact,
    Contribution,
    DueDiligence,
    MoU,
    Proposal,
    RelationshipIssue,
)
from priorities.models import Principle, PriorityArea
from tests import factories
from tests.factories import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC), tick=False):
        yield


def _findings(met=True):
    return {p.pk: (met, "Seen in their policy") for p in Principle.objects.all()}


def _record(organisation, manager, **kwargs):
    defaults = {
        "assessed_on": TODAY,
        "child_protection": DueDiligence.ChildProtection.IN_PLACE,
        "brand_risk": DueDiligence.BrandRisk.LOW,
        "findings": _findings(),
    }
    defaults.update(kwargs)
    return services.due_diligence_record(
        organisation=organisation, actor=manager, **defaults
    )


def test_due_diligence_approved_against_every_principle(manager):
    organisation = factories.OrganisationFactory()
    due_diligence = _record(organisation, manager)
    assert due_diligence.principle_assessments.count() == 8
    services.due_diligence_decide(
        due_diligence=due_diligence,
        outcome="approved",
        expires_on=TODAY + dt.timedelta(days=365),
        actor=manager,
    )
    assert due_diligence.is_current_on(TODAY)


def test_due_diligence_approval_refused_when_a_principle_is_not_met(manager):
    organisation = factories.OrganisationFactory()
    findings = _findings()
    first = Principle.objects.order_by("order").first()
    findings[first.pk] = (False, "No evidence")
    due_diligence = _record(organisation, manager, findings=findings)
    with pytest.raises(ApplicationError, match=first.title):
        services.due_diligence_decide(
            due_diligence=due_diligence,
            outcome="approved",
            expires_on=TODAY + dt.timedelta(days=365),
            actor=manager,
        )
    due_diligence.refresh_from_db()
    assert due_diligence.outcome == DueDiligence.Outcome.PENDING


@pytest.mark.parametrize(
    ("field", "value", "error_field"),
    [
        ("child_protection", DueDiligence.ChildProtection.MISSING, "child_protection"),
        ("brand_risk", DueDiligence.BrandRisk.HIGH, "brand_risk"),
    ],
)
def test_due_diligence_approval_refused_on_child_protection_or_brand_risk(
    manager, field, value, error_field
):
    due_diligence = _record(factories.OrganisationFactory(), manager, **{field: value})
    with pytest.raises(ApplicationError) as error:
        services.due_diligence_decide(
            due_diligence=due_diligence,
            outcome="approved",
            expires_on=TODAY + dt.timedelta(days=365),
            actor=manager,
        )
    assert error_field in error.value.message_dict


def test_due_diligence_expiry_must_follow_assessment(manager):
    due_diligence = _record(factories.OrganisationFactory(), manager)
    with pytest.raises(ApplicationError) as error:
        services.due_diligence_decide(
            due_diligence=due_diligence,
            outcome="approved",
            expires_on=TODAY,
            actor=manager,
        )
    assert "expires_on" in error.value.message_dict


def test_mou_sign_sets_dates_and_state(manager):
    mou = services.mou_create(
        organisation=factories.OrganisationFactory(),
        actor=manager,
        ceop_signatory="Director",
        partner_signatory="Chief Executive",
    )
    services.mou_sign(
        mou=mou,
        signed_on=TODAY,
        start=TODAY,
        end=TODAY + dt.timedelta(days=730),
        actor=manager,
    )
    mou.refresh_from_db()
    assert mou.status == MoU.Status.SIGNED
    assert mou.in_force_on(TODAY)


def test_mou_sign_refuses_end_before_start(manager):
    mou = services.mou_create(
        organisation=factories.OrganisationFactory(),
        actor=manager,
        ceop_signatory="Director",
        partner_signatory="Chief Executive",
    )
    with pytest.raises(ApplicationError) as error:
        services.mou_sign(
            mou=mou,
            signed_on=TODAY,
            start=TODAY,
            end=TODAY - dt.timedelta(days=1),
            actor=manager,
        )
    assert "end" in error.value.message_dict
    mou.refresh_from_db()
    assert mou.status == MoU.Status.DRAFT


def test_mou_sign_needs_both_signatories(manager):
    mou = services.mou_create(
        organisation=factories.OrganisationFactory(), actor=manager
    )
    with pytest.raises(ApplicationError) as error:
        services.mou_sign(
            mou=mou,
            signed_on=TODAY,
            start=TODAY,
            end=TODAY + dt.timedelta(days=1),
            actor=manager,
        )
    assert {"ceop_signatory", "partner_signatory"} <= set(error.value.message_dict)


def test_mou_end_before_start_is_refused_by_the_database():
    organisation = factories.OrganisationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MoU.objects.create(
            organisation=organisation, start=TODAY, end=TODAY - dt.timedelta(days=1)
        )


def test_signed_mou_without_dates_is_refused_by_the_database():
    organisation = factories.OrganisationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MoU.objects.create(organisation=organisation, status=MoU.Status.SIGNED)


def test_mou_expire_only_after_its_end(manager):
    mou = factories.MoUFactory()
    with pytest.raises(ApplicationError):
        services.mou_expire(mou=mou, actor=manager)
    lapsed = factories.MoUFactory(
        start=TODAY - dt.timedelta(days=400), end=TODAY - dt.timedelta(days=1)
    )
    assert services.mou_expire_lapsed() == 1
    lapsed.refresh_from_db()
    mou.refresh_from_db()
    assert lapsed.status == MoU.Status.EXPIRED
    assert mou.status == MoU.Status.SIGNED


def test_mou_terminate_needs_a_reason_and_shortens_the_end(manager):
    mou = factories.MoUFactory()
    with pytest.raises(ApplicationError) as error:
        services.mou_terminate(mou=mou, on=TODAY, reason="", actor=manager)
    assert "termination_reason" in error.value.message_dict
    services.mou_terminate(mou=mou, on=TODAY, reason="Partner withdrew", actor=manager)
    mou.refresh_from_db()
    assert mou.status == MoU.Status.TERMINATED
    assert mou.end == TODAY


def test_mou_renew_drafts_the_next_with_its_ownership(manager):
    mou = factories.MoUFactory()
    factories.OwnershipLevelFactory(mou=mou, side="ceop")
    factories.OwnershipLevelFactory(mou=mou, side="partner")
    renewal = services.mou_renew(
        mou=mou,
        start=mou.end + dt.timedelta(days=1),
        end=mou.end + dt.timedelta(days=731),
        actor=manager,
    )
    assert renewal.status == MoU.Status.DRAFT
    assert renewal.renewal_of == mou
    assert renewal.ownership_levels.count() == 2
    with pytest.raises(ApplicationError, match="already has a renewal"):
        services.mou_renew(mou=mou, start=renewal.start, end=renewal.end, actor=manager)


def test_proposal_must_serve_a_priority_area_or_threat(manager):
    organisation = factories.OrganisationFactory()
    with pytest.raises(ApplicationError) as error:
        services.proposal_submit(
            organisation=organisation, title="Help", offer="Engineers", actor=manager
        )
    assert "priority_areas" in error.value.message_dict
    assert not Proposal.objects.exists()
    proposal = services.proposal_submit(
        organisation=organisation,
        title="Help",
        offer="Engineers",
        actor=manager,
        new_threat="Live-streamed abuse on a new platform",
    )
    assert proposal.status == Proposal.Status.SUBMITTED


def test_proposal_accept_becomes_an_agreed_contribution(manager):
    proposal = services.proposal_submit(
        organisation=factories.OrganisationFactory(),
        title="Hash matching",
        offer="Engineers",
        actor=manager,
        priority_areas=PriorityArea.objects.filter(number=2),
    )
    contribution = services.proposal_accept(proposal=proposal, actor=manager)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED
    assert contribution.status == Contribution.Status.AGREED
    assert list(contribution.priority_areas.values_list("number", flat=True)) == [2]
    with pytest.raises(ApplicationError, match="already accepted"):
        services.proposal_accept(proposal=proposal, actor=manager)


def test_proposal_decline_needs_a_reason(manager):
    proposal = factories.ProposalFactory()
    with pytest.raises(ApplicationError) as error:
        services.proposal_decline(proposal=proposal, reason=" ", actor=manager)
    assert "decline_reason" in error.value.message_dict
    services.proposal_decline(
        proposal=proposal, reason="Outside priorities", actor=manager
    )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DECLINED


def test_completed_contribution_needs_outcomes(manager):
    contribution = factories.ContributionFactory.build(
        organisation=factories.OrganisationFactory(),
        status=Contribution.Status.COMPLETED,
    )
    with pytest.raises(ApplicationError) as error:
        services.contribution_save(contribution=contribution, actor=manager)
    assert "outcomes" in error.value.message_dict


def test_primary_contact_moves_to_the_new_one(manager):
    first = factories.ContactFactory(is_primary=True)
    second = Contact(organisation=first.organisation, name="New lead", is_primary=True)
    services.contact_save(contact=second, actor=manager)
    first.refresh_from_db()
    assert not first.is_primary
    assert second.is_primary


def test_second_primary_contact_is_refused_by_the_database():
    first = factories.ContactFactory(is_primary=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.create(
            organisation=first.organisation, name="Other", is_primary=True
        )


def test_relationship_issue_escalates_up_the_hierarchy_and_resolves(manager):
    mou = factories.MoUFactory()
    factories.OwnershipLevelFactory(mou=mou, level=1)
    factories.OwnershipLevelFactory(mou=mou, level=2)
    issue = services.relationship_issue_raise(
        organisation=mou.organisation, title="Data late", actor=manager
    )
    services.relationship_issue_escalate(issue=issue, actor=manager)
    assert issue.escalation_level == 2
    with pytest.raises(ApplicationError, match="top of the ownership hierarchy"):
        services.relationship_issue_escalate(issue=issue, actor=manager)
    with pytest.raises(ApplicationError) as error:
        services.relationship_issue_resolve(issue=issue, resolution="", actor=manager)
    assert "resolution" in error.value.message_dict
    services.relationship_issue_resolve(
        issue=issue, resolution="Agreed a new date", actor=manager
    )
    issue.refresh_from_db()
    assert issue.status == RelationshipIssue.Status.RESOLVED


def test_organisation_changes_are_recorded_with_who(manager):
    organisation = services.organisation_create(
        actor=manager, name="Acme Safety", sector="industry"
    )
    services.organisation_update(
        organisation=organisation, actor=manager, website="https://acme.example"
    )
    history = list(organisation.history.order_by("history_id"))
    assert [h.history_type for h in history] == ["+", "~"]
    assert history[-1].history_user == manager
    assert history[-1].diff_against(history[0]).changed_fields == ["website"]


def test_organisation_owner_cannot_be_deputy(manager):
    with pytest.raises(ApplicationError):
        services.organisation_create(
            actor=manager, name="Acme", sector="industry", owner=manager, deputy=manager
        )


def test_an_approach_beyond_the_priority_areas_is_another_suggestion(manager):
    proposal = services.proposal_submit(
        organisation=factories.OrganisationFactory(),
        title="Peer support for moderators",
        offer="A network of trained volunteers",
        actor=manager,
        other_suggestion=True,
    )

    assert proposal.status == Proposal.Status.SUBMITTED
    assert proposal.other_suggestion
    assert not proposal.priority_areas.exists()
