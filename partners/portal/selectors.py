"""Every read of the partner portal, scoped to the signed-in user's organisation.

This module is the one place where portal queries meet the organisation:
views get a `PortalScope` from `portal_scope(user=...)` (through
`PortalOrganisationMixin`) and read only through its methods, so a view
cannot forget the filter, and an object of another organisation is simply
not in any queryset (the view answers 404).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from ceop_crm.roles import is_partner_user
from partners.joint.selectors import contribution_party_prefetch, involving
from partners.models import (
    Contact,
    Contribution,
    MoU,
    Organisation,
    PortalMembership,
    Proposal,
)
from planning.models import Audience, Milestone, MilestoneKind, Reminder, Review
from planning.selectors import reminder_list_for_user
from priorities.models import PriorityArea, Threat
from tiers.models import Association, Benefit, BenefitDelivery, KeyCharacteristic
from tiers.selectors import characteristic_checks, characteristic_list

# A scheduled review asks for a self-assessment from this long before it is due.
SELF_ASSESSMENT_LEAD = timedelta(days=92)


def self_assessment_open_until(today: date) -> date:
    """The last due date of a review open to self-assessment on the day (an
    overdue one is open too)."""
    return today + SELF_ASSESSMENT_LEAD


# Partner-facing milestones show as invitations this long ahead.
MILESTONE_LEAD = timedelta(days=60)
MONITORING_KINDS = (MilestoneKind.QUARTERLY_MONITORING, MilestoneKind.ANNUAL_MONITORING)


@dataclass(frozen=True)
class PortalScope:
    """The organisation a partner user acts for, and every query of the portal."""

    user: AbstractBaseUser
    membership: PortalMembership
    organisation: Organisation = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "organisation", self.membership.organisation)

    # Organisation-owned objects -------------------------------------------------
    def contacts(self) -> QuerySet[Contact]:
        return Contact.objects.filter(organisation=self.organisation).order_by(
            "-is_primary", "name", "pk"
        )

    def mous(self) -> QuerySet[MoU]:
        return MoU.objects.filter(organisation=self.organisation).order_by(
            "-start", "-pk"
        )

    def reviews(self) -> QuerySet[Review]:
        return (
            Review.objects.filter(organisation=self.organisation)
            .select_related("milestone__planning_year", "association__tier")
            .prefetch_related("self_assessment")
            .order_by("due_on", "pk")
        )

    def proposals(self) -> QuerySet[Proposal]:
        return (
            Proposal.objects.filter(organisation=self.organisation)
            .select_related("threat", "contribution")
            .prefetch_related("priority_areas")
            .order_by("-created_at", "-pk")
        )

    def contributions(self) -> QuerySet[Contribution]:
        """Those the organisation leads and those it works on with others (the
        others shown by name only)."""
        return (
            Contribution.objects.filter(involving(self.organisation.pk))
            .select_related("organisation")
            .prefetch_related(
                "priority_areas",
                "centre_plan_objectives",
                contribution_party_prefetch(),
            )
            .order_by("-created_at", "-pk")
        )

    def benefit_deliveries(self) -> QuerySet[BenefitDelivery]:
        return (
            BenefitDelivery.objects.filter(organisation=self.organisation)
            .select_related("benefit")
            .order_by("-delivered_on", "-pk")
        )

    def associations(self) -> QuerySet[Association]:
        return (
            Association.objects.filter(organisation=self.organisation)
            .select_related("tier", "mou")
            .order_by("-start", "-pk")
        )

    # The user's own objects -----------------------------------------------------
    def reminders(self) -> QuerySet[Reminder]:
        return reminder_list_for_user(user=self.user)

    # Derived reads ----------------------------------------------------------------
    def current_association(self) -> Association | None:
        return self.associations().filter(end__isnull=True).first()

    def self_assessable_reviews(self, *, today: date) -> QuerySet[Review]:
        """Scheduled reviews inside their self-assessment window (or overdue)."""
        return self.reviews().filter(
            status=Review.Status.SCHEDULED,
            due_on__lte=self_assessment_open_until(today),
        )


def portal_scope(*, user: AbstractBaseUser) -> PortalScope:
    """The scope of a partner user; anyone else (staff included) is refused."""
    if not is_partner_user(user):
        raise PermissionDenied
    membership = PortalMembership.objects.select_related("organisation", "contact").get(
        user=user
    )
    return PortalScope(user=user, membership=membership)


def _current_mou(mous: list[MoU], today: date) -> MoU | None:
    """The MoU in force, else the newest signed or draft one."""
    for mou in mous:
        if mou.in_force_on(today):
            return mou
    return mous[0] if mous else None


@dataclass
class BenefitRow:
    benefit: Benefit
    deliveries: list[BenefitDelivery]


@dataclass
class HomePage:
    association: Association | None
    characteristics: list[tuple[KeyCharacteristic, bool | None]]
    benefits: list[BenefitRow]
    other_deliveries: list[BenefitDelivery]
    mou: MoU | None
    next_reviews: list[Review]
    self_assessments_due: list[Review]
    milestone_invitations: list[Milestone]

    @property
    def is_association(self) -> bool:
        return self.association is not None and self.association.tier.is_association


def portal_home(*, scope: PortalScope, today: date) -> HomePage:
    """Everything the portal home shows, in a fixed number of queries."""
    association = scope.current_association()
    characteristics: list[tuple[KeyCharacteristic, bool | None]] = []
    benefits: list[BenefitRow] = []
    deliveries = list(scope.benefit_deliveries())
    other_deliveries = deliveries
    invitations: list[Milestone] = []
    if association is not None and association.tier.is_association:
        tier = association.tier
        listed = characteristic_list(tier=tier)
        checks = characteristic_checks(
            organisation=scope.organisation,
            tier=tier,
            on=today,
            characteristics=listed,
        )
        characteristics = [(c, checks.get(c.pk)) for c in listed]
        by_benefit: dict[int, list[BenefitDelivery]] = {}
        for delivery in deliveries:
            by_benefit.setdefault(delivery.benefit_id, []).append(delivery)
        tier_benefits = list(Benefit.objects.filter(tier=tier).order_by("order"))
        benefits = [BenefitRow(b, by_benefit.get(b.pk, [])) for b in tier_benefits]
        tier_ids = {b.pk for b in tier_benefits}
        other_deliveries = [d for d in deliveries if d.benefit_id not in tier_ids]
        invitations = list(
            Milestone.objects.filter(
                audience__in=[Audience.PARTNERS, Audience.BOTH],
                date__gte=today,
                date__lte=today + MILESTONE_LEAD,
            )
            .exclude(kind__in=MONITORING_KINDS)
            .order_by("date", "pk")
        )
    # The next reviews and those open to self-assessment, from one read of the
    # scheduled ones (self_assessable_reviews: due within the lead, or overdue).
    scheduled = list(scope.reviews().filter(status=Review.Status.SCHEDULED))
    reviews = scheduled[:4]
    open_until = self_assessment_open_until(today)
    due = [r for r in scheduled if r.due_on <= open_until and not _submitted(r)]
    return HomePage(
        association=association,
        characteristics=characteristics,
        benefits=benefits,
        other_deliveries=other_deliveries,
        mou=_current_mou(list(scope.mous()), today),
        next_reviews=reviews,
        self_assessments_due=due,
        milestone_invitations=invitations,
    )


def _submitted(review: Review) -> bool:
    assessment = getattr(review, "self_assessment", None)
    return assessment is not None and assessment.status == assessment.Status.SUBMITTED


def review_self_assessment(review: Review):
    """The review's self-assessment, or None (a reverse one-to-one may be absent)."""
    return getattr(review, "self_assessment", None)


def priority_area_list() -> QuerySet[PriorityArea]:
    """The current priority areas with their objectives (public and portal)."""
    return (
        PriorityArea.objects.filter(is_current=True)
        .prefetch_related("objectives")
        .order_by("number")
    )


def threat_list_current(*, today: date) -> QuerySet[Threat]:
    """Threats of the planning year that holds the day."""
    return (
        Threat.objects.filter(
            planning_year__start__lte=today, planning_year__end__gte=today
        )
        .select_related("planning_year")
        .order_by("title", "pk")
    )


def logo_entitled(*, association: Association | None) -> bool:
    """Whether the current tier carries a benefit that grants the logo."""
    if association is None or not association.tier.benefits_allowed:
        return False
    return Benefit.objects.filter(
        tier_id=association.tier_id, grants_logo=True
    ).exists()


def portal_username_for(*, login: str) -> str:
    """The stored user name for what was typed at sign-in, compared without
    letter case (a partner's user name is their email address); what was typed
    when none or several match, so authentication fails as it would have."""
    from django.contrib.auth import get_user_model

    login = login.strip()
    names = list(
        get_user_model()
        .objects.filter(username__iexact=login)
        .values_list("username", flat=True)[:2]
    )
    return names[0] if len(names) == 1 else login


__all__ = [
    "PortalScope",
    "logo_entitled",
    "portal_home",
    "portal_scope",
    "portal_username_for",
    "priority_area_list",
    "review_self_assessment",
    "threat_list_current",
]
