"""A report download built by the worker into a private file."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from ceop_crm.privacy.models import private_storage


def download_path(instance: "ReportDownload", filename: str) -> str:
    # A random name: the path says nothing of whose or which report it is.
    return f"report-downloads/{uuid.uuid4().hex}.{instance.fmt}"


class ReportDownload(models.Model):
    """A report too large to build in the request, asked for by one user."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the worker"
        RUNNING = "running", "Being built"
        DONE = "done", "Ready to download"
        FAILED = "failed", "Failed"

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    slug = models.SlugField(max_length=40)
    year = models.CharField(max_length=7, blank=True)
    # A list's download: the list's query string (filters, sort, columns).
    query = models.CharField(max_length=1000, blank=True)
    fmt = models.CharField(max_length=4, choices=Format.choices)
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.PENDING
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    file = models.FileField(
        storage=private_storage, upload_to=download_path, blank=True
    )
    file_name = models.CharField(max_length=120, blank=True)
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="report_download_unfinished",
                condition=Q(status__in=["pending", "running"]),
            )
        ]

    def __str__(self) -> str:
        return f"Report download #{self.pk} ({self.slug}.{self.fmt})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def progress(self) -> int:
        """Percent done, 100 only once the file is saved."""
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, 100 * self.rows_done // self.rows_total)
