"""The story of each demo organisation: prospect, under assessment, associated or ended."""

from typing import Any

from partners.demo import names, texts
from partners.demo.base import (
    ASSESSMENT,
    CATEGORY_WEIGHTS,
    ENDED,
    OS,
    PROSPECT,
    SECTOR_WEIGHTS,
    SECTORS,
    SP,
    SUPPLIER,
    DemoBase,
    P,
    allocate,
    days,
)
from partners.models import (
    Contact,
    DueDiligence,
    MoU,
    Organisation,
    PrincipleAssessment,
    Proposal,
    Sector,
)
from tiers.models import TierChange


class OrganisationsMixin(DemoBase):
    """Plans the organisations and tells the story of each."""

    def plan(self, total: int) -> list[tuple[str, str]]:
        """(category, sector) for each organisation, every sector and tier present."""
        categories = [
            c for c, n in allocate(total, CATEGORY_WEIGHTS).items() for _ in range(n)
        ]
        self.rng.shuffle(categories)
        sectors = [self.rng.choices(SECTORS, SECTOR_WEIGHTS[c])[0] for c in categories]
        # Cover every sector with organisations that are not suppliers.
        others = [i for i, c in enumerate(categories) if c != SUPPLIER]
        for sector, i in zip(SECTORS, others, strict=False):
            sectors[i] = sector
        return list(zip(categories, sectors, strict=True))

    def organisation(self, category: str, sector: str) -> None:
        rng = self.rng
        supplier = category == SUPPLIER
        name = self.names.name(sector, supplier=supplier)
        owner = rng.choice(self.managers) if self.managers else None
        if category == PROSPECT and not self.chance(0.6):
            owner = None
        deputies = [s for s in self.staff if s != owner]
        deputy = (
            rng.choice(deputies)
            if owner is not None and deputies and self.chance(0.8)
            else None
        )
        if sector == Sector.INTERNATIONAL:
            country = rng.choice(names.INTERNATIONAL_COUNTRIES)
        elif sector == Sector.INDUSTRY and self.chance(0.15):
            country = rng.choice(("United States", "Ireland", "Netherlands"))
        else:
            country = "United Kingdom"
        status = {
            ENDED: Organisation.Status.ENDED,
            ASSESSMENT: Organisation.Status.ASSESSMENT,
            PROSPECT: Organisation.Status.PROSPECT,
        }.get(category, Organisation.Status.ACTIVE)
        domain = f"{names.slug(name)}.example"
        org = self.new(
            Organisation,
            name=name,
            sector=sector,
            status=status,
            owner=owner,
            deputy=deputy,
            website=f"https://www.{domain}",
            country=country,
            description=(
                texts.SUPPLIER_DESCRIPTION
                if supplier
                else rng.choice(texts.DESCRIPTIONS[sector])
            ),
        )
        org.normalise_name()  # rows are bulk-created: save() does not run
        contacts = self.contacts(org, domain, 1 if category == PROSPECT else 3)
        primary = contacts[0].name
        if category in (SP, P, OS, SUPPLIER):
            self.associated(org, category, owner, primary)
        elif category == ENDED:
            self.ended(org, owner, primary)
        elif category == ASSESSMENT:
            self.under_assessment(org, owner, primary)
        if category in (PROSPECT, ASSESSMENT) and self.chance(0.6):
            self.proposal(org, contacts[0], source=Proposal.Source.PUBLIC)
        elif category in (SP, P, OS) and self.chance(0.12):
            self.proposal(org, contacts[0], source=Proposal.Source.PORTAL)

    def contacts(self, org: Organisation, domain: str, most: int) -> list[Contact]:
        contacts = []
        for i in range(self.rng.randint(1, most)):
            first, last = names.person(self.rng)
            local = f"{first}.{last}".lower().replace("'", "")
            contacts.append(
                self.new(
                    Contact,
                    organisation=org,
                    name=f"{first} {last}",
                    job_title=self.rng.choice(names.JOB_TITLES),
                    email=f"{local}@{domain}",
                    phone=names.phone(self.rng),
                    is_primary=i == 0,
                )
            )
        return contacts

    def associated(self, org: Organisation, code: str, owner: Any, person: str) -> None:
        """A current association, sometimes after an earlier one at another tier."""
        rng, today = self.rng, self.today
        tier = self.tiers[code]
        history = {SP: 0.3, P: 0.25, OS: 0.15}.get(code, 0) > rng.random()
        start = self.ago(20, 500 if history else 900)
        first_start = start
        previous = None
        if history:
            first_start = start - days(rng.randint(240, 700))
            before = {SP: P, P: rng.choice((OS, OS, SP)), OS: P}[code]
            previous_tier = self.tiers[before]
            old_mou = None
            if previous_tier.requires_mou:
                superseded = tier.requires_mou
                old_mou = self.mou(
                    org,
                    previous_tier,
                    first_start - days(rng.randint(0, 20)),
                    start - days(1),
                    MoU.Status.TERMINATED if superseded else MoU.Status.EXPIRED,
                    owner,
                    person,
                    terminated_on=start - days(1) if superseded else None,
                    termination_reason=(
                        f"Superseded by the MoU of the {tier.name} association."
                        if superseded
                        else ""
                    ),
                )
            previous = self.association(
                org,
                previous_tier,
                first_start,
                owner,
                end=start - days(1),
                end_reason=f"Moved to {tier.name}.",
                mou=old_mou,
            )
            self.tier_change(
                org,
                TierChange.Direction.START,
                previous_tier,
                first_start,
                texts.REASON_START.format(tier=previous_tier.name),
                owner,
                resulting=previous,
            )
        self.due_diligence(org, first_start, today + days(30), owner)
        mou = None
        if tier.requires_mou:
            mou_start = start - days(rng.randint(0, 20))
            # MoUs run three to five years; some signed long ago end within 90 days.
            ends_soon = mou_start <= today - days(600) and self.chance(0.5)
            if ends_soon:
                end = today + days(rng.randint(3, 90))
            else:
                end = mou_start + days(rng.randint(3 * 365, 5 * 365))
                if end <= today + days(90):
                    end = today + days(rng.randint(91, 500))
            mou = self.mou(org, tier, mou_start, end, MoU.Status.SIGNED, owner, person)
            if ends_soon and self.chance(0.5):
                self.mou(
                    org,
                    tier,
                    end + days(1),
                    end + days(3 * 365),
                    MoU.Status.NEGOTIATION,
                    owner,
                    person,
                    renewal_of=mou,
                )
        current = self.association(org, tier, start, owner, mou=mou)
        if previous is None:
            self.tier_change(
                org,
                TierChange.Direction.START,
                tier,
                start,
                texts.REASON_START.format(tier=tier.name),
                owner,
                resulting=current,
            )
        else:
            up = tier.rank > previous.tier.rank
            self.tier_change(
                org,
                TierChange.Direction.UP if up else TierChange.Direction.DOWN,
                tier,
                start,
                texts.REASON_UP
                if up
                else (
                    texts.REASON_DOWN_MOU
                    if previous.tier.requires_mou and not tier.requires_mou
                    else texts.REASON_DOWN
                ),
                owner,
                from_association=previous,
                resulting=current,
            )
            self.benefits(org, previous, owner)
        if code == SUPPLIER:
            return
        self.contributions(org, code, start)
        self.benefits(org, current, owner)
        self.issues(
            org, current, owner, levels=3 if code == SP else 2 if code == P else 1
        )
        # A few moves awaiting a senior manager's decision, and one turned down.
        if (
            code == P
            and mou is not None
            and mou.end > today + days(60)
            and self.chance(0.1)
        ):
            self.tier_change(
                org,
                TierChange.Direction.UP,
                self.tiers[SP],
                today + days(rng.randint(14, 60)),
                texts.REASON_PENDING_UP,
                owner,
                from_association=current,
                status=TierChange.Status.PENDING,
            )
        elif code == OS and self.chance(0.06):
            self.tier_change(
                org,
                TierChange.Direction.UP,
                self.tiers[P],
                today - days(rng.randint(20, 120)),
                texts.REASON_PENDING_UP,
                owner,
                from_association=current,
                status=TierChange.Status.REJECTED,
            )

    def ended(self, org: Organisation, owner: Any, person: str) -> None:
        rng = self.rng
        tier = self.tiers[rng.choice((OS, OS, P, SUPPLIER))]
        start = self.ago(600, 1800)
        end = self.between(start + days(180), self.today - days(30))
        self.due_diligence(org, start, end, owner)
        mou = None
        if tier.requires_mou:
            terminated = self.chance(0.3)
            mou = self.mou(
                org,
                tier,
                start - days(rng.randint(0, 20)),
                end,
                MoU.Status.TERMINATED if terminated else MoU.Status.EXPIRED,
                owner,
                person,
                terminated_on=end if terminated else None,
                termination_reason=(
                    "Ended by agreement of both sides." if terminated else ""
                ),
            )
        reason = rng.choice(texts.REASON_END)
        past = self.association(
            org, tier, start, owner, end=end, end_reason=reason, mou=mou
        )
        self.tier_change(
            org,
            TierChange.Direction.START,
            tier,
            start,
            texts.REASON_START.format(tier=tier.name),
            owner,
            resulting=past,
        )
        self.tier_change(
            org,
            TierChange.Direction.END,
            None,
            end,
            reason,
            owner,
            from_association=past,
        )
        self.benefits(org, past, owner)

    def under_assessment(self, org: Organisation, owner: Any, person: str) -> None:
        rng = self.rng
        dd = self.new(
            DueDiligence,
            organisation=org,
            assessed_on=self.ago(3, 45),
            assessed_by=owner,
            child_protection=rng.choice(DueDiligence.ChildProtection.values),
            brand_risk=rng.choice(
                (DueDiligence.BrandRisk.LOW, DueDiligence.BrandRisk.MEDIUM)
            ),
            outcome=DueDiligence.Outcome.PENDING,
        )
        for principle in rng.sample(
            self.principles, rng.randint(3, len(self.principles))
        ):
            met = self.chance(0.8)
            self.new(
                PrincipleAssessment,
                due_diligence=dd,
                principle=principle,
                met=met,
                evidence=rng.choice(
                    texts.DUE_DILIGENCE_EVIDENCE
                    if met
                    else texts.DUE_DILIGENCE_PENDING_EVIDENCE
                ),
            )
        if self.chance(0.1):
            assessed = self.ago(400, 700)
            self.new(
                DueDiligence,
                organisation=org,
                assessed_on=assessed,
                assessed_by=owner,
                child_protection=DueDiligence.ChildProtection.IN_PLACE,
                brand_risk=DueDiligence.BrandRisk.HIGH,
                outcome=DueDiligence.Outcome.REJECTED,
                notes=rng.choice(texts.DUE_DILIGENCE_REJECTED_NOTES),
            )
        if self.chance(0.3):
            # A prospective Partner: the MoU is being negotiated alongside.
            start = self.today + days(rng.randint(30, 120))
            self.mou(
                org,
                self.tiers[P],
                start,
                start + days(3 * 365),
                rng.choice((MoU.Status.DRAFT, MoU.Status.NEGOTIATION)),
                owner,
                person,
            )
