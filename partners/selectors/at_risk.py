"""At risk: an association that no longer meets its level's conditions."""

from datetime import date

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
)

from partners.models import (
    DueDiligence,
    MoU,
    Organisation,
)

# --- At risk: an association that no longer meets its level's conditions -------

AT_RISK_REASONS = {
    "mou": "No signed MoU in force, which its level needs",
    "due_diligence": "No approved due diligence in force",
}


def organisation_at_risk_conditions(*, today: date) -> dict[str, Q]:
    """Why an organisation is at risk on the day, each a condition on Organisation.

    The one definition the organisation page, the list's filter, the dashboard
    and the sweep use: a current association whose level needs an MoU and has
    none in force, or any current association (a supplier's is not one) without
    approved, unexpired due diligence. Nothing is demoted for it: a senior
    manager decides a move.
    """
    from tiers.models import Association

    current = Association.objects.filter(organisation=OuterRef("pk"), end__isnull=True)
    mou_in_force = MoU.objects.filter(
        organisation=OuterRef("pk"),
        status=MoU.Status.SIGNED,
        start__lte=today,
        end__gte=today,
    )
    due_diligence_in_force = DueDiligence.objects.filter(
        organisation=OuterRef("pk"),
        outcome=DueDiligence.Outcome.APPROVED,
        assessed_on__lte=today,
        expires_on__gt=today,
    )
    return {
        "mou": Q(Exists(current.filter(tier__requires_mou=True)))
        & ~Q(Exists(mou_in_force)),
        "due_diligence": Q(Exists(current.filter(tier__is_association=True)))
        & ~Q(Exists(due_diligence_in_force)),
    }


def organisation_filter_at_risk(
    *, queryset: QuerySet[Organisation], today: date, at_risk: bool = True
) -> QuerySet[Organisation]:
    conditions = organisation_at_risk_conditions(today=today).values()
    either = Q()
    for condition in conditions:
        either |= condition
    return queryset.filter(either if at_risk else ~either)


def organisation_annotate_at_risk(
    *, queryset: QuerySet[Organisation], today: date
) -> QuerySet[Organisation]:
    """Each organisation with at_risk_mou and at_risk_due_diligence."""
    return queryset.annotate(
        **{
            f"at_risk_{key}": ExpressionWrapper(condition, output_field=BooleanField())
            for key, condition in organisation_at_risk_conditions(today=today).items()
        }
    )


def organisation_at_risk_reasons(organisation: Organisation) -> list[str]:
    """The reasons of an organisation read through ``organisation_list``."""
    return [
        text
        for key, text in AT_RISK_REASONS.items()
        if getattr(organisation, f"at_risk_{key}", False)
    ]
