"""Writes and rules of Memoranda of Understanding: drafting, signing, expiry, termination, renewal."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from ceop_crm.exceptions import ApplicationError
from partners.models import (
    MoU,
    Organisation,
)
from partners.services.common import Actor, _apply, _save


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
