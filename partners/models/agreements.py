"""Memoranda of Understanding, their signed documents and their hierarchy of ownership."""

from datetime import date

from django.core.validators import FileExtensionValidator
from django.db import models, transaction
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from ceop_crm.models import TimeStampedModel
from partners.models.organisations import Organisation


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
        indexes = [
            models.Index(fields=["status", "end"]),
            # The MoUs in force, by organisation (the at-risk anti-join reads
            # only this index; partners/selectors/at_risk.py).
            models.Index(
                fields=["organisation", "end"],
                include=["start"],
                condition=Q(status="signed"),
                name="mou_signed_org_end",
            ),
            # The MoU report's figures: organisations holding an MoU in each
            # state, counted from the index alone.
            models.Index(
                fields=["status", "organisation"], name="mou_status_organisation"
            ),
        ]

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
