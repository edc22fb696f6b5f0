"""Relationship issues raised, escalated and resolved."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from ceop_crm.models import TimeStampedModel
from partners.models.organisations import Organisation


class RelationshipIssue(TimeStampedModel):
    """A problem in a relationship, escalated along the MoU's ownership hierarchy."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="relationship_issues"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    escalation_level = models.PositiveSmallIntegerField(default=1)
    escalated_at = models.DateTimeField(null=True, blank=True)
    raised_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN
    )
    resolved_on = models.DateField(null=True, blank=True)
    resolution = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_on"]
        indexes = [
            # The open issues in the order the dashboard's card lists them
            # (partners.selectors.relationship_issue_list): its first rows are
            # read from the head of this index, not by sorting every open issue.
            models.Index(
                fields=["-escalation_level", "raised_on", "id"],
                condition=Q(status="open"),
                name="issue_open_by_escalation",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True)
                | Q(resolved_on__gte=F("raised_on")),
                name="issue_resolved_not_before_raised",
                violation_error_message="An issue cannot be resolved before it was raised.",
            ),
            models.CheckConstraint(
                condition=~Q(status="resolved")
                | (Q(resolved_on__isnull=False) & ~Q(resolution="")),
                name="resolved_issue_has_resolution",
                violation_error_message="A resolved issue needs its resolution and date.",
            ),
        ]

    def __str__(self) -> str:
        return self.title
