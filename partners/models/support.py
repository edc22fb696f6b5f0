"""Support: contributions and the proposals that become them."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from ceop_crm.models import TimeStampedModel
from partners.dedupe.normalise import clean_name
from partners.models.organisations import Organisation


class ContributionKind(models.TextChoices):
    TACTICAL = "tactical", "Tactical support to operations"
    EMBEDDED_STAFF = "embedded_staff", "Staff embedded in the Centre"
    TECHNICAL = "technical", "Technical capability"
    SAFER_DESIGN = "safer_design", "Joint design of safer online environments"
    DATA_ACCESS = "data_access", "Data access"
    EXPERTISE = "expertise", "Expertise"
    TRAINING = "training", "Training"
    FUNDING = "funding", "Funding"
    OTHER = "other", "Other"


class Contribution(TimeStampedModel):
    """Support an organisation gives to CEOP."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        AGREED = "agreed", "Agreed"
        DELIVERING = "delivering", "Delivering"
        COMPLETED = "completed", "Completed"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contributions"
    )
    kind = models.CharField(max_length=16, choices=ContributionKind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    priority_areas = models.ManyToManyField(
        "priorities.PriorityArea", blank=True, related_name="contributions"
    )
    centre_plan_objectives = models.ManyToManyField(
        "priorities.CentrePlanObjective", blank=True, related_name="contributions"
    )
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    outcomes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=F("start")),
                name="contribution_end_not_before_start",
                violation_error_message="The end date cannot be before the start date.",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Proposal(TimeStampedModel):
    """An approach offering support, from the portal, the public form or staff."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Awaiting triage"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    class Source(models.TextChoices):
        PORTAL = "portal", "Partner portal"
        PUBLIC = "public", "Public form"
        STAFF = "staff", "Recorded by staff"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="proposals"
    )
    source = models.CharField(
        max_length=8, choices=Source.choices, default=Source.STAFF
    )
    title = models.CharField(max_length=200)
    offer = models.TextField(help_text="What the organisation offers.")
    kind = models.CharField(
        max_length=16, choices=ContributionKind.choices, default=ContributionKind.OTHER
    )
    priority_areas = models.ManyToManyField(
        "priorities.PriorityArea", blank=True, related_name="proposals"
    )
    threat = models.ForeignKey(
        "priorities.Threat",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
    )
    new_threat = models.TextField(
        blank=True, help_text="A new threat this support addresses."
    )
    other_suggestion = models.BooleanField(
        default=False,
        help_text="A suggestion beyond the current priority areas and threats, "
        "which the strategy welcomes; flagged at triage.",
    )
    contact_name = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(blank=True)
    submitted_as = models.CharField(
        max_length=200,
        blank=True,
        help_text="The organisation's name as the public form's sender gave it.",
    )
    matched_by_name = models.BooleanField(
        default=False,
        help_text=(
            "The public form's name matched an organisation CEOP already knew: "
            "check that the sender speaks for it."
        ),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    contribution = models.OneToOneField(
        Contribution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposal",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The proposals in a state, newest first (the list and the
            # dashboard's card), and their number, from the index alone.
            models.Index(
                fields=["status", "created_at", "id"],
                name="proposal_status_created_id",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="declined_proposal_has_reason",
                violation_error_message="A declined proposal needs a reason.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        self.contact_name = clean_name(self.contact_name)
        self.submitted_as = clean_name(self.submitted_as)

    def save(self, *args, **kwargs) -> None:
        self.contact_name = clean_name(self.contact_name)
        self.submitted_as = clean_name(self.submitted_as)
        super().save(*args, **kwargs)
