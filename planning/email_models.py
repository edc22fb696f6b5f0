"""What reaches people by email: preferences, daily digests, scheduled reports.

Imported at the end of planning/models.py so Django registers them with the
app. The unique keys do what the reminders' key does for reminders: a digest
goes to a person once a day, and a scheduled report once a period, however
often or concurrently the worker's task runs.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords


class NoticeKind(models.TextChoices):
    REVIEWS = "reviews", "Reviews"
    MOUS = "mous", "MoUs"
    DUE_DILIGENCE = "due_diligence", "Due diligence"
    MILESTONES = "milestones", "Milestones of the planning cycle"
    ISSUES = "issues", "Relationship issues"
    ESCALATIONS = "escalations", "Escalations"
    APPROVALS = "approvals", "Approvals waiting"


class Delivery(models.TextChoices):
    EMAIL = "email", "By email at once"
    DIGEST = "digest", "In the daily digest"
    APP = "app", "In the app only"


# Escalations, and anything a senior manager must decide, cannot be switched
# off entirely: by email at once or in the digest, never in the app alone.
LOCKED_KINDS = (NoticeKind.ESCALATIONS, NoticeKind.APPROVALS)


class PreferenceAudience(models.TextChoices):
    STAFF = "staff", "CEOP staff"
    PARTNER = "partner", "Partner users"


class NotificationDefault(models.Model):
    """The delivery a person gets for a kind until they choose (seeded by a migration)."""

    kind = models.CharField(max_length=16, choices=NoticeKind.choices)
    audience = models.CharField(max_length=8, choices=PreferenceAudience.choices)
    delivery = models.CharField(max_length=8, choices=Delivery.choices)

    class Meta:
        ordering = ["audience", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "audience"], name="one_default_per_kind_audience"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=LOCKED_KINDS, delivery="app"),
                name="default_locked_kind_not_app_only",
                violation_error_message="Escalations and approvals cannot be "
                "in the app only.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.get_audience_display()}"


class NotificationPreference(models.Model):
    """One person's choice of delivery for one kind of notice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(max_length=16, choices=NoticeKind.choices)
    delivery = models.CharField(max_length=8, choices=Delivery.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="one_preference_per_user_kind"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=LOCKED_KINDS, delivery="app"),
                name="preference_locked_kind_not_app_only",
                violation_error_message="Escalations and approvals cannot be "
                "in the app only.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} {self.get_delivery_display()}"


class Digest(models.Model):
    """One person's daily digest: unique per (recipient, day)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    day = models.DateField()
    created_at = models.DateTimeField()
    email = models.OneToOneField(
        "ceop_crm.OutboundEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-day", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "day"], name="digest_once_per_recipient_day"
            )
        ]

    def __str__(self) -> str:
        return f"Digest of {self.day:%d/%m/%Y} for {self.recipient}"


class ReportFrequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly (the planning year's quarters)"


class ReportSubscription(models.Model):
    """A report sent on a schedule to one staff member or to a staff group."""

    report = models.CharField(max_length=40)
    frequency = models.CharField(max_length=10, choices=ReportFrequency.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_subscriptions",
    )
    group = models.ForeignKey(
        "auth.Group",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_subscriptions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=True, group__isnull=False)
                | Q(user__isnull=False, group__isnull=True),
                name="report_subscription_one_subscriber",
                violation_error_message="Send it to one person or one group.",
            ),
            models.UniqueConstraint(
                fields=["report", "frequency", "user"],
                condition=Q(user__isnull=False),
                name="one_report_subscription_per_user",
                violation_error_message="This person already receives this report "
                "at this frequency.",
            ),
            models.UniqueConstraint(
                fields=["report", "frequency", "group"],
                condition=Q(group__isnull=False),
                name="one_report_subscription_per_group",
                violation_error_message="This group already receives this report "
                "at this frequency.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} ({self.frequency}) to {self.user or self.group}"


class ReportSend(models.Model):
    """One period's send of a subscription: unique per (subscription, period)."""

    subscription = models.ForeignKey(
        ReportSubscription, on_delete=models.CASCADE, related_name="sends"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    created_at = models.DateTimeField()
    figures = models.JSONField(default=dict, blank=True)
    email = models.OneToOneField(
        "ceop_crm.OutboundEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-period_start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "period_start"],
                name="report_send_once_per_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscription} for {self.period_start:%d/%m/%Y}"


class EmailSettings(models.Model):
    """The team's mailbox that replies reach: one row, set in the workspace or admin.

    Empty, the ``MAIL_REPLY_TO`` setting stays the Reply-To; its history keeps
    who changed it and when.
    """

    SINGLE_ROW = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLE_ROW)
    reply_to_address = models.EmailField(
        "reply-to address",
        blank=True,
        help_text="The team's mailbox that replies to reminders, digests and "
        "scheduled reports reach. Empty: the MAIL_REPLY_TO setting.",
    )
    reply_to_name = models.CharField(
        "reply-to display name",
        max_length=100,
        blank=True,
        help_text="Shown beside the address, e.g. CEOP Partnerships team.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "email settings"
        verbose_name_plural = "email settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(id=1),
                name="email_settings_single_row",
                violation_error_message="There is one row of email settings.",
            )
        ]

    def __str__(self) -> str:
        return "Email settings"

    def clean(self) -> None:
        if self.reply_to_name and not self.reply_to_address:
            raise ValidationError(
                {"reply_to_name": "Give the address that this name belongs to."}
            )


class AddressOptOut(models.Model):
    """An address without an account that no longer wants one optional kind of
    notice (chosen through the signed link of its emails)."""

    address = models.CharField(max_length=254)
    kind = models.CharField(max_length=16, choices=NoticeKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["address", "kind"]
        verbose_name = "address opt-out"
        constraints = [
            models.UniqueConstraint(
                fields=["address", "kind"], name="one_opt_out_per_address_kind"
            ),
            models.CheckConstraint(
                condition=Q(address=Lower("address")),
                name="address_opt_out_lowercase",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=LOCKED_KINDS),
                name="address_opt_out_not_locked_kind",
                violation_error_message="Escalations and approvals cannot be "
                "switched off.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.address}: no {self.get_kind_display()}"
