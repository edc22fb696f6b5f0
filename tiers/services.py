"""Writes and rules of the levels of association."""

from datetime import date, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from ceop_crm.auth.services import organisation_partner_sessions_end
from ceop_crm.exceptions import ApplicationError, full_clean
from ceop_crm.roles import is_senior_manager
from partners.models import MoU, Organisation
from partners.selectors import due_diligence_current, mou_in_force
from tiers.models import (
    Association,
    Benefit,
    BenefitDelivery,
    KeyCharacteristic,
    TierChange,
    TierChangeEvidence,
    TierLevel,
)
from tiers.selectors import association_current, association_on, characteristic_checks

NO_DUE_DILIGENCE = "No association can start without approved due diligence that is current on the start date."
NO_MOU = "A {tier} association needs a signed Memorandum of Understanding in force on the start date."
ALREADY_CURRENT = "This organisation already has a current association."
END_BEFORE_START = "The end date cannot be before the start date."


def association_validate(
    *,
    organisation: Organisation,
    tier: TierLevel,
    start: date,
    end: date | None = None,
    mou: MoU | None = None,
    exclude_pk: int | None = None,
) -> MoU | None:
    """Check the rules of the strategy for an association; return the MoU it rests on."""
    errors: dict[str, list[str]] = {}
    if end is not None and end < start:
        errors.setdefault("end", []).append(END_BEFORE_START)
    if end is None:
        current = Association.objects.filter(
            organisation=organisation, end__isnull=True
        )
        if exclude_pk is not None:
            current = current.exclude(pk=exclude_pk)
        if current.exists():
            errors.setdefault("organisation", []).append(ALREADY_CURRENT)
    if (
        tier.is_association
        and due_diligence_current(organisation=organisation, on=start) is None
    ):
        errors.setdefault("organisation", []).append(NO_DUE_DILIGENCE)
    if tier.requires_mou:
        if mou is None:
            mou = mou_in_force(organisation=organisation, on=start)
        if (
            mou is None
            or mou.organisation_id != organisation.pk
            or not mou.in_force_on(start)
        ):
            errors.setdefault("mou", []).append(NO_MOU.format(tier=tier.name))
            mou = None
    if errors:
        raise ApplicationError(errors)
    return mou


@transaction.atomic
def association_start(
    *,
    organisation: Organisation,
    tier: TierLevel,
    start: date,
    actor: AbstractBaseUser | None,
    mou: MoU | None = None,
) -> Association:
    """Open an association; refuses one that breaks a rule of the strategy."""
    # Lock the organisation so two concurrent starts cannot both pass the checks.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    mou = association_validate(
        organisation=organisation, tier=tier, start=start, mou=mou
    )
    association = Association(
        organisation=organisation, tier=tier, start=start, mou=mou, created_by=actor
    )
    association._history_user = actor
    full_clean(association)
    association.save()
    if organisation.status != Organisation.Status.ACTIVE:
        organisation.status = Organisation.Status.ACTIVE
        organisation._history_user = actor
        organisation.save(update_fields=["status", "updated_at"])
    _reschedule_reviews(organisation=organisation)
    return association


@transaction.atomic
def association_end(
    *,
    association: Association,
    end: date,
    reason: str,
    actor: AbstractBaseUser | None,
    reschedule: bool = True,
) -> Association:
    """Close an association; its future reviews are cancelled, never deleted.

    A tier move passes reschedule=False and reschedules once the next association
    is open, so reviews in windows both tiers share are moved, not cancelled.
    """
    if association.end is not None:
        raise ApplicationError({"end": ["This association has already ended."]})
    if end < association.start:
        raise ApplicationError({"end": [END_BEFORE_START]})
    if not reason.strip():
        raise ApplicationError({"end_reason": ["Say why the association ends."]})
    association.end = end
    association.end_reason = reason.strip()
    association._history_user = actor
    full_clean(association)
    association.save(update_fields=["end", "end_reason", "updated_at"])
    if reschedule:
        # The relationship ends (a tier move passes reschedule=False and goes on).
        _reschedule_reviews(organisation=association.organisation)
        organisation_partner_sessions_end(organisation=association.organisation)
    return association


def _reschedule_reviews(*, organisation: Organisation) -> None:
    from planning.services import reviews_schedule

    reviews_schedule(organisation_ids=[organisation.pk])


def _direction(current: Association | None, to_tier: TierLevel | None) -> str:
    if to_tier is None:
        return TierChange.Direction.END
    if current is None:
        return TierChange.Direction.START
    if to_tier.rank > current.tier.rank:
        return TierChange.Direction.UP
    if to_tier.rank < current.tier.rank:
        return TierChange.Direction.DOWN
    return TierChange.Direction.SAME


@transaction.atomic
def tier_change_request(
    *,
    organisation: Organisation,
    to_tier: TierLevel | None,
    effective_date: date,
    reason: str,
    evidence: dict[int, str],
    actor: AbstractBaseUser,
) -> TierChange:
    """Propose a move, with evidence against every key characteristic of the target tier."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    current = association_current(organisation=organisation)
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = ["Say why the organisation should move."]
    if to_tier is None and current is None:
        errors["to_tier"] = ["This organisation has no association to end."]
    if to_tier is not None and current is not None and to_tier.pk == current.tier_id:
        errors["to_tier"] = [f"The organisation is already a {to_tier.name}."]
    if current is not None and effective_date < current.start:
        errors["effective_date"] = [
            "The move cannot take effect before the current association started."
        ]
    if TierChange.objects.filter(
        organisation=organisation, status=TierChange.Status.PENDING
    ).exists():
        errors["organisation"] = [
            "This organisation already has a tier move awaiting approval."
        ]
    checks: dict[int, bool | None] = {}
    characteristics: list[KeyCharacteristic] = []
    if to_tier is not None:
        characteristics = list(to_tier.characteristics.order_by("order"))
        checks = characteristic_checks(
            organisation=organisation, tier=to_tier, on=effective_date
        )
        missing = [
            c.text
            for c in characteristics
            if not evidence.get(c.pk, "").strip() and checks.get(c.pk) is not True
        ]
        if missing:
            errors["evidence"] = [
                "Give evidence for every key characteristic that is not met automatically: "
                + "; ".join(missing)
            ]
    if errors:
        raise ApplicationError(errors)
    change = TierChange(
        organisation=organisation,
        from_association=current,
        to_tier=to_tier,
        direction=_direction(current, to_tier),
        effective_date=effective_date,
        reason=reason.strip(),
        requested_by=actor,
    )
    change._history_user = actor
    full_clean(change)
    change.save()
    TierChangeEvidence.objects.bulk_create(
        TierChangeEvidence(
            tier_change=change,
            characteristic=c,
            evidence=evidence.get(c.pk, "").strip(),
            automatic_result=checks.get(c.pk),
        )
        for c in characteristics
    )
    return change


def _decidable(tier_change: TierChange, actor: AbstractBaseUser) -> None:
    if not is_senior_manager(actor):
        raise ApplicationError("Only a senior manager can decide a tier move.")
    if tier_change.status != TierChange.Status.PENDING:
        raise ApplicationError(
            f"This tier move is already {tier_change.get_status_display().lower()}."
        )
    if tier_change.requested_by_id == actor.pk:
        raise ApplicationError(
            "A tier move is decided by a senior manager other than the one who asked for it."
        )


@transaction.atomic
def tier_change_approve(
    *, tier_change: TierChange, actor: AbstractBaseUser, reason: str = ""
) -> TierChange:
    """Approve a move: close the current association, open the next, reschedule reviews."""
    tier_change = TierChange.objects.select_for_update().get(pk=tier_change.pk)
    _decidable(tier_change, actor)
    organisation = tier_change.organisation
    current = association_current(organisation=organisation)
    # Also refuses a move whose association ended elsewhere since it was asked for.
    if tier_change.from_association_id != (current.pk if current else None):
        raise ApplicationError(
            "The organisation's association changed since this move was requested."
        )
    day = tier_change.effective_date
    resulting = None
    if tier_change.to_tier is None:
        association_end(
            association=current, end=day, reason=tier_change.reason, actor=actor
        )
        organisation.status = Organisation.Status.ENDED
        organisation._history_user = actor
        organisation.save(update_fields=["status", "updated_at"])
    else:
        if current is not None:
            association_end(
                association=current,
                end=max(current.start, day - timedelta(days=1)),
                reason=f"Moved to {tier_change.to_tier.name}: {tier_change.reason}",
                actor=actor,
                reschedule=False,
            )
        resulting = association_start(
            organisation=organisation, tier=tier_change.to_tier, start=day, actor=actor
        )
    tier_change.status = TierChange.Status.APPROVED
    tier_change.decided_by = actor
    tier_change.decided_at = timezone.now()
    tier_change.decision_reason = reason.strip()
    tier_change.resulting_association = resulting
    tier_change._history_user = actor
    tier_change.save()
    return tier_change


@transaction.atomic
def tier_change_reject(
    *, tier_change: TierChange, actor: AbstractBaseUser, reason: str
) -> TierChange:
    tier_change = TierChange.objects.select_for_update().get(pk=tier_change.pk)
    _decidable(tier_change, actor)
    if not reason.strip():
        raise ApplicationError({"decision_reason": ["Say why the move is rejected."]})
    tier_change.status = TierChange.Status.REJECTED
    tier_change.decided_by = actor
    tier_change.decided_at = timezone.now()
    tier_change.decision_reason = reason.strip()
    tier_change._history_user = actor
    tier_change.save()
    return tier_change


@transaction.atomic
def tier_change_withdraw(
    *, tier_change: TierChange, actor: AbstractBaseUser
) -> TierChange:
    """The manager who asked for a move takes it back while it is pending."""
    tier_change = TierChange.objects.select_for_update().get(pk=tier_change.pk)
    if tier_change.status != TierChange.Status.PENDING:
        raise ApplicationError(
            f"This tier move is already {tier_change.get_status_display().lower()}."
        )
    if tier_change.requested_by_id != actor.pk:
        raise ApplicationError(
            "Only the manager who asked for a tier move can withdraw it."
        )
    tier_change.status = TierChange.Status.WITHDRAWN
    tier_change.decided_at = timezone.now()
    tier_change._history_user = actor
    tier_change.save(update_fields=["status", "decided_at", "updated_at"])
    return tier_change


def benefit_delivery_validate(
    *, organisation: Organisation, benefit: Benefit, delivered_on: date
) -> Association:
    """The association a delivery falls under, or the rule it breaks."""
    if delivered_on > timezone.localdate():
        raise ApplicationError(
            {"delivered_on": ["A benefit is recorded once it has been given."]}
        )
    association = association_on(organisation=organisation, on=delivered_on)
    if association is None:
        raise ApplicationError(
            {
                "delivered_on": [
                    "The organisation had no level of association on that date."
                ]
            }
        )
    if not association.tier.benefits_allowed:
        raise ApplicationError(
            {
                "benefit": [
                    f"A {association.tier.name} is paid in full and receives no benefits."
                ]
            }
        )
    if benefit.tier_id != association.tier_id:
        raise ApplicationError(
            {
                "benefit": [
                    f"This benefit is not among those of a {association.tier.name}."
                ]
            }
        )
    return association


@transaction.atomic
def benefit_delivery_record(
    *,
    organisation: Organisation,
    benefit: Benefit,
    delivered_on: date,
    actor: AbstractBaseUser | None,
    description: str = "",
) -> BenefitDelivery:
    association = benefit_delivery_validate(
        organisation=organisation, benefit=benefit, delivered_on=delivered_on
    )
    delivery = BenefitDelivery(
        organisation=organisation,
        association=association,
        benefit=benefit,
        delivered_on=delivered_on,
        description=description,
        recorded_by=actor,
    )
    delivery._history_user = actor
    full_clean(delivery)
    delivery.save()
    return delivery
