"""Reads of the tiers app."""

from datetime import date

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery

from partners.models import Contribution, MoU, Organisation, OwnershipLevel
from partners.selectors import mou_in_force
from tiers.models import (
    Association,
    BenefitDelivery,
    CharacteristicCheck,
    KeyCharacteristic,
    TierChange,
    TierChangeEvidence,
    TierLevel,
)

ACTIVE_CONTRIBUTION = (
    Contribution.Status.AGREED,
    Contribution.Status.DELIVERING,
    Contribution.Status.COMPLETED,
)


def association_current(*, organisation: Organisation) -> Association | None:
    return (
        Association.objects.select_related("tier", "mou")
        .filter(organisation=organisation, end__isnull=True)
        .first()
    )


def association_on(*, organisation: Organisation, on: date) -> Association | None:
    """The association that covers the day, current or past."""
    return (
        Association.objects.select_related("tier")
        .filter(organisation=organisation, start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .order_by("-start")
        .first()
    )


def tier_level_list() -> QuerySet[TierLevel]:
    return TierLevel.objects.prefetch_related("characteristics", "benefits").order_by(
        "-rank"
    )


def _centre_plan_objective_count(*, organisation: Organisation, mou: MoU | None) -> int:
    ids = set(
        Contribution.objects.filter(
            organisation=organisation, status__in=ACTIVE_CONTRIBUTION
        )
        .exclude(centre_plan_objectives=None)
        .values_list("centre_plan_objectives", flat=True)
    )
    if mou is not None:
        ids |= set(mou.centre_plan_objectives.values_list("pk", flat=True))
    return len(ids)


def characteristic_list(*, tier: TierLevel) -> list[KeyCharacteristic]:
    """A tier's key characteristics in their order."""
    return list(KeyCharacteristic.objects.filter(tier=tier).order_by("order"))


def characteristic_checks(
    *,
    organisation: Organisation,
    tier: TierLevel,
    on: date,
    characteristics: list[KeyCharacteristic] | None = None,
) -> dict[int, bool | None]:
    """The automatic check of each key characteristic of a tier, by characteristic id.

    None means the characteristic is judged from evidence, not from data.
    ``characteristics``: the tier's (characteristic_list), when the caller
    has read them already.
    """
    from planning.selectors import review_overdue_exists

    if characteristics is None:
        characteristics = characteristic_list(tier=tier)
    needed = {c.automatic_check for c in characteristics if c.automatic_check}
    facts: dict[str, bool] = {}
    mou = mou_in_force(organisation=organisation, on=on) if needed else None
    if CharacteristicCheck.MOU_IN_FORCE in needed:
        facts[CharacteristicCheck.MOU_IN_FORCE] = mou is not None
    if CharacteristicCheck.MARKET_EQUALLY in needed:
        facts[CharacteristicCheck.MARKET_EQUALLY] = bool(mou and mou.market_equally)
    if CharacteristicCheck.OWNERSHIP_HIERARCHY in needed:
        sides = set(
            OwnershipLevel.objects.filter(mou=mou).values_list("side", flat=True)
            if mou
            else []
        )
        facts[CharacteristicCheck.OWNERSHIP_HIERARCHY] = sides == {
            OwnershipLevel.Side.CEOP,
            OwnershipLevel.Side.PARTNER,
        }
    if needed & {
        CharacteristicCheck.OBJECTIVES_ONE,
        CharacteristicCheck.OBJECTIVES_SEVERAL,
    }:
        count = _centre_plan_objective_count(organisation=organisation, mou=mou)
        facts[CharacteristicCheck.OBJECTIVES_ONE] = count >= 1
        facts[CharacteristicCheck.OBJECTIVES_SEVERAL] = count >= 2
    if CharacteristicCheck.CONTRIBUTION_ACTIVE in needed:
        facts[CharacteristicCheck.CONTRIBUTION_ACTIVE] = Contribution.objects.filter(
            organisation=organisation, status__in=ACTIVE_CONTRIBUTION
        ).exists()
    if needed & {
        CharacteristicCheck.MONITORING_QUARTERLY,
        CharacteristicCheck.MONITORING_ANNUAL,
    }:
        up_to_date = not review_overdue_exists(organisation=organisation, on=on)
        facts[CharacteristicCheck.MONITORING_QUARTERLY] = up_to_date
        facts[CharacteristicCheck.MONITORING_ANNUAL] = up_to_date
    return {
        c.pk: facts.get(c.automatic_check) if c.automatic_check else None
        for c in characteristics
    }


# --- Staff workspace reads -------------------------------------------------


def association_list_for_organisation(
    *, organisation: Organisation
) -> QuerySet[Association]:
    return (
        Association.objects.filter(organisation=organisation)
        .select_related("tier", "mou", "created_by")
        .order_by("-start", "-pk")
    )


def association_list_newest() -> QuerySet[Association]:
    """Associations newest first (what approved moves leave behind).

    Read backwards through the index on (created_at, id): with created_at alone,
    the tie-break on id made PostgreSQL join and sort every association (0.3 to
    0.5 s at 100,000 organisations, where seeded rows share a few timestamps).
    """
    return Association.objects.select_related(
        "organisation", "tier", "created_by"
    ).order_by("-created_at", "-pk")


def tier_change_list(*, status: str | None = None) -> QuerySet[TierChange]:
    changes = TierChange.objects.select_related(
        "organisation",
        "to_tier",
        "from_association__tier",
        "requested_by",
        "decided_by",
    )
    if status:
        changes = changes.filter(status=status)
    return changes.order_by("-created_at", "-pk")


def tier_change_list_for_organisation(
    *, organisation: Organisation
) -> QuerySet[TierChange]:
    return tier_change_list().filter(organisation=organisation)


def tier_change_get(*, pk: int) -> TierChange:
    from django.db.models import Prefetch

    return (
        tier_change_list()
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=TierChangeEvidence.objects.select_related("characteristic"),
            )
        )
        .get(pk=pk)
    )


def benefit_delivery_list_for_organisation(
    *, organisation: Organisation
) -> QuerySet[BenefitDelivery]:
    return (
        BenefitDelivery.objects.filter(organisation=organisation)
        .select_related("benefit", "association__tier", "recorded_by")
        .order_by("-delivered_on", "-pk")
    )


def organisation_list_relationship_ended_before(*, day: date) -> QuerySet[Organisation]:
    """Ended organisations whose last association ended before the day (or, never
    associated, were last changed before it): the retention schedule's clock."""
    associations = Association.objects.filter(organisation=OuterRef("pk"))
    last_end = associations.order_by(F("end").desc(nulls_first=True)).values("end")[:1]
    return (
        Organisation.objects.filter(status=Organisation.Status.ENDED)
        .annotate(last_end=Subquery(last_end), associated=Exists(associations))
        .filter(Q(last_end__lt=day) | Q(associated=False, updated_at__date__lt=day))
    )
