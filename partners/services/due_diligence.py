"""Writes and rules of due diligence: recording and deciding it."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from ceop_crm.exceptions import ApplicationError
from partners.models import (
    DueDiligence,
    Organisation,
    PrincipleAssessment,
)
from partners.services.common import Actor, _save
from priorities.models import Principle


@transaction.atomic
def due_diligence_record(
    *,
    organisation: Organisation,
    assessed_on: date,
    child_protection: str,
    brand_risk: str,
    findings: dict[int, tuple[bool, str]],
    actor: Actor,
    notes: str = "",
) -> DueDiligence:
    """Record an assessment against each principle; it starts in progress."""
    if assessed_on > timezone.localdate():
        raise ApplicationError(
            {"assessed_on": ["An assessment cannot be dated in the future."]}
        )
    due_diligence = _save(
        DueDiligence(
            organisation=organisation,
            assessed_on=assessed_on,
            assessed_by=actor if actor and actor.is_authenticated else None,
            child_protection=child_protection,
            brand_risk=brand_risk,
            notes=notes,
        ),
        actor,
    )
    principles = {p.pk: p for p in Principle.objects.all()}
    unknown = set(findings) - set(principles)
    if unknown:
        raise ApplicationError("Findings name a principle that does not exist.")
    for principle_id, (met, evidence) in findings.items():
        _save(
            PrincipleAssessment(
                due_diligence=due_diligence,
                principle=principles[principle_id],
                met=met,
                evidence=evidence.strip(),
            ),
            actor,
        )
    return due_diligence


@transaction.atomic
def due_diligence_decide(
    *,
    due_diligence: DueDiligence,
    outcome: str,
    actor: Actor,
    expires_on: date | None = None,
) -> DueDiligence:
    """Approve (against every principle, child protection and brand risk) or reject."""
    if due_diligence.outcome != DueDiligence.Outcome.PENDING:
        raise ApplicationError("This due diligence has already been decided.")
    if outcome == DueDiligence.Outcome.APPROVED:
        errors: dict[str, list[str]] = {}
        met = set(
            due_diligence.principle_assessments.filter(met=True).values_list(
                "principle_id", flat=True
            )
        )
        not_met = [
            p.title for p in Principle.objects.order_by("order") if p.pk not in met
        ]
        if not_met:
            errors["__all__"] = [
                "Every principle must be met before approval. Not met: "
                + "; ".join(not_met)
            ]
        if due_diligence.child_protection == DueDiligence.ChildProtection.MISSING:
            errors["child_protection"] = [
                "Appropriate child protection procedures must be in place (where relevant)."
            ]
        if due_diligence.brand_risk == DueDiligence.BrandRisk.HIGH:
            errors["brand_risk"] = [
                "An organisation posing a high risk to CEOP's brand cannot be approved."
            ]
        if expires_on is None:
            errors["expires_on"] = ["Approved due diligence needs an expiry date."]
        elif expires_on <= due_diligence.assessed_on:
            errors["expires_on"] = [
                "Due diligence must expire after the assessment date."
            ]
        if errors:
            raise ApplicationError(errors)
    elif outcome != DueDiligence.Outcome.REJECTED:
        raise ApplicationError({"outcome": ["Choose approved or rejected."]})
    due_diligence.outcome = outcome
    due_diligence.expires_on = expires_on
    return _save(due_diligence, actor)
