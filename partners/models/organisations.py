"""Organisations, their contacts, who owns them and who of theirs uses the portal."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
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
        # NULL would only tempt the planner away from the name index. A partial
        # index of the merged records (Meta.indexes) serves the PROTECT check
        # of every delete, which would otherwise read the whole table.
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
                fields=["merged_into"],
                name="organisation_merged_into",
                condition=models.Q(merged_into__isnull=False),
            ),
            models.Index(
                fields=["domain"],
                name="organisation_domain",
                condition=~Q(domain=""),
            ),
            # One's own organisations counted from an index alone, the owned
            # and the deputised apart (partners/selectors/organisations.py,
            # organisation_mine_counted): the ids, and whether merged away.
            models.Index(
                fields=["owner", "id"],
                include=["merged_into"],
                name="organisation_owner_then_id",
            ),
            models.Index(
                fields=["deputy", "id"],
                include=["merged_into"],
                name="organisation_deputy_then_id",
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
