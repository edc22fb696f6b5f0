"""Builds the demo data set in bulk, in a fixed number of queries per batch.

Every row is made in Python first and written with ``bulk_create`` (with its
``simple_history`` row, so the audit pages show where demo data came from), in
batches, parents before children. The rules of the strategy hold in the data:
one current association per organisation, a signed MoU in force for Strategic
Partners and Partners, approved due diligence covering every association's
start, benefits only within the tier's entitlement and never for suppliers.
Reviews are scheduled by ``planning.services.reviews_schedule``.
"""

import datetime as dt
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import connection, models, transaction
from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Mod
from django.db.models.lookups import Exact, GreaterThanOrEqual
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from ceop_crm import roles
from partners.demo import names, texts
from partners.demo.users import demo_user
from partners.models import (
    Contact,
    Contribution,
    ContributionKind,
    DueDiligence,
    MoU,
    Organisation,
    OwnershipLevel,
    PrincipleAssessment,
    Proposal,
    RelationshipIssue,
    Sector,
)
from planning.models import Milestone, MilestoneKind, Review, SelfAssessment
from planning.selectors import planning_year_label
from planning.services import (
    planning_year_open,
    planning_years_ensure,
    reviews_schedule,
)
from priorities.models import (
    CentrePlanObjective,
    Objective,
    Principle,
    PriorityArea,
    Threat,
)
from tiers.models import (
    Association,
    Benefit,
    BenefitDelivery,
    KeyCharacteristic,
    MonitoringFrequency,
    TierChange,
    TierChangeEvidence,
    TierLevel,
)

BATCH_SIZE = 2000
CHANGE_REASON = "Demo data"
DUE_DILIGENCE_YEARS = 3
# Associations older than this were agreed before the system was in use: they
# have no recorded "new association" decision (later moves are all recorded).
RECORDED_SINCE_DAYS = 540

SP, P, OS, SUPPLIER = "strategic-partner", "partner", "official-supporter", "supplier"
ENDED, ASSESSMENT, PROSPECT = "ended", "assessment", "prospect"
# Share of the organisations in each situation.
CATEGORY_WEIGHTS = {
    SP: 6,
    P: 14,
    OS: 26,
    SUPPLIER: 14,
    ENDED: 8,
    ASSESSMENT: 12,
    PROSPECT: 20,
}
SECTOR_WEIGHTS = {
    SP: (6, 1, 1, 1, 2, 0),
    P: (5, 2, 2, 2, 2, 1),
    OS: (4, 3, 1, 2, 1, 2),
    SUPPLIER: (1, 0, 0, 0, 0, 0),
    ENDED: (4, 2, 1, 1, 1, 1),
    ASSESSMENT: (4, 2, 1, 2, 1, 1),
    PROSPECT: (4, 3, 1, 2, 1, 2),
}
SECTORS = tuple(Sector.values)  # same order as the weights above

# Demo staff made when the database has none, to own and decide; the first of
# each is the demo user of that role (create_demo_users gives it a password).
_MANAGER, _SENIOR = demo_user("manager"), demo_user("senior")
DEMO_MANAGERS = (
    (_MANAGER.username, _MANAGER.first_name, _MANAGER.last_name),
    ("a.brennan", "Aisling", "Brennan"),
    ("d.kowalski", "Dominik", "Kowalski"),
    ("p.sandhu", "Preet", "Sandhu"),
    ("r.fairweather", "Ruth", "Fairweather"),
)
DEMO_SENIOR_MANAGERS = (
    (_SENIOR.username, _SENIOR.first_name, _SENIOR.last_name),
    ("m.oyelaran", "Michael", "Oyelaran"),
)

Row = models.Model


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def allocate(total: int, weights: dict[str, int]) -> dict[str, int]:
    """Split ``total`` by weight, giving every key at least one when there is room."""
    keys = list(weights)
    counts = dict.fromkeys(keys, 0)
    if total >= len(keys):
        counts = dict.fromkeys(keys, 1)
    rest = total - sum(counts.values())
    weight_sum = sum(weights.values())
    for key in keys:
        counts[key] += rest * weights[key] // weight_sum
    counts[OS if OS in counts else keys[0]] += total - sum(counts.values())
    return counts


class DemoBuilder:
    """Makes ``orgs`` organisations and everything around them; see the module doc."""

    def __init__(self, *, seed: int, today: dt.date | None = None) -> None:
        # Repeatable fictitious data, not secrets.
        self.rng = random.Random(seed)  # noqa: S311
        self.today = today or timezone.localdate()
        self.rows: dict[type[Row], list[Row]] = defaultdict(list)
        self.counts: dict[str, int] = {}
        # (parent row, related id) pairs for many-to-many links, written after parents.
        self.mou_objectives: list[tuple[MoU, int]] = []
        self.contribution_areas: list[tuple[Contribution, int]] = []
        self.contribution_objectives: list[tuple[Contribution, int]] = []
        self.proposal_areas: list[tuple[Proposal, int]] = []
        self.proposal_dates: list[tuple[Proposal, dt.date]] = []

    # -- helpers -------------------------------------------------------------

    def add(self, row: Row) -> Row:
        self.rows[type(row)].append(row)
        return row

    def between(self, first: dt.date, last: dt.date) -> dt.date:
        if last <= first:
            return first
        return first + _days(self.rng.randint(0, (last - first).days))

    def ago(self, low: int, high: int) -> dt.date:
        return self.today - _days(self.rng.randint(low, high))

    def moment(self, day: dt.date, hour: int = 10) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def sample(self, population: list[int], k: int) -> list[int]:
        return self.rng.sample(population, min(k, len(population)))

    def full_name(self, user: AbstractBaseUser | None) -> str:
        if user is None:
            return ""
        return f"{user.first_name} {user.last_name}".strip() or user.get_username()

    # -- reference data and staff ------------------------------------------

    def load_reference(self) -> None:
        self.tiers = {t.code: t for t in TierLevel.objects.all()}
        self.characteristics: dict[int, list[KeyCharacteristic]] = defaultdict(list)
        for c in KeyCharacteristic.objects.order_by("tier_id", "order"):
            self.characteristics[c.tier_id].append(c)
        self.tier_benefits: dict[int, list[Benefit]] = defaultdict(list)
        for b in Benefit.objects.order_by("tier_id", "order"):
            self.tier_benefits[b.tier_id].append(b)
        self.principles = list(Principle.objects.order_by("order"))
        self.priority_area_ids = list(
            PriorityArea.objects.filter(is_current=True)
            .order_by("number")
            .values_list("pk", flat=True)
        )
        self.taken_names = set(Organisation.objects.values_list("name", flat=True))
        self.had_organisations = bool(self.taken_names)

    def ensure_staff(self) -> None:
        """Owners are the relationship managers; decisions are senior managers'."""
        self.managers = self._staff_in(roles.RELATIONSHIP_MANAGER)
        if not self.managers:
            self.managers = self._staff_create(
                DEMO_MANAGERS, roles.RELATIONSHIP_MANAGER
            )
        self.seniors = self._staff_in(roles.SENIOR_MANAGER)
        if not self.seniors:
            self.seniors = self._staff_create(
                DEMO_SENIOR_MANAGERS, roles.SENIOR_MANAGER
            )
        self.staff = self.managers + [s for s in self.seniors if s not in self.managers]

    def _staff_in(self, group: str) -> list[AbstractBaseUser]:
        return list(
            get_user_model()
            .objects.filter(groups__name=group, is_active=True)
            .order_by("username")
            .distinct()
        )

    def _staff_create(
        self, people: Iterable[tuple[str, str, str]], group_name: str
    ) -> list[AbstractBaseUser]:
        user_model = get_user_model()
        existing = set(
            user_model.objects.filter(username__in=[p[0] for p in people]).values_list(
                "username", flat=True
            )
        )
        # No usable password: create_demo_users sets one and prints it.
        users = user_model.objects.bulk_create(
            user_model(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@ceop.example",
                password=make_password(None),
            )
            for username, first, last in people
            if username not in existing
        )
        group = Group.objects.get(name=group_name)
        group.user_set.through.objects.bulk_create(
            group.user_set.through(user_id=u.pk, group_id=group.pk) for u in users
        )
        self.counts["staff users"] = self.counts.get("staff users", 0) + len(users)
        return users

    def ensure_planning(self) -> None:
        """Planning years around today, with Centre Plan objectives and threats."""
        self.current_year, self.next_year = planning_years_ensure(today=self.today)
        self.previous_year = planning_year_open(
            label=planning_year_label(self.current_year.start - _days(1))
        )
        existing = set(
            CentrePlanObjective.objects.filter(
                planning_year=self.current_year
            ).values_list("code", flat=True)
        )
        objectives = {o.code: o for o in Objective.objects.all()}
        created = bulk_create_with_history(
            [
                CentrePlanObjective(
                    planning_year=self.current_year,
                    code=code,
                    title=title,
                    objective=objectives.get(objective),
                )
                for code, title, objective in texts.CENTRE_PLAN_OBJECTIVES
                if code not in existing
            ],
            CentrePlanObjective,
            default_change_reason=CHANGE_REASON,
        )
        self.counts["centre plan objectives"] = len(created)
        self.objective_ids = list(
            CentrePlanObjective.objects.filter(
                planning_year=self.current_year
            ).values_list("pk", flat=True)
        )
        self.threats = list(Threat.objects.filter(planning_year=self.current_year))
        if not self.threats:
            self.threats = bulk_create_with_history(
                [
                    Threat(
                        planning_year=self.current_year,
                        title=title,
                        description="From the Strategic Threat Assessment.",
                        emerged_in_year=emerged,
                    )
                    for title, emerged in texts.THREATS
                ],
                Threat,
                default_change_reason=CHANGE_REASON,
            )
            self.counts["threats"] = len(self.threats)

    # -- one organisation ----------------------------------------------------

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
        name = names.organisation_name(rng, sector, self.taken_names, supplier=supplier)
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
        org = self.add(
            Organisation(
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
        )
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
                self.add(
                    Contact(
                        organisation=org,
                        name=f"{first} {last}",
                        job_title=self.rng.choice(names.JOB_TITLES),
                        email=f"{local}@{domain}",
                        phone=names.phone(self.rng),
                        is_primary=i == 0,
                    )
                )
            )
        return contacts

    def due_diligence(
        self, org: Organisation, first_day: dt.date, last_day: dt.date, assessor: Any
    ) -> None:
        """Approved due diligence covering every day from first_day to last_day."""
        rng = self.rng
        assessed = first_day - _days(rng.randint(14, 60))
        while True:
            expires = assessed + _days(365 * DUE_DILIGENCE_YEARS)
            dd = self.add(
                DueDiligence(
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
            )
            for principle in self.principles:
                self.add(
                    PrincipleAssessment(
                        due_diligence=dd,
                        principle=principle,
                        met=True,
                        evidence=rng.choice(texts.DUE_DILIGENCE_EVIDENCE),
                    )
                )
            if expires > last_day:
                return
            # Renewed before the previous one lapses, never dated in the future.
            assessed = min(expires - _days(rng.randint(20, 60)), self.today)

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
        mou = self.add(
            MoU(
                organisation=org,
                title=f"Memorandum of Understanding: CEOP and {org.name}"[:200],
                status=status,
                start=start,
                end=end,
                signed_on=start - _days(rng.randint(0, 21)) if signed else None,
                ceop_signatory=rng.choice(texts.CEOP_SIGNATORIES),
                partner_signatory=f"{partner_person}, Chief Executive",
                market_equally=True,
                joint_marketing_terms=(
                    "Announcements about the partnership are agreed in advance by "
                    "both communications teams."
                ),
                **extra,
            )
        )
        many = 3 if tier.code == SP else 2
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
                self.add(
                    OwnershipLevel(
                        mou=mou,
                        level=level,
                        side=side,
                        name=person,
                        role=texts.OWNERSHIP_ROLES[side][level - 1],
                        days_to_resolve=10 * level,
                    )
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
        return self.add(
            Association(
                organisation=org,
                tier=tier,
                start=start,
                end=end,
                end_reason=end_reason,
                mou=mou,
                created_by=owner,
            )
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
        if direction == TierChange.Direction.START and effective < self.today - _days(
            RECORDED_SINCE_DAYS
        ):
            return
        requested_by = requested_by or self.rng.choice(self.staff)
        deciders = [s for s in self.seniors if s != requested_by] or self.seniors
        decided = status in (TierChange.Status.APPROVED, TierChange.Status.REJECTED)
        decided_on = min(effective - _days(self.rng.randint(3, 20)), self.today)
        change = self.add(
            TierChange(
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
                    texts.REASON_REJECTED
                    if status == TierChange.Status.REJECTED
                    else ""
                ),
                resulting_association=resulting,
            )
        )
        if to_tier is None:
            return
        for c in self.characteristics[to_tier.pk]:
            automatic = bool(c.automatic_check) and status == TierChange.Status.APPROVED
            self.add(
                TierChangeEvidence(
                    tier_change=change,
                    characteristic=c,
                    evidence=texts.AUTOMATIC_EVIDENCE.get(
                        c.automatic_check, self.rng.choice(texts.JUDGED_EVIDENCE)
                    ),
                    automatic_result=True if automatic else None,
                )
            )

    def associated(self, org: Organisation, code: str, owner: Any, person: str) -> None:
        """A current association, sometimes after an earlier one at another tier."""
        rng, today = self.rng, self.today
        tier = self.tiers[code]
        history = {SP: 0.3, P: 0.25, OS: 0.15}.get(code, 0) > rng.random()
        start = self.ago(20, 500 if history else 900)
        first_start = start
        previous = None
        if history:
            first_start = start - _days(rng.randint(240, 700))
            before = {SP: P, P: rng.choice((OS, OS, SP)), OS: P}[code]
            previous_tier = self.tiers[before]
            old_mou = None
            if previous_tier.requires_mou:
                superseded = tier.requires_mou
                old_mou = self.mou(
                    org,
                    previous_tier,
                    first_start - _days(rng.randint(0, 20)),
                    start - _days(1),
                    MoU.Status.TERMINATED if superseded else MoU.Status.EXPIRED,
                    owner,
                    person,
                    terminated_on=start - _days(1) if superseded else None,
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
                end=start - _days(1),
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
        self.due_diligence(org, first_start, today + _days(30), owner)
        mou = None
        if tier.requires_mou:
            ends_soon = self.chance(0.2)
            end = today + _days(
                rng.randint(3, 90) if ends_soon else rng.randint(91, 1000)
            )
            mou = self.mou(
                org,
                tier,
                start - _days(rng.randint(0, 20)),
                end,
                MoU.Status.SIGNED,
                owner,
                person,
            )
            if ends_soon and self.chance(0.5):
                self.mou(
                    org,
                    tier,
                    end + _days(1),
                    end + _days(3 * 365),
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
            and mou.end > today + _days(60)
            and self.chance(0.1)
        ):
            self.tier_change(
                org,
                TierChange.Direction.UP,
                self.tiers[SP],
                today + _days(rng.randint(14, 60)),
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
                today - _days(rng.randint(20, 120)),
                texts.REASON_PENDING_UP,
                owner,
                from_association=current,
                status=TierChange.Status.REJECTED,
            )

    def ended(self, org: Organisation, owner: Any, person: str) -> None:
        rng = self.rng
        tier = self.tiers[rng.choice((OS, OS, P, SUPPLIER))]
        start = self.ago(600, 1800)
        end = self.between(start + _days(180), self.today - _days(30))
        self.due_diligence(org, start, end, owner)
        mou = None
        if tier.requires_mou:
            terminated = self.chance(0.3)
            mou = self.mou(
                org,
                tier,
                start - _days(rng.randint(0, 20)),
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
        dd = self.add(
            DueDiligence(
                organisation=org,
                assessed_on=self.ago(3, 45),
                assessed_by=owner,
                child_protection=rng.choice(DueDiligence.ChildProtection.values),
                brand_risk=rng.choice(
                    (DueDiligence.BrandRisk.LOW, DueDiligence.BrandRisk.MEDIUM)
                ),
                outcome=DueDiligence.Outcome.PENDING,
            )
        )
        for principle in rng.sample(
            self.principles, rng.randint(3, len(self.principles))
        ):
            met = self.chance(0.8)
            self.add(
                PrincipleAssessment(
                    due_diligence=dd,
                    principle=principle,
                    met=met,
                    evidence=rng.choice(
                        texts.DUE_DILIGENCE_EVIDENCE
                        if met
                        else texts.DUE_DILIGENCE_PENDING_EVIDENCE
                    ),
                )
            )
        if self.chance(0.1):
            assessed = self.ago(400, 700)
            self.add(
                DueDiligence(
                    organisation=org,
                    assessed_on=assessed,
                    assessed_by=owner,
                    child_protection=DueDiligence.ChildProtection.IN_PLACE,
                    brand_risk=DueDiligence.BrandRisk.HIGH,
                    outcome=DueDiligence.Outcome.REJECTED,
                    notes=rng.choice(texts.DUE_DILIGENCE_REJECTED_NOTES),
                )
            )
        if self.chance(0.3):
            # A prospective Partner: the MoU is being negotiated alongside.
            start = self.today + _days(rng.randint(30, 120))
            self.mou(
                org,
                self.tiers[P],
                start,
                start + _days(3 * 365),
                rng.choice((MoU.Status.DRAFT, MoU.Status.NEGOTIATION)),
                owner,
                person,
            )

    def contributions(self, org: Organisation, code: str, since: dt.date) -> None:
        rng, today = self.rng, self.today
        low, high = {SP: (2, 4), P: (1, 3)}.get(code, (1, 2))
        statuses = (
            Contribution.Status.PROPOSED,
            Contribution.Status.AGREED,
            Contribution.Status.DELIVERING,
            Contribution.Status.COMPLETED,
        )
        objective_ids = rng.sample(self.objective_ids, min(len(self.objective_ids), 2))
        for i in range(rng.randint(low, high)):
            kind = rng.choice(ContributionKind.values)
            # The first is live, so "provides a level of support" holds.
            status = (
                Contribution.Status.DELIVERING
                if i == 0
                else rng.choices(statuses, (1, 3, 4, 2))[0]
            )
            start = (
                None
                if status == Contribution.Status.PROPOSED
                else self.between(since, today)
            )
            end = None
            if status == Contribution.Status.COMPLETED:
                end = self.between(start, today)
            elif status == Contribution.Status.DELIVERING and self.chance(0.5):
                end = start + _days(rng.randint(180, 720))
            contribution = self.add(
                Contribution(
                    organisation=org,
                    kind=kind,
                    title=rng.choice(texts.CONTRIBUTION_TITLES[kind]),
                    description=texts.PROPOSAL_OFFERS[kind],
                    status=status,
                    start=start,
                    end=end,
                    outcomes=(
                        rng.choice(texts.CONTRIBUTION_OUTCOMES)
                        if status == Contribution.Status.COMPLETED
                        else ""
                    ),
                )
            )
            for area_id in self.sample(self.priority_area_ids, rng.randint(1, 2)):
                self.contribution_areas.append((contribution, area_id))
            # Strategic Partners deliver several Centre Plan objectives, Partners one.
            if i == 0:
                picked = objective_ids[: {SP: 2, P: 1}.get(code, 0)]
            else:
                picked = self.sample(self.objective_ids, int(self.chance(0.3)))
            for objective_id in picked:
                self.contribution_objectives.append((contribution, objective_id))

    def benefits(self, org: Organisation, association: Association, owner: Any) -> None:
        """Deliveries of benefits the association's own tier is entitled to."""
        tier = association.tier
        entitled = self.benefits_by_tier(tier)
        if not entitled:
            return
        last = min(association.end or self.today, self.today)
        most = 4 if tier.code == SP else 3 if association.end is None else 2
        for _ in range(self.rng.randint(0, most)):
            self.add(
                BenefitDelivery(
                    organisation=org,
                    association=association,
                    benefit=self.rng.choice(entitled),
                    delivered_on=self.between(association.start, last),
                    recorded_by=owner,
                )
            )

    def benefits_by_tier(self, tier: TierLevel) -> list[Benefit]:
        if not tier.benefits_allowed:
            return []
        return self.tier_benefits[tier.pk]

    def issues(
        self, org: Organisation, association: Association, owner: Any, levels: int
    ) -> None:
        rng, today = self.rng, self.today
        if not self.chance({3: 0.3, 2: 0.2}.get(levels, 0.1)):
            return
        raised = self.between(max(association.start, today - _days(240)), today)
        if self.chance(0.55):
            level = rng.randint(1, levels)
            self.add(
                RelationshipIssue(
                    organisation=org,
                    title=rng.choice(texts.ISSUE_TITLES),
                    description="Raised by the relationship manager.",
                    owner=owner,
                    escalation_level=level,
                    escalated_at=(
                        self.moment(min(raised + _days(10 * (level - 1)), today))
                        if level > 1
                        else None
                    ),
                    raised_on=raised,
                )
            )
        else:
            self.add(
                RelationshipIssue(
                    organisation=org,
                    title=rng.choice(texts.ISSUE_TITLES),
                    owner=owner,
                    raised_on=raised,
                    status=RelationshipIssue.Status.RESOLVED,
                    resolved_on=self.between(raised, today),
                    resolution=rng.choice(texts.ISSUE_RESOLUTIONS),
                )
            )

    def proposal(self, org: Organisation, contact: Contact, source: str) -> None:
        rng = self.rng
        kind = rng.choice(ContributionKind.values)
        status = rng.choices(Proposal.Status.values, (5, 2, 2))[0]
        submitted = self.ago(2, 200)
        threat, new_threat, areas = None, "", []
        roll = rng.random()
        if roll < 0.7:
            areas = self.sample(self.priority_area_ids, rng.randint(1, 2))
        elif roll < 0.93 and self.threats:
            threat = rng.choice(self.threats)
        else:
            new_threat = rng.choice(texts.NEW_THREATS)
        decided = status != Proposal.Status.SUBMITTED
        contribution = None
        if status == Proposal.Status.ACCEPTED:
            contribution = self.add(
                Contribution(
                    organisation=org,
                    kind=kind,
                    title=texts.PROPOSAL_TITLES[kind],
                    description=texts.PROPOSAL_OFFERS[kind],
                    status=Contribution.Status.AGREED,
                )
            )
            for area_id in areas:
                self.contribution_areas.append((contribution, area_id))
        proposal = self.add(
            Proposal(
                organisation=org,
                source=source,
                title=texts.PROPOSAL_TITLES[kind],
                offer=texts.PROPOSAL_OFFERS[kind],
                kind=kind,
                threat=threat,
                new_threat=new_threat,
                contact_name=contact.name,
                contact_email=contact.email,
                status=status,
                decided_by=rng.choice(self.staff) if decided else None,
                decided_at=(
                    self.moment(self.between(submitted, self.today), 14)
                    if decided
                    else None
                ),
                decline_reason=(
                    rng.choice(texts.DECLINE_REASONS)
                    if status == Proposal.Status.DECLINED
                    else ""
                ),
                contribution=contribution,
            )
        )
        self.proposal_dates.append((proposal, submitted))
        for area_id in areas:
            self.proposal_areas.append((proposal, area_id))

    # -- writing -------------------------------------------------------------

    def write(self, model: type[Row]) -> list[Row]:
        rows = self.rows.pop(model, [])
        # A row pointing at another of its own model (a renewed MoU) waits for it.
        for group in (
            [r for r in rows if not getattr(r, "renewal_of", None)],
            [r for r in rows if getattr(r, "renewal_of", None)],
        ):
            if group:
                model.objects.bulk_create(group, batch_size=BATCH_SIZE)
                self.history(
                    model.objects.filter(
                        pk__gte=group[0].pk, pk__lte=max(r.pk for r in group)
                    )
                )
        self.counts[str(model._meta.verbose_name_plural)] = len(rows)
        return rows

    def history(self, queryset: models.QuerySet, history_type: str = "+") -> None:
        """Write the simple_history rows of ``queryset`` in one INSERT ... SELECT.

        The same rows bulk_history_create would make ("Demo data", no user), but
        copied in the database: building a Python object per history row took
        a third of the time at 10,000 organisations. The rows just created fill
        a range of ids; nothing else writes these tables while the demo loads.
        """
        model = queryset.model
        if not hasattr(model, "history"):
            return
        history = model.history.model
        qn = connection.ops.quote_name
        columns = ", ".join(qn(f.column) for f in history.tracked_fields)
        select, params = queryset.order_by().values("pk").query.sql_with_params()
        # Identifiers come from model metadata, quoted; values are parameters.
        sql = (
            f"INSERT INTO {qn(history._meta.db_table)} "  # noqa: S608
            f"({columns}, {qn('history_date')}, {qn('history_change_reason')}, "
            f"{qn('history_type')}) "
            f"SELECT {columns}, %s, %s, %s FROM {qn(model._meta.db_table)} "
            f"WHERE {qn(model._meta.pk.column)} IN ({select})"
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [now, CHANGE_REASON, history_type, *params])

    def link(
        self, field: Any, pairs: list[tuple[Row, int]], source: str, target: str
    ) -> None:
        through = field.through
        through.objects.bulk_create(
            (
                through(**{f"{source}_id": row.pk, f"{target}_id": pk})
                for row, pk in pairs
            ),
            batch_size=BATCH_SIZE,
            ignore_conflicts=True,
        )

    def write_all(self) -> list[Organisation]:
        organisations = self.write(Organisation)
        for model in (Contact, DueDiligence, PrincipleAssessment, MoU, OwnershipLevel):
            self.write(model)
        self.link(
            MoU.centre_plan_objectives,
            self.mou_objectives,
            "mou",
            "centreplanobjective",
        )
        self.write(Association)
        for model in (TierChange, TierChangeEvidence, BenefitDelivery, Contribution):
            self.write(model)
        self.link(
            Contribution.priority_areas,
            self.contribution_areas,
            "contribution",
            "priorityarea",
        )
        self.link(
            Contribution.centre_plan_objectives,
            self.contribution_objectives,
            "contribution",
            "centreplanobjective",
        )
        self.write(Proposal)
        self.link(
            Proposal.priority_areas, self.proposal_areas, "proposal", "priorityarea"
        )
        for proposal, day in self.proposal_dates:
            proposal.created_at = self.moment(day, 9)
        Proposal.objects.bulk_update(
            [p for p, _ in self.proposal_dates], ["created_at"], batch_size=BATCH_SIZE
        )
        self.write(RelationshipIssue)
        return organisations

    # -- reviews -------------------------------------------------------------

    def reviews(self, organisations: list[Organisation]) -> None:
        """Last year's reviews as history, this year's scheduled, past ones mostly done."""
        today = self.today
        owners = {o.pk: o.owner for o in organisations}
        windows = list(
            Milestone.objects.filter(
                planning_year=self.previous_year,
                kind__in=[
                    MilestoneKind.QUARTERLY_MONITORING,
                    MilestoneKind.ANNUAL_MONITORING,
                ],
            ).order_by("date")
        )
        frequency_kind = {
            MonitoringFrequency.QUARTERLY: MilestoneKind.QUARTERLY_MONITORING,
            MonitoringFrequency.ANNUAL: MilestoneKind.ANNUAL_MONITORING,
        }
        past: list[Review] = []
        org_ids = {o.pk for o in organisations}
        for association in self.associations:
            if association.organisation_id not in org_ids:
                continue
            kind = frequency_kind.get(association.tier.monitoring_frequency)
            for window in windows:
                closes = window.closes_on
                if (
                    window.kind == kind
                    and closes < today
                    and association.start <= closes
                    and (association.end is None or closes <= association.end)
                ):
                    past.append(
                        Review(
                            organisation_id=association.organisation_id,
                            association=association,
                            milestone=window,
                            due_on=closes,
                        )
                    )
        self.complete(past, owners, share=0.92)
        self.rows[Review] = past
        self.write(Review)
        reviews_schedule(
            organisation_ids=sorted(org_ids) if self.had_organisations else None,
            today=today,
        )
        ours = Review.objects.all()
        if self.had_organisations:
            ours = ours.filter(organisation_id__in=org_ids)
        done = self.complete_past_due(ours)
        self.counts["reviews"] = ours.count()
        self.counts["reviews completed"] = len(done) + sum(
            r.status == Review.Status.COMPLETED for r in past
        )
        self.counts["reviews overdue"] = ours.filter(
            status=Review.Status.SCHEDULED, due_on__lt=today
        ).count()
        self.self_assessments(past + done)

    def complete_past_due(self, ours: models.QuerySet[Review]) -> list[Review]:
        """Complete about three in four of this year's past-due reviews, in the database.

        One UPDATE instead of a bulk_update of every row (which Django builds as a
        CASE per row and field, too slow at 10,000 organisations); the review's id
        spreads the dates, texts and recommendations.
        """
        today = self.today
        due = ours.filter(
            status=Review.Status.SCHEDULED,
            due_on__lt=today,
            milestone__planning_year=self.current_year,
        )
        windows = list(Milestone.objects.filter(pk__in=due.values("milestone_id")))
        if not windows:
            return []

        def spread(values: Iterable[Any], field: models.Field) -> Case:
            values = list(values)
            return Case(
                *(
                    When(Exact(Mod("id", len(values)), i), then=Value(v))
                    for i, v in enumerate(values)
                ),
                default=Value(values[0]),
                output_field=field,
            )

        completed_on = Case(
            *(
                When(
                    Q(milestone_id=w.pk) & Exact(Mod("id", 4), i),
                    then=Value(max(w.date, min(w.closes_on, today) - _days(offset))),
                )
                for w in windows
                for i, offset in enumerate((0, 4, 9, 15))
            ),
            output_field=models.DateField(),
        )
        owner = Organisation.objects.filter(pk=OuterRef("organisation_id")).values(
            "owner_id"
        )[:1]
        recommendation = Review.Recommendation
        due.filter(GreaterThanOrEqual(Mod("id", 4), 1)).update(
            status=Review.Status.COMPLETED,
            completed_on=completed_on,
            conducted_by_id=Coalesce(Subquery(owner), Value(self.staff[0].pk)),
            progress=spread(texts.REVIEW_PROGRESS, models.TextField()),
            benefits_to_ceop=spread(texts.REVIEW_BENEFITS_CEOP, models.TextField()),
            benefits_to_partner=spread(
                texts.REVIEW_BENEFITS_PARTNER, models.TextField()
            ),
            recommendation=spread(
                [recommendation.STAY] * 8
                + [recommendation.MOVE_UP, recommendation.MOVE_DOWN],
                models.CharField(),
            ),
            updated_at=timezone.now(),
        )
        done = ours.filter(
            status=Review.Status.COMPLETED,
            milestone__planning_year=self.current_year,
        )
        self.history(done, history_type="~")
        return list(done.select_related("milestone"))

    def complete(
        self, reviews: list[Review], owners: dict, share: float
    ) -> list[Review]:
        rng, today = self.rng, self.today
        done = []
        recommendations = Review.Recommendation
        for review in reviews:
            if not self.chance(share):
                continue
            window = review.milestone
            review.status = Review.Status.COMPLETED
            review.completed_on = self.between(window.date, min(review.due_on, today))
            review.conducted_by = owners.get(review.organisation_id) or rng.choice(
                self.staff
            )
            review.progress = rng.choice(texts.REVIEW_PROGRESS)
            review.benefits_to_ceop = rng.choice(texts.REVIEW_BENEFITS_CEOP)
            review.benefits_to_partner = rng.choice(texts.REVIEW_BENEFITS_PARTNER)
            review.recommendation = rng.choices(
                (
                    recommendations.STAY,
                    recommendations.MOVE_UP,
                    recommendations.MOVE_DOWN,
                ),
                (8, 1, 1),
            )[0]
            done.append(review)
        return done

    def self_assessments(self, reviews: list[Review]) -> None:
        rows = [
            SelfAssessment(
                review=review,
                status=SelfAssessment.Status.SUBMITTED,
                submitted_at=self.moment(
                    max(
                        review.milestone.date,
                        review.completed_on - _days(self.rng.randint(0, 7)),
                    ),
                    11,
                ),
                **texts.SELF_ASSESSMENT,
            )
            for review in reviews
            if review.status == Review.Status.COMPLETED and self.chance(0.5)
        ]
        self.rows[SelfAssessment] = rows
        self.write(SelfAssessment)

    # -- all of it -----------------------------------------------------------

    def build(
        self, total: int, progress: Callable[[str], None] | None = None
    ) -> dict[str, int]:
        started = time.monotonic()

        def say(message: str) -> None:
            if progress is not None:
                progress(f"{message} ({time.monotonic() - started:.1f}s)")

        with transaction.atomic():
            self.load_reference()
            self.ensure_staff()
            self.ensure_planning()
            for category, sector in self.plan(total):
                self.organisation(category, sector)
            self.associations = list(self.rows[Association])
            say(f"Planned {total} organisations")
            organisations = self.write_all()
            say("Wrote organisations and their records")
            self.reviews(organisations)
            say("Scheduled and completed reviews")
        return self.counts


def demo_seed(
    *,
    orgs: int,
    seed: int,
    today: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Create ``orgs`` demo organisations with their partnership data; counts by kind."""
    return DemoBuilder(seed=seed, today=today).build(orgs, progress)
