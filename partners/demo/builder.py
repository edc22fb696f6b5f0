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
import time
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from ceop_crm import roles
from partners.demo import names, texts
from partners.demo.agreements import AgreementsMixin
from partners.demo.base import BATCH_SIZE, CHANGE_REASON, days
from partners.demo.organisations import OrganisationsMixin
from partners.demo.reviews import ReviewsMixin
from partners.demo.support import SupportMixin
from partners.demo.users import demo_user
from partners.models import (
    Contact,
    Contribution,
    DueDiligence,
    MoU,
    Organisation,
    OwnershipLevel,
    PrincipleAssessment,
    Proposal,
    RelationshipIssue,
)
from planning.models import Review, SelfAssessment
from planning.selectors import planning_year_label
from planning.services import planning_year_open, planning_years_ensure
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
    TierChange,
    TierChangeEvidence,
    TierLevel,
)

# The tables written row by row (with ids given as rows are made, on PostgreSQL).
WRITTEN = (
    Organisation,
    Contact,
    DueDiligence,
    PrincipleAssessment,
    MoU,
    OwnershipLevel,
    Association,
    TierChange,
    TierChangeEvidence,
    BenefitDelivery,
    Contribution,
    Proposal,
    RelationshipIssue,
    Review,
    SelfAssessment,
)

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


class DemoBuilder(OrganisationsMixin, AgreementsMixin, SupportMixin, ReviewsMixin):
    """Makes ``orgs`` organisations and everything around them; see the module doc."""

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
        # Normalised names (Organisation.name_key): unique in the database.
        taken = set(Organisation.objects.values_list("name_key", flat=True))
        self.had_organisations = bool(taken)
        self.names = names.NameMaker(self.rng, taken)
        self.reserve_ids(list(WRITTEN))

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
            label=planning_year_label(self.current_year.start - days(1))
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
        self.write(RelationshipIssue)
        self.date_creations()
        return organisations

    def date_creations(self) -> None:
        """Give proposals, MoUs and tier moves the day they were submitted,
        drafted or asked: bulk_create set their created_at to the moment of
        writing (COPY wrote the day already)."""
        if self.copying:
            return
        by_model: dict[type, list] = {}
        for row, moment in self.created_dates:
            row.created_at = moment
            by_model.setdefault(type(row), []).append(row)
        for model, rows in by_model.items():
            model.objects.bulk_update(rows, ["created_at"], batch_size=BATCH_SIZE)

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
            # Written in bulk (COPY, bulk_create): no signals were sent.
            from partners.reports import report_figures_invalidate

            transaction.on_commit(report_figures_invalidate)
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
