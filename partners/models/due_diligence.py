"""Due diligence and its assessment against the strategy's principles."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from ceop_crm.models import TimeStampedModel
from partners.models.organisations import Organisation


class DueDiligence(TimeStampedModel):
    """An assessment of an organisation against the principles before association."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "In progress"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    class BrandRisk(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    class ChildProtection(models.TextChoices):
        IN_PLACE = "in_place", "Procedures in place"
        NOT_RELEVANT = "not_relevant", "Not relevant to this organisation"
        MISSING = "missing", "Not in place"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="due_diligence"
    )
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    child_protection = models.CharField(
        max_length=16, choices=ChildProtection.choices, default=ChildProtection.MISSING
    )
    brand_risk = models.CharField(
        max_length=8, choices=BrandRisk.choices, default=BrandRisk.MEDIUM
    )
    outcome = models.CharField(
        max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    expires_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "-assessed_on"]
        verbose_name = "due diligence"
        verbose_name_plural = "due diligence assessments"
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(expires_on__gt=F("assessed_on")),
                name="due_diligence_expires_after_assessment",
                violation_error_message="Due diligence must expire after the assessment date.",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="approved") | Q(expires_on__isnull=False),
                name="approved_due_diligence_has_expiry",
                violation_error_message="Approved due diligence needs an expiry date.",
            ),
        ]
        indexes = [
            # The approved assessments, by organisation (the at-risk anti-join
            # reads only this index; partners/selectors/at_risk.py).
            models.Index(
                fields=["organisation", "expires_on"],
                include=["assessed_on"],
                condition=Q(outcome="approved"),
                name="due_diligence_approved_org",
            ),
        ]

    def __str__(self) -> str:
        return f"Due diligence of {self.organisation} ({self.get_outcome_display()})"

    def is_current_on(self, day: date) -> bool:
        return (
            self.outcome == self.Outcome.APPROVED
            and self.expires_on is not None
            and self.assessed_on <= day < self.expires_on
        )


class PrincipleAssessment(models.Model):
    """The due diligence finding against one principle of relationship management."""

    due_diligence = models.ForeignKey(
        DueDiligence, on_delete=models.CASCADE, related_name="principle_assessments"
    )
    principle = models.ForeignKey(
        "priorities.Principle", on_delete=models.PROTECT, related_name="+"
    )
    met = models.BooleanField(default=False)
    evidence = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["principle__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["due_diligence", "principle"],
                name="one_assessment_per_principle",
            )
        ]

    def __str__(self) -> str:
        return f"{self.principle}: {'met' if self.met else 'not met'}"
