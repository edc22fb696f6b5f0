"""Reads of the partners app."""

from datetime import date

from django.db.models import QuerySet

from partners.models import DueDiligence, MoU, Organisation


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


def mou_list_for_organisation(*, organisation: Organisation) -> QuerySet[MoU]:
    return (
        MoU.objects.filter(organisation=organisation)
        .prefetch_related("ownership_levels", "centre_plan_objectives")
        .order_by("-start", "-pk")
    )
