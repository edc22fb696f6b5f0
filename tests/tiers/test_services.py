import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse

from ceop_crm.exceptions import ApplicationError
from partners.models import Organisation
from planning.models import Review
from tests import factories
from tests.factories import TODAY, tier
from tiers import services
from tiers.models import Association, Benefit, TierChange

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def ready_org():
    """An organisation with current due diligence and a signed MoU in force."""
    organisation = factories.OrganisationFactory()
    factories.DueDiligenceFactory(organisation=organisation)
    factories.MoUFactory(organisation=organisation)
    return organisation


def _start(organisation, code, manager, start=TODAY):
    return services.association_start(
        organisation=organisation, tier=tier(code), start=start, actor=manager
    )


def test_association_start_opens_partner_with_mou_and_due_diligence(ready_org, manager):
    association = _start(ready_org, "partner", manager)
    assert association.is_current
    assert association.mou is not None
    ready_org.refresh_from_db()
    assert ready_org.status == Organisation.Status.ACTIVE
    assert association.history.first().history_user == manager


def test_association_start_refuses_partner_without_mou(manager):
    organisation = factories.OrganisationFactory()
    factories.DueDiligenceFactory(organisation=organisation)
    with pytest.raises(ApplicationError) as error:
        _start(organisation, "strategic-partner", manager)
    assert "mou" in error.value.message_dict
    assert not Association.objects.filter(organisation=organisation).exists()


def test_association_start_refuses_mou_not_yet_in_force(manager):
    organisation = factories.OrganisationFactory()
    factories.DueDiligenceFactory(organisation=organisation)
    factories.MoUFactory(organisation=organisation, start=TODAY + dt.timedelta(days=1))
    with pytest.raises(ApplicationError, match="Memorandum of Understanding"):
        _start(organisation, "partner", manager)


def test_association_start_refuses_unsigned_mou(manager):
    organisation = factories.OrganisationFactory()
    factories.DueDiligenceFactory(organisation=organisation)
    factories.MoUFactory(organisation=organisation, status="negotiation")
    with pytest.raises(ApplicationError):
        _start(organisation, "partner", manager)


def test_association_start_refuses_without_due_diligence(manager):
    organisation = factories.OrganisationFactory()
    with pytest.raises(ApplicationError, match="due diligence"):
        _start(organisation, "official-supporter", manager)


def test_association_start_refuses_expired_due_diligence(manager):
    organisation = factories.OrganisationFactory()
    factories.DueDiligenceFactory(
        organisation=organisation,
        assessed_on=TODAY - dt.timedelta(days=800),
        expires_on=TODAY - dt.timedelta(days=1),
    )
    with pytest.raises(ApplicationError, match="due diligence"):
        _start(organisation, "official-supporter", manager)


def test_association_start_refuses_unapproved_due_diligence(manager):
    organisation = factories.OrganisationFactory()
    factories.DueDiligenceFactory(
        organisation=organisation, outcome="pending", expires_on=None
    )
    with pytest.raises(ApplicationError, match="due diligence"):
        _start(organisation, "official-supporter", manager)


def test_official_supporter_needs_no_mou(manager):
    organisation = factories.OrganisationFactory()
    factories.DueDiligenceFactory(organisation=organisation)
    assert _start(organisation, "official-supporter", manager).mou is None


def test_supplier_needs_neither_due_diligence_nor_mou(manager):
    organisation = factories.OrganisationFactory()
    association = _start(organisation, "supplier", manager)
    assert association.tier.is_association is False


def test_second_current_association_is_refused_by_the_service(ready_org, manager):
    _start(ready_org, "partner", manager)
    with pytest.raises(ApplicationError, match="already has a current association"):
        _start(ready_org, "official-supporter", manager)
    assert Association.objects.filter(organisation=ready_org).count() == 1


def test_second_current_association_is_refused_by_the_database(ready_org):
    factories.AssociationFactory(organisation=ready_org)
    with pytest.raises(IntegrityError), transaction.atomic():
        Association.objects.create(
            organisation=ready_org, tier=tier("partner"), start=TODAY
        )


def test_association_end_before_start_is_refused_by_the_database(ready_org):
    with pytest.raises(IntegrityError), transaction.atomic():
        Association.objects.create(
            organisation=ready_org,
            tier=tier("partner"),
            start=TODAY,
            end=TODAY - dt.timedelta(days=1),
        )


def test_association_end_refuses_end_before_start(ready_org, manager):
    association = _start(ready_org, "partner", manager)
    with pytest.raises(ApplicationError) as error:
        services.association_end(
            association=association,
            end=TODAY - dt.timedelta(days=1),
            reason="Ends",
            actor=manager,
        )
    assert "end" in error.value.message_dict


def test_partner_association_schedules_quarterly_reviews(ready_org, manager):
    _start(ready_org, "partner", manager)
    due = list(
        Review.objects.filter(organisation=ready_org, status="scheduled")
        .order_by("due_on")
        .values_list("due_on", flat=True)
    )
    # Started 28 Nov 2026: Q3 and Q4 of 2026/27, then all four of 2027/28;
    # each fourth quarter is reviewed in the April after its year.
    assert due == [
        dt.date(2027, 1, 31),
        dt.date(2027, 4, 30),
        dt.date(2027, 7, 31),
        dt.date(2027, 10, 31),
        dt.date(2028, 1, 31),
        dt.date(2028, 4, 30),
    ]


def test_official_supporter_is_reviewed_annually(manager):
    organisation = factories.OrganisationFactory()
    factories.DueDiligenceFactory(organisation=organisation)
    _start(organisation, "official-supporter", manager)
    due = list(
        Review.objects.filter(organisation=organisation).values_list(
            "due_on", flat=True
        )
    )
    # In the month after each year ends.
    assert sorted(due) == [dt.date(2027, 4, 30), dt.date(2028, 4, 30)]


def test_supplier_gets_no_reviews(manager):
    organisation = factories.OrganisationFactory()
    _start(organisation, "supplier", manager)
    assert not Review.objects.filter(organisation=organisation).exists()


def test_ending_an_association_cancels_reviews_with_a_reason(ready_org, manager):
    association = _start(ready_org, "partner", manager)
    services.association_end(
        association=association, end=TODAY, reason="Agreed to part", actor=manager
    )
    reviews = Review.objects.filter(organisation=ready_org)
    assert reviews.count() == 6
    assert set(reviews.values_list("status", flat=True)) == {"cancelled"}
    assert all("ended" in r.cancelled_reason for r in reviews)


def test_reviews_schedule_is_idempotent(ready_org, manager):
    from planning.services import reviews_schedule

    _start(ready_org, "partner", manager)
    before = list(Review.objects.order_by("pk").values_list("pk", "due_on", "status"))
    assert reviews_schedule() == {"created": 0, "moved": 0, "cancelled": 0}
    assert (
        list(Review.objects.order_by("pk").values_list("pk", "due_on", "status"))
        == before
    )


def _request_move(organisation, code, manager, evidence_text="Evidence", **kwargs):
    target = tier(code) if code else None
    evidence = (
        {c.pk: evidence_text for c in target.characteristics.all()} if target else {}
    )
    return services.tier_change_request(
        organisation=organisation,
        to_tier=target,
        effective_date=kwargs.pop("effective_date", TODAY),
        reason=kwargs.pop("reason", "Deeper work on priority area 2"),
        evidence=evidence,
        actor=manager,
    )


def test_tier_change_needs_evidence_for_every_characteristic(ready_org, manager):
    _start(ready_org, "partner", manager, start=TODAY - dt.timedelta(days=30))
    with pytest.raises(ApplicationError) as error:
        _request_move(ready_org, "strategic-partner", manager, evidence_text="")
    assert "evidence" in error.value.message_dict
    assert not TierChange.objects.exists()


def test_tier_change_needs_a_reason(ready_org, manager):
    with pytest.raises(ApplicationError) as error:
        _request_move(ready_org, "partner", manager, reason=" ")
    assert "reason" in error.value.message_dict


def test_tier_change_to_same_tier_is_refused(ready_org, manager):
    _start(ready_org, "partner", manager)
    with pytest.raises(ApplicationError) as error:
        _request_move(ready_org, "partner", manager)
    assert "to_tier" in error.value.message_dict


def test_tier_change_approved_by_senior_manager_moves_up_and_reschedules(
    ready_org, manager, senior_manager
):
    old = _start(
        ready_org, "official-supporter", manager, start=TODAY - dt.timedelta(days=60)
    )
    change = _request_move(ready_org, "strategic-partner", manager)
    assert change.direction == TierChange.Direction.UP
    assert change.evidence.count() == 8
    change = services.tier_change_approve(tier_change=change, actor=senior_manager)
    old.refresh_from_db()
    assert change.status == TierChange.Status.APPROVED
    assert old.end == TODAY - dt.timedelta(days=1)
    current = Association.objects.get(organisation=ready_org, end__isnull=True)
    assert current.tier.code == "strategic-partner"
    assert change.resulting_association == current
    live = Review.objects.filter(organisation=ready_org, status="scheduled")
    assert live.count() == 6
    assert set(live.values_list("association", flat=True)) == {current.pk}
    cancelled = Review.objects.get(
        organisation=ready_org, status="cancelled", due_on=dt.date(2028, 4, 30)
    )
    assert cancelled.cancelled_reason == "A Strategic Partner is reviewed quarterly."


def test_tier_change_cannot_be_approved_by_a_relationship_manager(ready_org, manager):
    other = factories.UserFactory()
    change = _request_move(ready_org, "partner", other)
    with pytest.raises(ApplicationError, match="senior manager"):
        services.tier_change_approve(tier_change=change, actor=manager)
    change.refresh_from_db()
    assert change.status == TierChange.Status.PENDING


def test_tier_change_cannot_be_approved_by_its_requester(ready_org, senior_manager):
    change = _request_move(ready_org, "partner", senior_manager)
    with pytest.raises(ApplicationError, match="other than"):
        services.tier_change_approve(tier_change=change, actor=senior_manager)


def test_tier_change_approval_fails_whole_when_the_mou_is_missing(
    manager, senior_manager
):
    organisation = factories.OrganisationFactory()
    factories.DueDiligenceFactory(organisation=organisation)
    old = _start(
        organisation, "official-supporter", manager, start=TODAY - dt.timedelta(days=60)
    )
    change = _request_move(organisation, "partner", manager)
    with pytest.raises(ApplicationError):
        services.tier_change_approve(tier_change=change, actor=senior_manager)
    old.refresh_from_db()
    change.refresh_from_db()
    assert old.end is None
    assert change.status == TierChange.Status.PENDING


def test_only_one_pending_tier_change(ready_org, manager):
    _request_move(ready_org, "partner", manager)
    with pytest.raises(ApplicationError) as error:
        _request_move(ready_org, "official-supporter", manager)
    assert "organisation" in error.value.message_dict


def test_tier_change_reject_needs_a_reason_and_keeps_the_move(
    ready_org, manager, senior_manager
):
    change = _request_move(ready_org, "partner", manager)
    with pytest.raises(ApplicationError):
        services.tier_change_reject(tier_change=change, actor=senior_manager, reason="")
    services.tier_change_reject(
        tier_change=change, actor=senior_manager, reason="Not yet"
    )
    change.refresh_from_db()
    assert change.status == TierChange.Status.REJECTED
    assert TierChange.objects.filter(pk=change.pk).exists()


def test_tier_change_to_end_association(ready_org, manager, senior_manager):
    association = _start(
        ready_org, "partner", manager, start=TODAY - dt.timedelta(days=10)
    )
    change = _request_move(ready_org, None, manager)
    assert change.direction == TierChange.Direction.END
    services.tier_change_approve(tier_change=change, actor=senior_manager)
    association.refresh_from_db()
    ready_org.refresh_from_db()
    assert association.end == TODAY
    assert ready_org.status == Organisation.Status.ENDED


def _benefit(code, text_start):
    return Benefit.objects.get(tier__code=code, text__startswith=text_start)


def test_benefit_delivery_within_entitlement(ready_org, manager):
    _start(ready_org, "partner", manager, start=TODAY - dt.timedelta(days=10))
    delivery = services.benefit_delivery_record(
        organisation=ready_org,
        benefit=_benefit("partner", "Joint press releases"),
        delivered_on=TODAY,
        actor=manager,
    )
    assert delivery.association.tier.code == "partner"


def test_benefit_delivery_outside_entitlement_is_refused(ready_org, manager):
    _start(ready_org, "partner", manager, start=TODAY - dt.timedelta(days=10))
    with pytest.raises(ApplicationError) as error:
        services.benefit_delivery_record(
            organisation=ready_org,
            benefit=_benefit(
                "strategic-partner", "Access to relevant anonymised CEOP data"
            ),
            delivered_on=TODAY,
            actor=manager,
        )
    assert "benefit" in error.value.message_dict


def test_supplier_gets_no_benefit(manager):
    organisation = factories.OrganisationFactory()
    _start(organisation, "supplier", manager, start=TODAY - dt.timedelta(days=10))
    with pytest.raises(ApplicationError, match="receives no benefits"):
        services.benefit_delivery_record(
            organisation=organisation,
            benefit=_benefit("official-supporter", "Use of Official Supporter logo"),
            delivered_on=TODAY,
            actor=manager,
        )


def test_benefit_delivery_without_association_is_refused(manager):
    organisation = factories.OrganisationFactory()
    with pytest.raises(ApplicationError, match="no level of association"):
        services.benefit_delivery_record(
            organisation=organisation,
            benefit=_benefit("partner", "Joint press releases"),
            delivered_on=TODAY,
            actor=manager,
        )


def test_benefit_delivery_in_the_future_is_refused(ready_org, manager):
    _start(ready_org, "partner", manager)
    with pytest.raises(ApplicationError) as error:
        services.benefit_delivery_record(
            organisation=ready_org,
            benefit=_benefit("partner", "Joint press releases"),
            delivered_on=TODAY + dt.timedelta(days=1),
            actor=manager,
        )
    assert "delivered_on" in error.value.message_dict


def test_characteristic_checks_read_the_data(ready_org, manager):
    from tiers.selectors import characteristic_checks

    target = tier("strategic-partner")
    checks = characteristic_checks(organisation=ready_org, tier=target, on=TODAY)
    by_check = {c.automatic_check: checks[c.pk] for c in target.characteristics.all()}
    assert by_check["mou_in_force"] is True
    assert by_check["market_equally"] is True
    assert by_check["ownership_hierarchy"] is False
    assert by_check["objectives_several"] is False
    assert by_check[""] is None
    mou = ready_org.mous.get()
    factories.OwnershipLevelFactory(mou=mou, side="ceop")
    factories.OwnershipLevelFactory(mou=mou, side="partner")
    checks = characteristic_checks(organisation=ready_org, tier=target, on=TODAY)
    by_check = {c.automatic_check: checks[c.pk] for c in target.characteristics.all()}
    assert by_check["ownership_hierarchy"] is True


def test_move_between_quarterly_tiers_moves_reviews_instead_of_cancelling(
    ready_org, manager, senior_manager
):
    _start(ready_org, "partner", manager, start=TODAY - dt.timedelta(days=60))
    before = set(
        Review.objects.filter(organisation=ready_org).values_list("pk", flat=True)
    )
    change = _request_move(ready_org, "strategic-partner", manager)
    services.tier_change_approve(tier_change=change, actor=senior_manager)
    current = Association.objects.get(organisation=ready_org, end__isnull=True)
    after = Review.objects.filter(organisation=ready_org, status="scheduled")
    assert set(after.values_list("pk", flat=True)) == before
    # The quarter that closed before the move stays with the Partner association.
    overdue = after.get(due_on=dt.date(2026, 10, 31))
    assert overdue.association.tier.code == "partner"
    assert set(after.exclude(pk=overdue.pk).values_list("association", flat=True)) == {
        current.pk
    }


# --- Withdrawing a move -------------------------------------------------------


def test_the_manager_who_asked_for_a_move_can_withdraw_it_while_pending(
    ready_org, manager
):
    change = _request_move(ready_org, "partner", manager)

    services.tier_change_withdraw(tier_change=change, actor=manager)

    change.refresh_from_db()
    assert change.status == TierChange.Status.WITHDRAWN
    assert change.history.latest().history_user == manager
    assert not Association.objects.filter(organisation=ready_org).exists()
    # The organisation may ask again: nothing is pending any more.
    _request_move(ready_org, "official-supporter", manager)


def test_only_the_manager_who_asked_can_withdraw_a_move(
    ready_org, manager, senior_manager
):
    change = _request_move(ready_org, "partner", manager)

    with pytest.raises(ApplicationError, match="Only the manager who asked"):
        services.tier_change_withdraw(tier_change=change, actor=senior_manager)
    change.refresh_from_db()
    assert change.status == TierChange.Status.PENDING


def test_a_decided_move_cannot_be_withdrawn(ready_org, manager, senior_manager):
    change = _request_move(ready_org, "official-supporter", manager)
    services.tier_change_approve(tier_change=change, actor=senior_manager)

    with pytest.raises(ApplicationError, match="already approved"):
        services.tier_change_withdraw(tier_change=change, actor=manager)
    assert Association.objects.get(organisation=ready_org).tier.code == (
        "official-supporter"
    )


def test_a_move_is_withdrawn_from_its_page(client, ready_org, manager):
    ready_org.owner = manager
    ready_org.save()
    change = _request_move(ready_org, "partner", manager)
    client.force_login(manager)
    detail = reverse("tiers:tier_change_detail", args=[change.pk])
    withdraw = reverse("tiers:tier_change_withdraw", args=[change.pk])

    assert withdraw in client.get(detail).content.decode()
    response = client.post(withdraw, {"confirm": "on"})

    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == TierChange.Status.WITHDRAWN
    assert withdraw not in client.get(detail).content.decode()
