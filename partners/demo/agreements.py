"""Due diligence, MoUs, associations and tier moves of a demo organisation."""

import datetime as dt
from typing import Any

from partners.demo import names, texts
from partners.demo.base import (
    DUE_DILIGENCE_YEARS,
    RECORDED_SINCE_DAYS,
    SP,
    DemoBase,
    days,
)
from partners.models import (
    DueDiligence,
    MoU,
    Organisation,
    OwnershipLevel,
    PrincipleAssessment,
)
from tiers.models import Association, TierChange, TierChangeEvidence, TierLevel


class AgreementsMixin(DemoBase):
    """Due diligence, MoUs with their ownership hierarchy, associations, tier moves."""

    def due_diligence(
        self, org: Organisation, first_day: dt.date, last_day: dt.date, assessor: Any
    ) -> None:
        """Approved due diligence covering every day from first_day to last_day."""
        rng = self.rng
        assessed = first_day - days(rng.randint(14, 60))
        while True:
            expires = assessed + days(365 * DUE_DILIGENCE_YEARS)
            dd = self.new(
                DueDiligence,
                organisation=org,
                assessed_on=assessed,
                assessed_by=assessor,
                child_protection=rng.choice(
                    (
                        DueDiligence.ChildProtection.IN_PLACE,
                        DueDiligence.ChildProtection.IN_PLACE,
                        DueDiligence.ChildProtection.NOT_RELEVANT,
                    )
                ),
                brand_risk=rng.choice(
                    (DueDiligence.BrandRisk.LOW, DueDiligence.BrandRisk.MEDIUM)
                ),
                outcome=DueDiligence.Outcome.APPROVED,
                expires_on=expires,
                notes=rng.choice(texts.DUE_DILIGENCE_NOTES),
            )
            for principle in self.principles:
                self.new(
                    PrincipleAssessment,
                    due_diligence=dd,
                    principle=principle,
                    met=True,
                    evidence=rng.choice(texts.DUE_DILIGENCE_EVIDENCE),
                )
            if expires > last_day:
                return
            # Renewed before the previous one lapses, never dated in the future.
            assessed = min(expires - days(rng.randint(20, 60)), self.today)

    def mou(
        self,
        org: Organisation,
        tier: TierLevel,
        start: dt.date,
        end: dt.date,
        status: str,
        owner: Any,
        partner_person: str,
        **extra: Any,
    ) -> MoU:
        rng = self.rng
        signed = status in (
            MoU.Status.SIGNED,
            MoU.Status.EXPIRED,
            MoU.Status.TERMINATED,
        )
        mou = self.new(
            MoU,
            organisation=org,
            title=f"Memorandum of Understanding: CEOP and {org.name}"[:200],
            status=status,
            start=start,
            end=end,
            signed_on=start - days(rng.randint(0, 21)) if signed else None,
            ceop_signatory=rng.choice(texts.CEOP_SIGNATORIES),
            partner_signatory=f"{partner_person}, Chief Executive",
            market_equally=True,
            joint_marketing_terms=(
                "Announcements about the partnership are agreed in advance by "
                "both communications teams."
            ),
            **extra,
        )
        # Drafted some weeks before it was signed (or before today, for a draft).
        self.made_on(mou, (mou.signed_on or start) - self.lead_days(org.name, 14, 45))
        many = 3 if tier.code == SP else 2
        if status not in (MoU.Status.EXPIRED, MoU.Status.TERMINATED):
            # The objectives are this year's Centre Plan: not for MoUs that ended.
            for objective_id in self.sample(
                self.objective_ids, rng.randint(many - 1, many)
            ):
                self.mou_objectives.append((mou, objective_id))
        levels = 3 if tier.code == SP else 2
        ceop_people = [self.full_name(owner)] + [
            self.full_name(s)
            for s in rng.sample(self.seniors, min(2, len(self.seniors)))
        ]
        for level in range(1, levels + 1):
            for side in (OwnershipLevel.Side.CEOP, OwnershipLevel.Side.PARTNER):
                if side == OwnershipLevel.Side.CEOP and level <= len(ceop_people):
                    person = ceop_people[level - 1] or "CEOP duty manager"
                elif side == OwnershipLevel.Side.PARTNER and level == 1:
                    person = partner_person
                else:
                    person = " ".join(names.person(rng))
                self.new(
                    OwnershipLevel,
                    mou=mou,
                    level=level,
                    side=side,
                    name=person,
                    role=texts.OWNERSHIP_ROLES[side][level - 1],
                    days_to_resolve=10 * level,
                )
        return mou

    def association(
        self,
        org: Organisation,
        tier: TierLevel,
        start: dt.date,
        owner: Any,
        end: dt.date | None = None,
        end_reason: str = "",
        mou: MoU | None = None,
    ) -> Association:
        return self.new(
            Association,
            organisation=org,
            tier=tier,
            start=start,
            end=end,
            end_reason=end_reason,
            mou=mou,
            created_by=owner,
        )

    def tier_change(
        self,
        org: Organisation,
        direction: str,
        to_tier: TierLevel | None,
        effective: dt.date,
        reason: str,
        requested_by: Any,
        from_association: Association | None = None,
        resulting: Association | None = None,
        status: str = TierChange.Status.APPROVED,
    ) -> None:
        if direction == TierChange.Direction.START and effective < self.today - days(
            RECORDED_SINCE_DAYS
        ):
            return
        requested_by = requested_by or self.rng.choice(self.staff)
        deciders = [s for s in self.seniors if s != requested_by] or self.seniors
        decided = status in (TierChange.Status.APPROVED, TierChange.Status.REJECTED)
        decided_on = min(effective - days(self.rng.randint(3, 20)), self.today)
        change = self.new(
            TierChange,
            organisation=org,
            from_association=from_association,
            to_tier=to_tier,
            direction=direction,
            effective_date=effective,
            reason=reason,
            status=status,
            requested_by=requested_by,
            decided_by=self.rng.choice(deciders) if decided else None,
            decided_at=self.moment(decided_on, 15) if decided else None,
            decision_reason=(
                texts.REASON_REJECTED if status == TierChange.Status.REJECTED else ""
            ),
            resulting_association=resulting,
        )
        # Asked some days before it was decided (or before today, if pending).
        asked = (decided_on if decided else self.today) - self.lead_days(
            f"{org.name}{direction}", 3, 18
        )
        self.made_on(change, asked)
        if to_tier is None:
            return
        for c in self.characteristics[to_tier.pk]:
            automatic = bool(c.automatic_check) and status == TierChange.Status.APPROVED
            self.new(
                TierChangeEvidence,
                tier_change=change,
                characteristic=c,
                evidence=texts.AUTOMATIC_EVIDENCE.get(
                    c.automatic_check, self.rng.choice(texts.JUDGED_EVIDENCE)
                ),
                automatic_result=True if automatic else None,
            )
