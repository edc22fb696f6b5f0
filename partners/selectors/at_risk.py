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


def association_at_risk_conditions(*, today: date) -> dict[str, Q]:
    """Why a current association is at risk on the day, each a condition on
    Association (its organisation's MoUs and due diligence).

    The one definition the organisation page, the list's filter, the dashboard
    and the sweep use: a current association whose level needs an MoU and has
    none in force, or any current association (a supplier's is not one) without
    approved, unexpired due diligence. Nothing is demoted for it: a senior
    manager decides a move.
    """
    organisation = OuterRef("organisation_id")
    mou_in_force = MoU.objects.filter(
        organisation=organisation,
        status=MoU.Status.SIGNED,
        start__lte=today,
        end__gte=today,
    )
    due_diligence_in_force = DueDiligence.objects.filter(
        organisation=organisation,
        outcome=DueDiligence.Outcome.APPROVED,
        assessed_on__lte=today,
        expires_on__gt=today,
    )
    return {
        "mou": Q(tier__requires_mou=True) & ~Q(Exists(mou_in_force)),
        "due_diligence": Q(tier__is_association=True)
        & ~Q(Exists(due_diligence_in_force)),
    }


def _current_associations() -> QuerySet:
    from tiers.models import Association

    return Association.objects.filter(end__isnull=True).order_by()


def organisation_at_risk_conditions(*, today: date) -> dict[str, Q]:
    """Why an organisation is at risk on the day, each a condition on
    Organisation: it has a current association at risk for that reason
    (``association_at_risk_conditions``). Read row by row (an organisation's
    page, a page of a list)."""
    current = _current_associations().filter(organisation=OuterRef("pk"))
    return {
        key: Q(Exists(current.filter(condition)))
        for key, condition in association_at_risk_conditions(today=today).items()
    }


def organisation_at_risk_ids(*, today: date) -> QuerySet:
    """The ids of the organisations at risk on the day, as a subquery.

    Driven from the current associations: one anti-join per reason (to the
    MoUs in force, to the due diligence in force), their ids together. A
    filter of organisations on it reads the few at risk once instead of
    testing each organisation against every MoU and assessment.
    """
    parts = [
        _current_associations().filter(condition).values("organisation_id")
        for condition in association_at_risk_conditions(today=today).values()
    ]
    return parts[0].union(*parts[1:], all=True)


def organisation_filter_at_risk(
    *, queryset: QuerySet[Organisation], today: date, at_risk: bool = True
) -> QuerySet[Organisation]:
    either = Q(pk__in=organisation_at_risk_ids(today=today))
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
