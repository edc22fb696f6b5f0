from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from ceop_crm.models import TimeStampedModel


class PlanningYear(TimeStampedModel):
    """CEOP's business year, 1 April to 31 March, labelled "2026/27"."""

    label = models.CharField(max_length=7, unique=True)
    start = models.DateField(unique=True)
    end = models.DateField(unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="planning_year_end_after_start",
                violation_error_message="A planning year ends after it starts.",
            )
        ]

    def __str__(self) -> str:
        return self.label


class MilestoneKind(models.TextChoices):
    THREAT_ASSESSMENT = "threat_assessment", "Strategic Threat Assessment"
    CENTRE_PLAN = "centre_plan", "Centre Plan published"
    PRIORITIES = "priorities", "Priorities for external support published"
    QUARTERLY_MONITORING = "quarterly_monitoring", "Quarterly monitoring window"
    ANNUAL_MONITORING = "annual_monitoring", "Annual monitoring"
    ANNUAL_REVIEW = "annual_review", "Recognition in the Annual Review"
    OTHER = "other", "Other"


class Audience(models.TextChoices):
    STAFF = "staff", "CEOP staff"
    PARTNERS = "partners", "Partners and supporters"
    BOTH = "both", "Staff and partners"


class MilestoneTemplate(models.Model):
    """A step of the default cycle, copied into each new planning year.

    Dates are a month and day; months April to December fall in the year's
    first calendar year, January to March in its second. A step marked
    ``in_next_year`` falls a year later, in the following planning year, yet
    stays a step of the year it was copied into: the fourth quarter (January
    to March) is reviewed in April, after its planning year has ended, and
    that review belongs to the year it reviews.
    """

    kind = models.CharField(max_length=24, choices=MilestoneKind.choices)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    month = models.PositiveSmallIntegerField()
    day = models.PositiveSmallIntegerField()
    end_month = models.PositiveSmallIntegerField(null=True, blank=True)
    end_day = models.PositiveSmallIntegerField(null=True, blank=True)
    in_next_year = models.BooleanField(
        default=False,
        help_text="The dates fall in the following planning year, after this one "
        "ends (the fourth quarter's review in April).",
    )
    quarter = models.PositiveSmallIntegerField(null=True, blank=True)
    audience = models.CharField(
        max_length=10, choices=Audience.choices, default=Audience.BOTH
    )
    reminder_lead_days = models.PositiveSmallIntegerField(default=14)
    order = models.PositiveSmallIntegerField(unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12, day__gte=1, day__lte=31),
                name="milestone_template_valid_month_day",
            ),
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4),
                name="milestone_template_valid_quarter",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Milestone(TimeStampedModel):
    """A dated step of one planning year's cycle; every date is editable.

    A step may fall after its year's end: the fourth quarter's monitoring
    window (and the Official Supporters' annual one) is in the April after,
    and stays attached to the year it reviews.
    """

    planning_year = models.ForeignKey(
        PlanningYear, on_delete=models.CASCADE, related_name="milestones"
    )
    kind = models.CharField(max_length=24, choices=MilestoneKind.choices)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    date = models.DateField()
    end_date = models.DateField(
        null=True, blank=True, help_text="For windows: the day the window closes."
    )
    quarter = models.PositiveSmallIntegerField(null=True, blank=True)
    audience = models.CharField(
        max_length=10, choices=Audience.choices, default=Audience.BOTH
    )
    reminder_lead_days = models.PositiveSmallIntegerField(default=14)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("date")),
                name="milestone_end_not_before_start",
                violation_error_message="A milestone cannot close before it opens.",
            ),
            models.UniqueConstraint(
                fields=["planning_year", "quarter"],
                condition=Q(kind="quarterly_monitoring"),
                name="one_quarterly_window_per_quarter",
            ),
            models.UniqueConstraint(
                fields=["planning_year"],
                condition=Q(kind="annual_monitoring"),
                name="one_annual_monitoring_per_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.planning_year})"

    @property
    def closes_on(self):
        return self.end_date or self.date


class Review(TimeStampedModel):
    """A scheduled review of an association in a monitoring window."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    class Recommendation(models.TextChoices):
        STAY = "stay", "Stay at this level"
        MOVE_UP = "move_up", "Move up a level"
        MOVE_DOWN = "move_down", "Move down a level"
        END = "end", "End the association"

    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="reviews"
    )
    association = models.ForeignKey(
        "tiers.Association", on_delete=models.PROTECT, related_name="reviews"
    )
    milestone = models.ForeignKey(
        Milestone, on_delete=models.PROTECT, related_name="reviews"
    )
    # Indexed with the pk (Meta.indexes), the list order.
    due_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    cancelled_reason = models.CharField(max_length=300, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    conducted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    progress = models.TextField(
        blank=True, help_text="Progress against Centre Plan objectives."
    )
    benefits_to_ceop = models.TextField(blank=True)
    benefits_to_partner = models.TextField(blank=True)
    recommendation = models.CharField(
        max_length=10, choices=Recommendation.choices, blank=True
    )
    imported = models.BooleanField(
        default=False,
        editable=False,
        help_text="Held before this system and recorded from an import: its "
        "completion date is the one its records give.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "milestone"],
                condition=~Q(status="cancelled"),
                name="one_live_review_per_organisation_window",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancelled_reason=""),
                name="cancelled_review_has_reason",
                violation_error_message="A cancelled review keeps its reason.",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_on__isnull=False),
                name="completed_review_has_date",
            ),
        ]
        indexes = [
            # The list order: a page is read from the index. On due_on alone,
            # every review due on the first date (a quarter's reviews share
            # one) was read and sorted by pk for each page.
            models.Index(fields=["due_on", "id"], name="review_due_on_then_id"),
            # The same order within a status (the list filtered by status).
            models.Index(
                fields=["status", "due_on", "id"], name="review_status_due_on_id"
            ),
            # An organisation's next or overdue scheduled review: the list's
            # columns and its sort by next review read one index entry each.
            models.Index(
                fields=["organisation", "due_on"],
                condition=Q(status="scheduled"),
                name="review_scheduled_org_due",
            ),
            # The scheduled reviews due by a date with their organisations,
            # from the index alone (the dashboard's counts of one's own).
            models.Index(
                fields=["due_on", "organisation"],
                condition=Q(status="scheduled"),
                name="review_scheduled_due_org",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.milestone.name} review of {self.organisation} (due {self.due_on:%d/%m/%Y})"


class SelfAssessment(TimeStampedModel):
    """The partner's own assessment for a review, drafted and submitted in the portal."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    review = models.OneToOneField(
        Review, on_delete=models.CASCADE, related_name="self_assessment"
    )
    progress = models.TextField(blank=True)
    benefits_received = models.TextField(blank=True)
    benefits_given = models.TextField(blank=True)
    improvements = models.TextField(blank=True, help_text="What could be better.")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Self-assessment for {self.review}"


class Reminder(models.Model):
    """One notification to one person about one thing, sent once.

    The unique key (recipient, subject, step) is what makes a reminder go out
    once however often or concurrently the sweep runs.
    """

    class Step(models.TextChoices):
        REVIEW_UPCOMING = "review_upcoming", "Review coming up"
        REVIEW_DUE = "review_due", "Review due today"
        REVIEW_OVERDUE = "review_overdue", "Review overdue"
        REVIEW_ESCALATED = "review_escalated", "Review escalated"
        # The days of the three MoU notices come from settings
        # (REMINDER_MOU_ENDING_DAYS, 90, 30 and 7 by default).
        MOU_ENDING_90 = "mou_ending_90", "MoU ending: first notice"
        MOU_ENDING_30 = "mou_ending_30", "MoU ending: second notice"
        MOU_ENDING_7 = "mou_ending_7", "MoU ending: final notice"
        MOU_ENDED = "mou_ended", "MoU ended without renewal"
        # Due diligence expiring, at the same days as an MoU's notices.
        DUE_DILIGENCE_ENDING_90 = "dd_ending_90", "Due diligence expiring: first notice"
        DUE_DILIGENCE_ENDING_30 = (
            "dd_ending_30",
            "Due diligence expiring: second notice",
        )
        DUE_DILIGENCE_ENDING_7 = "dd_ending_7", "Due diligence expiring: final notice"
        # An association no longer meeting its level's conditions, escalated.
        ASSOCIATION_AT_RISK = "association_at_risk", "Association at risk"
        MILESTONE_UPCOMING = "milestone_upcoming", "Milestone coming up"
        ISSUE_ESCALATION = "issue_escalation", "Relationship issue past its deadline"
        # Follow-up tasks (activities/reminders.py): to the assignee only.
        TASK_DUE = "task_due", "Task due today"
        TASK_OVERDUE = "task_overdue", "Task overdue"
        APPROVAL_WAITING = "approval_waiting", "Tier move awaiting approval"
        OTHER = "other", "Other"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    step = models.CharField(max_length=24, choices=Step.choices)
    subject_type = models.CharField(max_length=32)
    subject_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    due_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Email not before this time: a sender's claim or a retry's backoff.",
    )
    # The recipient's preference for this kind when it was recorded: "email"
    # goes out at once, "digest" waits for the daily digest, "app" stays here.
    delivery = models.CharField(
        max_length=8, default="email", db_default="email", db_index=True
    )
    digest = models.ForeignKey(
        "planning.Digest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "subject_type", "subject_id", "step"],
                name="reminder_once_per_recipient_subject_step",
            )
        ]
        indexes = [
            # The list order (admin's too): newest first, read from the index.
            models.Index(fields=["-created_at", "-id"], name="reminder_newest_first"),
            models.Index(fields=["recipient", "read_at"]),
            # The senders' claims (ceop_crm/mail.py): the unsent emails in id
            # order, from the claim's keyset bound on, skipping the sent rows
            # and the reminders kept for the app or the digest, which are
            # never "sent" and would otherwise be read past by every claim.
            models.Index(
                fields=["id"],
                name="reminder_email_unsent_id",
                condition=Q(sent_at=None, delivery="email"),
            ),
            # The sweep asks "has this subject's step gone out?" for any recipient.
            models.Index(
                fields=["subject_type", "subject_id", "step"],
                name="reminder_subject_step",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CalendarFeedToken(models.Model):
    """A private calendar feed's secret, stored as its SHA-256; revocable.

    The secret itself is shown once, when issued; a user has one live token.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed_tokens",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at=None),
                name="one_live_calendar_feed_token_per_user",
            )
        ]

    def __str__(self) -> str:
        state = "revoked" if self.revoked_at else "live"
        return f"Calendar feed of {self.user} ({state})"


# Email preferences, digests and scheduled reports live in their own module.
from planning.email_models import (  # noqa: E402
    AddressOptOut,
    Delivery,
    Digest,
    EmailSettings,
    NoticeKind,
    NotificationDefault,
    NotificationPreference,
    ReportFrequency,
    ReportSend,
    ReportSubscription,
)

__all__ = [
    "AddressOptOut",
    "Audience",
    "CalendarFeedToken",
    "Delivery",
    "Digest",
    "EmailSettings",
    "Milestone",
    "MilestoneKind",
    "MilestoneTemplate",
    "NoticeKind",
    "NotificationDefault",
    "NotificationPreference",
    "PlanningYear",
    "Reminder",
    "ReportFrequency",
    "ReportSend",
    "ReportSubscription",
    "Review",
    "SelfAssessment",
]
