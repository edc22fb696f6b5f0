"""Data protection records: what the data protection officer asks for and what was done.

None of these rows is partnership data, so none has a history table: an
erasure must leave no copy of the person behind, and the read log is never
edited.
"""

import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q


class RetentionKind(models.TextChoices):
    ENDED_RELATIONSHIP_CONTACTS = (
        "ended_relationship_contacts",
        "Contacts of organisations whose relationship ended",
    )
    DECLINED_PROPOSAL_SENDERS = (
        "declined_proposal_senders",
        "Senders of declined proposals",
    )
    SENT_EMAIL_BODIES = "sent_email_bodies", "Email bodies after sending"
    READ_REMINDERS = "read_reminders", "Read reminders"
    ERASED_HISTORY = "erased_history", "Historical versions of erased people"
    FAILED_SIGN_INS = "failed_sign_ins", "Failed sign-in records"
    READ_LOG = "read_log", "Read log of personal data"
    SUBJECT_ACCESS_EXPORTS = "subject_access_exports", "Subject access export files"


class RetentionPeriod(models.Model):
    """How long one kind of personal data is kept; the daily task applies it."""

    kind = models.CharField(max_length=40, choices=RetentionKind.choices, unique=True)
    days = models.PositiveIntegerField(
        help_text="Kept this many days after the event that starts the clock."
    )
    description = models.TextField(
        blank=True, help_text="What starts the clock and what happens at the end."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(days__gte=1),
                name="retention_period_at_least_one_day",
                violation_error_message="A retention period is at least one day.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.days} days"


class PrivacyNotice(models.Model):
    """The privacy notice shown to the public, partners and staff; one row."""

    title = models.CharField(max_length=200, default="Privacy notice")
    body = models.TextField(
        help_text="Plain text; a blank line starts a new paragraph."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="privacy_notice_single_row")
        ]

    def __str__(self) -> str:
        return self.title


class ReadLogEntry(models.Model):
    """One read of personal data: who, when, what and from where."""

    class Kind(models.TextChoices):
        CONTACT_VIEW = "contact_view", "Contact details viewed"
        CONTACT_LIST = "contact_list", "Contact list read"
        PERSON_SEARCH = "person_search", "Person search"
        CONTACT_EXPORT = "contact_export", "Export containing contacts"
        SUBJECT_ACCESS_EXPORT = "subject_access_export", "Subject access export"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    what = models.CharField(max_length=300)
    query = models.CharField(
        max_length=300,
        blank=True,
        help_text="The name or email searched for or exported (personal data).",
    )
    path = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "read of personal data"
        verbose_name_plural = "read log"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.created_at:%d/%m/%Y %H:%M}"


class ReadLogRecord(models.Model):
    """A record whose personal data a read showed (a contact, a user)."""

    entry = models.ForeignKey(
        ReadLogEntry, on_delete=models.CASCADE, related_name="records"
    )
    model = models.CharField(max_length=60)
    object_id = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.model} #{self.object_id}"


class PrivateStorage(FileSystemStorage):
    """Files under MEDIA_ROOT/private/: never given a URL, served only by a view."""

    @property
    def base_location(self):
        return self._value_or_setting(
            self._location, str(settings.MEDIA_ROOT) + "/private"
        )

    def url(self, name):  # pragma: no cover - never called by design
        raise ValueError("Private files have no URL.")


private_storage = PrivateStorage()


def export_path(instance: "SubjectAccessExport", filename: str) -> str:
    return f"subject-access/{uuid.uuid4().hex}.zip"


class SubjectAccessExport(models.Model):
    """A subject access export asked for on the page and built by the worker."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the worker"
        RUNNING = "running", "Being built"
        DONE = "done", "Ready to download"
        FAILED = "failed", "Failed"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    subject_name = models.CharField(max_length=150, blank=True)
    subject_email = models.CharField(max_length=254, blank=True)
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(storage=private_storage, upload_to=export_path, blank=True)
    records = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(subject_name="", subject_email=""),
                name="subject_access_export_names_someone",
                violation_error_message="Give the person's name or email.",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="subject_access_progress_percent"
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="sar_unfinished",
                condition=Q(status__in=["pending", "running"]),
            )
        ]

    def __str__(self) -> str:
        return f"Subject access export #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class ErasureEvent(models.Model):
    """An erasure: who, when and why, and how many records; never who was erased."""

    class Source(models.TextChoices):
        REQUEST = "request", "Erasure request"
        RETENTION = "retention", "Retention schedule"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(db_index=True)
    source = models.CharField(
        max_length=10, choices=Source.choices, default=Source.REQUEST
    )
    reason = models.TextField()
    counts = models.JSONField(
        default=dict, blank=True, help_text="Records anonymised, by place."
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Erasure #{self.pk} ({self.created_at:%d/%m/%Y})"


class ErasedRecord(models.Model):
    """A record anonymised by an erasure; its history is deleted when its period ends."""

    event = models.ForeignKey(
        ErasureEvent, on_delete=models.CASCADE, related_name="erased_records"
    )
    model = models.CharField(max_length=60)
    object_id = models.BigIntegerField()
    history_purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["model", "object_id"]),
            models.Index(
                fields=["event"],
                name="erased_history_unpurged",
                condition=Q(history_purged_at=None),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.model} #{self.object_id}"
