"""Activities logged against an organisation, and follow-up tasks."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ceop_crm.models import TimeStampedModel


class Activity(TimeStampedModel):
    """A call, meeting, email or note with an organisation; never shown to partners."""

    class Kind(models.TextChoices):
        CALL = "call", "Call"
        MEETING = "meeting", "Meeting"
        EMAIL = "email", "Email"
        NOTE = "note", "Note"

    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    occurred_at = models.DateTimeField(help_text="When it took place.")
    summary = models.TextField()
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="activities",
        help_text="Who from CEOP took part.",
    )
    contacts = models.ManyToManyField(
        "partners.Contact", blank=True, related_name="activities"
    )
    mou = models.ForeignKey(
        "partners.MoU",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name="MoU",
    )
    review = models.ForeignKey(
        "planning.Review",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    proposal = models.ForeignKey(
        "partners.Proposal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    issue = models.ForeignKey(
        "partners.RelationshipIssue",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="activities_recorded",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name_plural = "activities"
        indexes = [models.Index(fields=["organisation", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.organisation}: {self.headline}"

    @property
    def headline(self) -> str:
        first = self.summary.strip().splitlines()[0] if self.summary.strip() else ""
        return first if len(first) <= 80 else first[:79] + "…"


class Task(TimeStampedModel):
    """A follow-up: a title, a due date, an assignee (a staff user), an organisation."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="tasks"
    )
    title = models.CharField(max_length=200)
    due_on = models.DateField()
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tasks"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    # Where it came from: an activity, a review's recommendation or an issue.
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )
    review = models.ForeignKey(
        "planning.Review",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )
    issue = models.ForeignKey(
        "partners.RelationshipIssue",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(status="open", completed_at=None)
                    | Q(status="done", completed_at__isnull=False)
                ),
                name="task_done_has_completion_time",
            )
        ]
        indexes = [
            models.Index(
                fields=["assignee", "due_on"],
                name="task_open_by_assignee",
                condition=Q(status="open"),
            ),
            models.Index(fields=["organisation", "due_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
