from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models, transaction
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from ceop_crm.models import TimeStampedModel
from partners.dedupe.normalise import clean_name, name_key, website_domain


class Sector(models.TextChoices):
    INDUSTRY = "industry", "Industry"
    VOLUNTARY = "voluntary", "Voluntary sector"
    PUBLIC = "public", "Public sector"
    ACADEMIC = "academic", "Academic"
    INTERNATIONAL = "international", "International"
    OTHER = "other", "Other"


class OrganisationManager(models.Manager):
    """Organisations in use: a record merged into another is hidden from every list."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(merged_into__isnull=True)


class Organisation(TimeStampedModel):
    class Status(models.TextChoices):
        PROSPECT = "prospect", "Prospect"
        ASSESSMENT = "assessment", "Under assessment"
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    # Unique through name_key, which is stricter; a merged record keeps its name.
    name = models.CharField(max_length=200, db_index=True)
    # The name as duplicate detection compares it (partners.dedupe.normalise);
    # set from the name on every save, unique so that "Harbour Trust Ltd" cannot
    # stand beside "harbour trust".
    name_key = models.CharField(max_length=200, editable=False, default="")
    # The website's host without "www.", for duplicate detection by domain.
    domain = models.CharField(max_length=200, editable=False, default="")
    external_ref = models.CharField(
        "external reference",
        max_length=100,
        blank=True,
        default="",
        help_text="The organisation's reference in the spreadsheet or system it came from.",
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        # Rarely followed this way; an index on a column that is nearly always
        # NULL would only tempt the planner away from the name index.
        db_index=False,
        related_name="merged_records",
        help_text="The organisation this duplicate was merged into.",
    )
    sector = models.CharField(max_length=16, choices=Sector.choices)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PROSPECT
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_organisations",
        help_text="The relationship manager who owns the relationship.",
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deputised_organisations",
    )
    website = models.URLField(blank=True)
    country = models.CharField(max_length=80, default="United Kingdom")
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = OrganisationManager()
    all_objects = models.Manager()

    class Meta:
        ordering = ["name"]
        default_manager_name = "objects"
        base_manager_name = "all_objects"
        indexes = [
            models.Index(fields=["sector", "status"]),
            models.Index(
                fields=["domain"],
                name="organisation_domain",
                condition=~Q(domain=""),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(deputy__isnull=True) | ~Q(deputy=F("owner")),
                name="organisation_deputy_is_not_owner",
                violation_error_message="The deputy cannot be the owner.",
            ),
            models.UniqueConstraint(
                fields=["name_key"],
                name="one_organisation_per_normalised_name",
                violation_error_message=(
                    "An organisation with the same name already exists."
                ),
            ),
            models.UniqueConstraint(
                fields=["external_ref"],
                condition=~Q(external_ref=""),
                name="one_organisation_per_external_ref",
                violation_error_message=(
                    "Another organisation has this external reference."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def normalise_name(self) -> None:
        self.name = clean_name(self.name)
        self.name_key = name_key(self.name)
        if self.merged_into_id is not None:
            # A merged record no longer blocks its name.
            self.name_key = f"{self.name_key}~merged-{self.pk}"
        self.domain = website_domain(self.website)
        self.external_ref = (self.external_ref or "").strip()

    def clean(self) -> None:
        super().clean()
        self.normalise_name()
        twin = (
            Organisation.objects.filter(name_key=self.name_key)
            .exclude(pk=self.pk)
            .values_list("name", flat=True)
            .first()
        )
        if twin is not None:
            raise ValidationError(
                {"name": [f"“{twin}” already exists: is this the same organisation?"]}
            )

    def save(self, *args, **kwargs) -> None:
        self.normalise_name()
        super().save(*args, **kwargs)


class Contact(TimeStampedModel):
    """A person at an organisation (personal data)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    is_primary = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "-is_primary", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(is_primary=True),
                name="one_primary_contact_per_organisation",
                violation_error_message="This organisation already has a primary contact.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        self.name = clean_name(self.name)

    def save(self, *args, **kwargs) -> None:
        # Names typed on the public form and in the portal are stored as the
        # organisation's are: no invisible or direction characters.
        self.name = clean_name(self.name)
        super().save(*args, **kwargs)


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


def mou_document_path(instance: "MoU", filename: str) -> str:
    return f"mous/{instance.organisation_id}/{filename}"


def mou_document_discard(*, name: str, storage) -> None:
    """Delete a stored document once the transaction that let it go commits."""
    transaction.on_commit(lambda: storage.delete(name))


class MoU(TimeStampedModel):
    """A Memorandum of Understanding with a Strategic Partner or Partner."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        NEGOTIATION = "negotiation", "In negotiation"
        SIGNED = "signed", "Signed"
        EXPIRED = "expired", "Expired"
        TERMINATED = "terminated", "Terminated"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="mous"
    )
    title = models.CharField(max_length=200, default="Memorandum of Understanding")
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    signed_on = models.DateField(null=True, blank=True)
    ceop_signatory = models.CharField(max_length=150, blank=True)
    partner_signatory = models.CharField(max_length=150, blank=True)
    document = models.FileField(
        upload_to=mou_document_path,
        blank=True,
        validators=[FileExtensionValidator(["pdf"])],
        help_text="The signed MoU as a PDF.",
    )
    centre_plan_objectives = models.ManyToManyField(
        "priorities.CentrePlanObjective", blank=True, related_name="mous"
    )
    market_equally = models.BooleanField(
        default=False, help_text="Both sides agree to market the partnership equally."
    )
    joint_marketing_terms = models.TextField(blank=True)
    renewal_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="renewals"
    )
    terminated_on = models.DateField(null=True, blank=True)
    termination_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "-start"]
        verbose_name = "MoU"
        verbose_name_plural = "MoUs"
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=F("start")),
                name="mou_end_not_before_start",
                violation_error_message="The MoU cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["signed", "expired", "terminated"])
                | Q(signed_on__isnull=False, start__isnull=False, end__isnull=False),
                name="signed_mou_has_dates",
                violation_error_message="A signed MoU needs its signed, start and end dates.",
            ),
        ]
        indexes = [models.Index(fields=["status", "end"])]

    def __str__(self) -> str:
        return f"{self.title} – {self.organisation}"

    def save(self, *args, **kwargs) -> None:
        # A replaced or cleared signed document is deleted once the change is
        # committed (the history keeps its name), so no file is left orphaned.
        previous = ""
        if self.pk is not None:
            previous = (
                MoU.objects.filter(pk=self.pk)
                .values_list("document", flat=True)
                .first()
                or ""
            )
        super().save(*args, **kwargs)
        if previous and previous != self.document.name:
            mou_document_discard(name=previous, storage=self.document.storage)

    def delete(self, *args, **kwargs):
        name, storage = self.document.name, self.document.storage
        result = super().delete(*args, **kwargs)
        if name:
            mou_document_discard(name=name, storage=storage)
        return result

    def in_force_on(self, day: date) -> bool:
        return (
            self.status == self.Status.SIGNED
            and self.start is not None
            and self.end is not None
            and self.start <= day <= self.end
        )


class OwnershipLevel(models.Model):
    """A step of an MoU's hierarchy of ownership and accountability for issues."""

    class Side(models.TextChoices):
        CEOP = "ceop", "CEOP"
        PARTNER = "partner", "Partner"

    mou = models.ForeignKey(
        MoU, on_delete=models.CASCADE, related_name="ownership_levels"
    )
    level = models.PositiveSmallIntegerField(
        help_text="1 is the first point of contact."
    )
    side = models.CharField(max_length=8, choices=Side.choices)
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    days_to_resolve = models.PositiveSmallIntegerField(
        default=14, help_text="Days an issue may stay unresolved at this level."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["mou", "level", "side"]
        constraints = [
            models.UniqueConstraint(
                fields=["mou", "level", "side"], name="one_owner_per_level_side"
            )
        ]

    def __str__(self) -> str:
        return f"Level {self.level} ({self.get_side_display()}): {self.name}"


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


class PortalMembership(TimeStampedModel):
    """Links a partner user (never staff) to their one organisation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="portal_membership",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="portal_memberships"
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="portal_memberships",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.user} at {self.organisation}"


# Models of the partners app kept in rooms of their own.
from partners.dedupe.models import OrganisationMerge  # noqa: E402, F401
from partners.downloads.models import ReportDownload  # noqa: E402, F401
from partners.imports.models import (  # noqa: E402, F401
    ImportColumnMapping,
    ImportJob,
    ImportRow,
)
from partners.joint.models import ContributionParty  # noqa: E402, F401
