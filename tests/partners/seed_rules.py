"""The rules of DESIGN.md the demo data must keep, each read as the rows that break it.

Kept beside tests/partners/test_seed_demo.py, which seeds and asks for none.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, OuterRef, Q

from partners.models import (
    Contact,
    Contribution,
    DueDiligence,
    MoU,
    Organisation,
    OwnershipLevel,
    Proposal,
    RelationshipIssue,
)
from planning.models import Review
from tiers.models import Association, BenefitDelivery, TierChange
from tiers.services import association_validate, benefit_delivery_validate


def rule_violations(today: dt.date) -> dict[str, list]:
    """Every rule of DESIGN.md the demo data must keep, as the rows that break it."""
    found: dict[str, list] = {}

    def check(name: str, rows) -> None:
        found[name] = list(rows)

    associations = Association.objects.select_related("tier", "mou", "organisation")
    check(
        "more than one current association",
        Organisation.objects.annotate(
            current=Count("associations", filter=Q(associations__end__isnull=True))
        )
        .filter(current__gt=1)
        .values_list("name", flat=True),
    )
    check(
        "benefits for a tier without benefits (suppliers)",
        BenefitDelivery.objects.filter(
            Q(association__tier__benefits_allowed=False)
            | Q(organisation__associations__tier__is_association=False)
        ).values_list("pk", flat=True),
    )
    check(
        "benefit outside the tier's entitlement or the association's dates",
        BenefitDelivery.objects.filter(
            ~Q(benefit__tier=F("association__tier"))
            | ~Q(organisation=F("association__organisation"))
            | Q(delivered_on__lt=F("association__start"))
            | Q(delivered_on__gt=F("association__end"))
            | Q(delivered_on__gt=today)
        ).values_list("pk", flat=True),
    )
    check(
        "Strategic Partner or Partner without a signed MoU covering its start",
        associations.filter(tier__requires_mou=True)
        .exclude(
            mou__signed_on__isnull=False,
            mou__start__lte=F("start"),
            mou__end__gte=F("start"),
            mou__organisation=F("organisation"),
        )
        .values_list("pk", flat=True),
    )
    check(
        "current Strategic Partner or Partner without an MoU in force today",
        associations.filter(tier__requires_mou=True, end__isnull=True)
        .exclude(mou__status=MoU.Status.SIGNED, mou__end__gte=today)
        .values_list("pk", flat=True),
    )
    approved = DueDiligence.objects.filter(
        organisation=OuterRef("organisation"), outcome=DueDiligence.Outcome.APPROVED
    )
    check(
        "association without approved due diligence on its start",
        associations.exclude(
            Exists(
                approved.filter(
                    assessed_on__lte=OuterRef("start"), expires_on__gt=OuterRef("start")
                )
            )
        ).values_list("pk", flat=True),
    )
    check(
        "current association whose due diligence has expired",
        associations.filter(end__isnull=True)
        .exclude(Exists(approved.filter(assessed_on__lte=today, expires_on__gt=today)))
        .values_list("pk", flat=True),
    )
    check(
        "approved due diligence with a principle not met or missing",
        DueDiligence.objects.filter(outcome=DueDiligence.Outcome.APPROVED)
        .annotate(
            met=Count(
                "principle_assessments", filter=Q(principle_assessments__met=True)
            )
        )
        .exclude(met=8)
        .values_list("pk", flat=True),
    )
    check(
        "signed MoU without owners on both sides",
        MoU.objects.filter(status=MoU.Status.SIGNED)
        .annotate(sides=Count("ownership_levels__side", distinct=True))
        .exclude(sides=2)
        .values_list("pk", flat=True),
    )
    check(
        "active organisation without a current association, or the reverse",
        Organisation.objects.annotate(
            current=Exists(
                Association.objects.filter(
                    organisation=OuterRef("pk"), end__isnull=True
                )
            )
        )
        .filter(
            Q(status=Organisation.Status.ACTIVE, current=False)
            | (~Q(status=Organisation.Status.ACTIVE) & Q(current=True))
        )
        .values_list("name", flat=True),
    )
    check(
        "review of a supplier or outside the association",
        Review.objects.filter(
            Q(association__tier__monitoring_frequency="none")
            | Q(due_on__lt=F("association__start"))
            | Q(completed_on__gt=today)
        ).values_list("pk", flat=True),
    )
    check(
        "organisation without exactly one primary contact",
        Organisation.objects.annotate(
            primary=Count("contacts", filter=Q(contacts__is_primary=True))
        )
        .exclude(primary=1)
        .values_list("name", flat=True),
    )
    check(
        "issue escalated past the top of the ownership hierarchy",
        [
            issue.pk
            for issue in RelationshipIssue.objects.all()
            if issue.escalation_level
            > max(
                OwnershipLevel.objects.filter(
                    mou__organisation=issue.organisation_id,
                    mou__status=MoU.Status.SIGNED,
                ).values_list("level", flat=True),
                default=1,
            )
        ],
    )
    # The services' own checks, row by row.
    broken = []
    for association in associations.filter(end__isnull=True):
        try:
            association_validate(
                organisation=association.organisation,
                tier=association.tier,
                start=association.start,
                mou=association.mou,
                exclude_pk=association.pk,
            )
        except ValidationError as error:
            broken.append((association.organisation.name, error.messages))
    check("current association refused by association_validate", broken)
    broken = []
    for delivery in BenefitDelivery.objects.select_related("organisation", "benefit"):
        try:
            association = benefit_delivery_validate(
                organisation=delivery.organisation,
                benefit=delivery.benefit,
                delivered_on=delivery.delivered_on,
            )
        except ValidationError as error:
            broken.append((delivery.pk, error.messages))
        else:
            if association.pk != delivery.association_id:
                broken.append((delivery.pk, "another association"))
    check("benefit delivery refused by benefit_delivery_validate", broken)
    # Field validation and every model constraint, as a form would apply them.
    broken = []
    for model in (
        Organisation,
        Contact,
        DueDiligence,
        MoU,
        OwnershipLevel,
        Association,
        TierChange,
        BenefitDelivery,
        Contribution,
        Proposal,
        RelationshipIssue,
        Review,
    ):
        for row in model.objects.all():
            try:
                row.full_clean()
            except ValidationError as error:
                broken.append((model.__name__, row.pk, error.message_dict))
    check("row failing full_clean", broken)
    return {name: rows for name, rows in found.items() if rows}
