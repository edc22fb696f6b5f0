"""An import: the uploaded rows, the mapping of their columns and each row's outcome."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from ceop_crm.models import TimeStampedModel


class ImportColumnMapping(models.Model):
    """The columns a user mapped last time, remembered for their next file."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="import_column_mapping",
    )
    # {normalised header: field key}; "" means the column was ignored.
    mapping = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Import columns of {self.user}"


class ImportJob(TimeStampedModel):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Awaiting confirmation"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Finished"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    headers = models.JSONField(default=list, blank=True)
    # {column index as text: field key}
    mapping = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.UPLOADED
    )
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["status", "updated_at"],
                name="import_job_unfinished",
                condition=Q(status__in=["queued", "running"]),
            )
        ]

    def __str__(self) -> str:
        return f"Import of {self.file_name}"

    @property
    def percent(self) -> int:
        return round(100 * self.processed / self.total) if self.total else 100


class ImportRow(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", "Not yet imported"
        CREATED = "created", "Created"
        UPDATED = "updated", "Updated"
        SKIPPED = "skipped", "Unchanged"
        FAILED = "failed", "Failed"

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    # The row's number in the spreadsheet (the header is row 1).
    number = models.PositiveIntegerField()
    values = models.JSONField(default=list, blank=True)
    outcome = models.CharField(
        max_length=8, choices=Outcome.choices, default=Outcome.PENDING
    )
    message = models.TextField(blank=True)
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_rows",
    )

    class Meta:
        ordering = ["job", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["job", "number"], name="one_import_row_per_number"
            )
        ]
        indexes = [models.Index(fields=["job", "outcome"])]

    def __str__(self) -> str:
        return f"Row {self.number} of {self.job}"
