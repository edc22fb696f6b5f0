"""Writes and rules of organisations, due diligence, MoUs, support and issues."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from ceop_crm.access import may_change_ownership
from ceop_crm.exceptions import ApplicationError, full_clean
from partners.models import (
    Contact,
    Contribution,
    DueDiligence,
    MoU,
    Organisation,
    OwnershipLevel,
    PortalMembership,
    PrincipleAssessment,
    Proposal,
    RelationshipIssue,
)
from priorities.models import Principle, PriorityArea, Threat

Actor = AbstractBaseUser | None


def _save(obj: Any, actor: Actor, **kwargs: Any) -> Any:
    obj._history_user = actor
    full_clean(obj)
    obj.save(**kwargs)
    return obj


def _apply(obj: Any, data: dict[str, Any]) -> None:
    for field, value in data.items():
        setattr(obj, field, value)


# A new organisation is a prospect or under assessment; after that its status
# follows its association (active when one starts, ended when it ends).
ORGANISATION_NEW_STATUSES = (
    Organisation.Status.PROSPECT,
    Organisation.Status.ASSESSMENT,
)


@transaction.atomic
def organisation_create(*, actor: Actor, **fields: Any) -> Organisation:
    if fields.get("status", Organisation.Status.PROSPECT) not in (
        ORGANISATION_NEW_STATUSES
    ):
        raise ApplicationError(
            {"status": ["A new organisation is a prospect or under assessment."]}
        )
    return _save(Organisation(**fields), actor)


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, actor: Actor, **fields: Any
) -> Organisation:
    status = fields.get("status", organisation.status)
    if status != organisation.status and not (
        status in ORGANISATION_NEW_STATUSES
        and organisation.status in ORGANISATION_NEW_STATUSES
    ):
        raise ApplicationError(
            {
                "status": [
                    "The status follows the association: start, move or end it "
                    "with a tier move."
                ]
            }
        )
    changed = [
        name
        for name in ("owner", "deputy")
        if name in fields and _pk(fields[name]) != getattr(organisation, f"{name}_id")
    ]
    if changed and not (
        actor is not None and may_change_ownership(actor, organisation)
    ):
        raise ApplicationError(
            {
                name: [
                    "Only the relationship owner or a senior manager can change "
                    "who owns and deputises for this organisation."
                ]
                for name in changed
            }
        )
    _apply(organisation, fields)
    return _save(organisation, actor)


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


@transaction.atomic
def contact_save(*, contact: Contact, actor: Actor) -> Contact:
    """Create or update a contact; making it primary demotes the previous primary."""
    if contact.is_primary:
        previous = Contact.objects.filter(
            organisation_id=contact.organisation_id, is_primary=True
        ).exclude(pk=contact.pk)
        for other in previous:
            other.is_primary = False
            _save(other, actor)
    return _save(contact, actor)


@transaction.atomic
def contact_delete(*, contact: Contact, actor: Actor) -> None:
    """Remove a contact; a partner user cannot remove the one their account is
    linked to (portal and API alike)."""
    if (
        actor is not None
        and actor.pk is not None
        and PortalMembership.objects.filter(user_id=actor.pk, contact=contact).exists()
    ):
        raise ApplicationError(
            "This contact is linked to your own portal account; ask CEOP to remove it."
        )
    contact._history_user = actor
    contact.delete()


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


@transaction.atomic
def mou_create(*, organisation: Organisation, actor: Actor, **fields: Any) -> MoU:
    fields.setdefault("status", MoU.Status.DRAFT)
    if fields["status"] not in (MoU.Status.DRAFT, MoU.Status.NEGOTIATION):
        raise ApplicationError(
            {
                "status": [
                    "A new MoU is a draft or in negotiation; sign it to make it signed."
                ]
            }
        )
    objectives = fields.pop("centre_plan_objectives", None)
    mou = _save(MoU(organisation=organisation, **fields), actor)
    if objectives is not None:
        mou.centre_plan_objectives.set(objectives)
    return mou


@transaction.atomic
def mou_update(*, mou: MoU, actor: Actor, **fields: Any) -> MoU:
    if mou.status in (MoU.Status.EXPIRED, MoU.Status.TERMINATED):
        raise ApplicationError(
            f"A {mou.get_status_display().lower()} MoU cannot be changed."
        )
    if mou.status not in (MoU.Status.DRAFT, MoU.Status.NEGOTIATION):
        # Its status and term change only by signing, renewing, terminating
        # or expiring: associations rest on them.
        fixed = {
            name: [
                f"A {mou.get_status_display().lower()} MoU's {name} cannot be changed."
            ]
            for name in ("status", "start", "end")
            if name in fields and fields[name] != getattr(mou, name)
        }
        if fixed:
            raise ApplicationError(fixed)
    objectives = fields.pop("centre_plan_objectives", None)
    _apply(mou, fields)
    _save(mou, actor)
    if objectives is not None:
        mou.centre_plan_objectives.set(objectives)
    return mou


@transaction.atomic
def mou_sign(
    *,
    mou: MoU,
    signed_on: date,
    start: date,
    end: date,
    actor: Actor,
    ceop_signatory: str | None = None,
    partner_signatory: str | None = None,
) -> MoU:
    """Sign a draft MoU: both signatories, dates in order, signed no later than today."""
    mou = MoU.objects.select_for_update().get(pk=mou.pk)
    if mou.status not in (MoU.Status.DRAFT, MoU.Status.NEGOTIATION):
        raise ApplicationError(
            f"A {mou.get_status_display().lower()} MoU cannot be signed."
        )
    if ceop_signatory is not None:
        mou.ceop_signatory = ceop_signatory
    if partner_signatory is not None:
        mou.partner_signatory = partner_signatory
    errors: dict[str, list[str]] = {}
    if end < start:
        errors["end"] = ["The MoU cannot end before it starts."]
    if signed_on > timezone.localdate():
        errors["signed_on"] = ["The signing date cannot be in the future."]
    if not mou.ceop_signatory.strip():
        errors["ceop_signatory"] = ["Name CEOP's signatory."]
    if not mou.partner_signatory.strip():
        errors["partner_signatory"] = ["Name the partner's signatory."]
    if errors:
        raise ApplicationError(errors)
    mou.status = MoU.Status.SIGNED
    mou.signed_on, mou.start, mou.end = signed_on, start, end
    return _save(mou, actor)


@transaction.atomic
def mou_expire(*, mou: MoU, actor: Actor, today: date | None = None) -> MoU:
    today = today or timezone.localdate()
    if mou.status != MoU.Status.SIGNED or mou.end is None or mou.end >= today:
        raise ApplicationError("Only a signed MoU past its end date can expire.")
    mou.status = MoU.Status.EXPIRED
    return _save(mou, actor)


def mou_expire_lapsed(*, today: date | None = None) -> int:
    """Mark every signed MoU past its end as expired (run by the sweep)."""
    today = today or timezone.localdate()
    lapsed = list(MoU.objects.filter(status=MoU.Status.SIGNED, end__lt=today))
    for mou in lapsed:
        mou_expire(mou=mou, actor=None, today=today)
    return len(lapsed)


@transaction.atomic
def mou_terminate(*, mou: MoU, on: date, reason: str, actor: Actor) -> MoU:
    if mou.status != MoU.Status.SIGNED:
        raise ApplicationError("Only a signed MoU can be terminated.")
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["termination_reason"] = ["Say why the MoU is terminated."]
    if mou.start and on < mou.start:
        errors["terminated_on"] = ["An MoU cannot be terminated before it starts."]
    if errors:
        raise ApplicationError(errors)
    mou.status = MoU.Status.TERMINATED
    mou.terminated_on = on
    mou.termination_reason = reason.strip()
    if mou.end and on < mou.end:
        mou.end = on
    return _save(mou, actor)


@transaction.atomic
def mou_renew(*, mou: MoU, start: date, end: date, actor: Actor) -> MoU:
    """Draft the next MoU, carrying over objectives, marketing terms and ownership."""
    if mou.status not in (MoU.Status.SIGNED, MoU.Status.EXPIRED):
        raise ApplicationError("Only a signed or expired MoU can be renewed.")
    if mou.renewals.exclude(status=MoU.Status.TERMINATED).exists():
        raise ApplicationError("This MoU already has a renewal.")
    if end < start:
        raise ApplicationError({"end": ["The MoU cannot end before it starts."]})
    if (
        mou.end
        and start <= mou.end
        and mou.status == MoU.Status.SIGNED
        and start < mou.start
    ):
        raise ApplicationError(
            {"start": ["A renewal cannot start before the MoU it renews."]}
        )
    renewal = _save(
        MoU(
            organisation=mou.organisation,
            title=mou.title,
            status=MoU.Status.DRAFT,
            start=start,
            end=end,
            ceop_signatory=mou.ceop_signatory,
            partner_signatory=mou.partner_signatory,
            market_equally=mou.market_equally,
            joint_marketing_terms=mou.joint_marketing_terms,
            renewal_of=mou,
        ),
        actor,
    )
    renewal.centre_plan_objectives.set(mou.centre_plan_objectives.all())
    for level in mou.ownership_levels.all():
        level.pk = None
        level.mou = renewal
        _save(level, actor)
    return renewal


@transaction.atomic
def ownership_level_save(*, level: OwnershipLevel, actor: Actor) -> OwnershipLevel:
    return _save(level, actor)


@transaction.atomic
def contribution_save(
    *,
    contribution: Contribution,
    actor: Actor,
    priority_areas: Iterable[PriorityArea] | None = None,
    centre_plan_objectives: Iterable[Any] | None = None,
) -> Contribution:
    if (
        contribution.status == Contribution.Status.COMPLETED
        and not contribution.outcomes.strip()
    ):
        raise ApplicationError(
            {"outcomes": ["Record the outcomes of completed support."]}
        )
    _save(contribution, actor)
    if priority_areas is not None:
        contribution.priority_areas.set(priority_areas)
    if centre_plan_objectives is not None:
        contribution.centre_plan_objectives.set(centre_plan_objectives)
    return contribution


@transaction.atomic
def proposal_submit(
    *,
    organisation: Organisation,
    title: str,
    offer: str,
    actor: Actor,
    priority_areas: Iterable[PriorityArea] = (),
    threat: Threat | None = None,
    new_threat: str = "",
    source: str = Proposal.Source.STAFF,
    kind: str = "other",
    contact_name: str = "",
    contact_email: str = "",
    other_suggestion: bool = False,
    submitted_as: str = "",
    matched_by_name: bool = False,
) -> Proposal:
    """An approach serves a priority area (a CEOP service) or a threat, or is
    another suggestion, which the strategy welcomes and triage sees flagged."""
    priority_areas = list(priority_areas)
    if (
        not priority_areas
        and threat is None
        and not new_threat.strip()
        and not other_suggestion
    ):
        raise ApplicationError(
            {
                "priority_areas": [
                    "Choose at least one priority area, name the threat this "
                    "support addresses, or offer it as another suggestion."
                ]
            }
        )
    proposal = _save(
        Proposal(
            organisation=organisation,
            title=title,
            offer=offer,
            kind=kind,
            threat=threat,
            new_threat=new_threat.strip(),
            other_suggestion=other_suggestion,
            source=source,
            contact_name=contact_name,
            contact_email=contact_email,
            submitted_as=submitted_as,
            matched_by_name=matched_by_name,
            submitted_by=actor
            if actor is not None and actor.is_authenticated
            else None,
        ),
        actor,
    )
    proposal.priority_areas.set(priority_areas)
    return proposal


def _triageable(proposal: Proposal) -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != Proposal.Status.SUBMITTED:
        raise ApplicationError(
            f"This proposal is already {proposal.get_status_display().lower()}."
        )
    return proposal


@transaction.atomic
def proposal_accept(*, proposal: Proposal, actor: Actor) -> Contribution:
    """Accept an approach: it becomes an agreed contribution."""
    proposal = _triageable(proposal)
    contribution = contribution_save(
        contribution=Contribution(
            organisation=proposal.organisation,
            kind=proposal.kind,
            title=proposal.title,
            description=proposal.offer,
            status=Contribution.Status.AGREED,
        ),
        actor=actor,
        priority_areas=proposal.priority_areas.all(),
    )
    proposal.status = Proposal.Status.ACCEPTED
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.contribution = contribution
    _save(proposal, actor)
    return contribution


@transaction.atomic
def proposal_decline(*, proposal: Proposal, reason: str, actor: Actor) -> Proposal:
    proposal = _triageable(proposal)
    if not reason.strip():
        raise ApplicationError(
            {"decline_reason": ["Say why the proposal is declined."]}
        )
    proposal.status = Proposal.Status.DECLINED
    proposal.decline_reason = reason.strip()
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    return _save(proposal, actor)


@transaction.atomic
def relationship_issue_raise(
    *, organisation: Organisation, title: str, actor: Actor, **fields: Any
) -> RelationshipIssue:
    fields.setdefault("raised_on", timezone.localdate())
    if fields["raised_on"] > timezone.localdate():
        raise ApplicationError(
            {"raised_on": ["An issue cannot be raised in the future."]}
        )
    fields.setdefault("owner", organisation.owner)
    return _save(
        RelationshipIssue(organisation=organisation, title=title, **fields), actor
    )


@transaction.atomic
def relationship_issue_escalate(
    *, issue: RelationshipIssue, actor: Actor
) -> RelationshipIssue:
    """Move an open issue one level up the MoU's ownership hierarchy."""
    if issue.status != RelationshipIssue.Status.OPEN:
        raise ApplicationError("Only an open issue can be escalated.")
    top = (
        OwnershipLevel.objects.filter(
            mou__organisation=issue.organisation, mou__status=MoU.Status.SIGNED
        )
        .order_by("-level")
        .values_list("level", flat=True)
        .first()
    )
    if top is not None and issue.escalation_level >= top:
        raise ApplicationError(
            "The issue is already at the top of the ownership hierarchy."
        )
    issue.escalation_level += 1
    issue.escalated_at = timezone.now()
    return _save(issue, actor)


@transaction.atomic
def relationship_issue_resolve(
    *,
    issue: RelationshipIssue,
    resolution: str,
    actor: Actor,
    resolved_on: date | None = None,
) -> RelationshipIssue:
    if issue.status != RelationshipIssue.Status.OPEN:
        raise ApplicationError("This issue is already resolved.")
    if not resolution.strip():
        raise ApplicationError({"resolution": ["Describe how the issue was resolved."]})
    issue.status = RelationshipIssue.Status.RESOLVED
    issue.resolution = resolution.strip()
    issue.resolved_on = resolved_on or timezone.localdate()
    return _save(issue, actor)
