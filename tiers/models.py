from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from ceop_crm.models import TimeStampedModel


class MonitoringFrequency(models.TextChoices):
    QUARTERLY = "quarterly", "Quarterly"
    ANNUAL = "annual", "Annually"
    NONE = "none", "None"


class TierLevel(models.Model):
    """A level of association (or the supplier/contractor level, which is not one)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80, unique=True)
    rank = models.PositiveSmallIntegerField(
        unique=True, help_text="Higher is a deeper relationship; suppliers are 0."
    )
    definition = models.TextField(blank=True)
    is_association = models.BooleanField(
        default=True,
        help_text="Suppliers and contractors are paid in full and are not associated.",
    )
    monitoring_frequency = models.CharField(
        max_length=12,
        choices=MonitoringFrequency.choices,
        default=MonitoringFrequency.NONE,
    )
    requires_mou = models.BooleanField(default=False)
    benefits_allowed = models.BooleanField(default=False)
    # Database defaults: the reference-data migration that loads the levels
    # predates these columns.
    promotion_rule = models.TextField(
        blank=True,
        db_default="",
        help_text="What the organisation may say about its work with CEOP, "
        "in the strategy's words.",
    )
    brand_policy_url = models.URLField(
        blank=True,
        db_default="",
        help_text="Where CEOP's Brand Association Policy is published.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-rank"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_association=True)
                | Q(benefits_allowed=False, requires_mou=False),
                name="tierlevel_non_association_has_no_benefits_or_mou",
            )
        ]

    def __str__(self) -> str:
        return self.name


class CharacteristicCheck(models.TextChoices):
    """Key characteristics that can be checked from the data."""

    NONE = "", "Judged from evidence"
    MOU_IN_FORCE = "mou_in_force", "A signed MoU is in force"
    MARKET_EQUALLY = "market_equally", "MoU agrees to market the partnership equally"
    MONITORING_QUARTERLY = "monitoring_quarterly", "Reviews scheduled quarterly"
    MONITORING_ANNUAL = "monitoring_annual", "Review scheduled annually"
    OBJECTIVES_SEVERAL = (
        "objectives_several",
        "Delivers two or more Centre Plan objectives",
    )
    OBJECTIVES_ONE = "objectives_one", "Delivers at least one Centre Plan objective"
    OWNERSHIP_HIERARCHY = (
        "ownership_hierarchy",
        "Ownership hierarchy recorded on the MoU",
    )
    CONTRIBUTION_ACTIVE = "contribution_active", "Has agreed or delivering support"


class KeyCharacteristic(models.Model):
    tier = models.ForeignKey(
        TierLevel, on_delete=models.CASCADE, related_name="characteristics"
    )
    order = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    automatic_check = models.CharField(
        max_length=40, choices=CharacteristicCheck.choices, blank=True, default=""
    )

    class Meta:
        ordering = ["tier", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["tier", "order"], name="characteristic_order_per_tier"
            )
        ]

    def __str__(self) -> str:
        return self.text


class Benefit(models.Model):
    """A bullet of a tier's "Examples of benefits": the tier is entitled to it."""

    tier = models.ForeignKey(
        TierLevel, on_delete=models.CASCADE, related_name="benefits"
    )
    order = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    grants_logo = models.BooleanField(
        default=False, help_text="Entitles the organisation to download the logo."
    )

    class Meta:
        ordering = ["tier", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["tier", "order"], name="benefit_order_per_tier"
            )
        ]

    def __str__(self) -> str:
        return self.text


class Association(TimeStampedModel):
    """An organisation at a level from a start date; current while it has no end."""

    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="associations"
    )
    tier = models.ForeignKey(
        TierLevel, on_delete=models.PROTECT, related_name="associations"
    )
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=300, blank=True)
    mou = models.ForeignKey(
        "partners.MoU",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="associations",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "-start"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(end__isnull=True),
                name="one_current_association_per_organisation",
                violation_error_message="This organisation already has a current association.",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="association_end_not_before_start",
                violation_error_message="The end date cannot be before the start date.",
            ),
        ]
        indexes = [
            models.Index(fields=["tier", "end"]),
            # The newest first, with a tie-break (association_list_newest).
            models.Index(fields=["created_at", "id"], name="association_created_id"),
            # The current associations with their level, by organisation: where
            # the at-risk anti-joins start (partners/selectors/at_risk.py).
            models.Index(
                fields=["organisation", "tier"],
                condition=Q(end__isnull=True),
                name="association_current_org_tier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.tier} from {self.start:%d/%m/%Y}"

    @property
    def is_current(self) -> bool:
        return self.end is None


class TierChange(TimeStampedModel):
    """A proposed move between levels, decided by a senior manager."""

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Direction(models.TextChoices):
        START = "start", "New association"
        UP = "up", "Move up"
        DOWN = "down", "Move down"
        END = "end", "End association"
        SAME = "same", "Renew at the same level"

    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="tier_changes"
    )
    from_association = models.ForeignKey(
        Association, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_tier = models.ForeignKey(
        TierLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Leave empty to end the association.",
    )
    direction = models.CharField(max_length=8, choices=Direction.choices)
    effective_date = models.DateField()
    reason = models.TextField()
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    resulting_association = models.ForeignKey(
        Association, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        permissions = [("approve_tierchange", "Can approve or reject tier moves")]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status="pending"),
                name="one_pending_tier_change_per_organisation",
                violation_error_message="This organisation already has a tier move awaiting approval.",
            )
        ]

    def __str__(self) -> str:
        target = self.to_tier or "no association"
        return f"{self.organisation}: {self.get_direction_display()} to {target}"


class TierChangeEvidence(models.Model):
    """Evidence against one key characteristic of the target tier."""

    tier_change = models.ForeignKey(
        TierChange, on_delete=models.CASCADE, related_name="evidence"
    )
    characteristic = models.ForeignKey(
        KeyCharacteristic, on_delete=models.PROTECT, related_name="+"
    )
    evidence = models.TextField(blank=True)
    automatic_result = models.BooleanField(
        null=True,
        help_text="Result of the automatic check when the move was requested.",
    )

    class Meta:
        ordering = ["characteristic__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["tier_change", "characteristic"],
                name="one_evidence_per_characteristic",
            )
        ]

    def __str__(self) -> str:
        return f"{self.characteristic}: {self.evidence[:40]}"


class BenefitDelivery(TimeStampedModel):
    """A benefit given to an organisation on a date."""

    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="benefit_deliveries",
    )
    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="benefit_deliveries"
    )
    benefit = models.ForeignKey(
        Benefit, on_delete=models.PROTECT, related_name="deliveries"
    )
    delivered_on = models.DateField()
    description = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-delivered_on"]
        verbose_name_plural = "benefit deliveries"

    def __str__(self) -> str:
        return f"{self.benefit} to {self.organisation} on {self.delivered_on:%d/%m/%Y}"
