from django.db import models
from django.db.models.functions import Lower


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class OutboundEmail(models.Model):
    """One email waiting to go out, or gone: the outbox the worker empties.

    A web request only writes this row; the worker sends it (DESIGN rule 10).
    A row with empty bodies is rendered at sending from ``template`` and
    ``context``, so the reminder sweep can record thousands cheaply. ``key``
    makes an email to an address without a user account go out once.
    """

    to = models.JSONField(default=list)
    subject = models.CharField(max_length=300)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    template = models.CharField(max_length=100, blank=True)
    context = models.JSONField(default=dict, blank=True)
    key = models.CharField(max_length=255, unique=True, null=True, blank=True)
    # The database default lets the reminder sweep's raw INSERT leave it out.
    secrets = models.JSONField(
        default=list,
        db_default=models.Value([], output_field=models.JSONField()),
        blank=True,
        help_text="Single-use tokens in the body (a reset or invitation link), "
        "removed from the stored copy once the email is sent.",
    )
    # Extra headers (Reply-To, List-Unsubscribe) and files ({"name",
    # "mimetype", "base64"}); database defaults for the sweep's raw INSERT.
    headers = models.JSONField(
        default=dict,
        db_default=models.Value({}, output_field=models.JSONField()),
        blank=True,
    )
    attachments = models.JSONField(
        default=list,
        db_default=models.Value([], output_field=models.JSONField()),
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Not before this time: a claim by a sender, or a retry's backoff.",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "outbound email"
        indexes = [
            # The senders' claims (ceop_crm/mail.py): the unsent rows in id
            # order, from the claim's keyset bound on, never the sent ones.
            models.Index(
                fields=["id"],
                name="outboundemail_unsent_id",
                condition=models.Q(sent_at=None),
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} to {', '.join(self.to)}"


class TaskRun(models.Model):
    """One finished run of a periodic task (the reminder sweep): what the
    readiness check and the metrics read to tell that the beat and the worker
    are doing their work."""

    name = models.CharField(max_length=80)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-finished_at", "-pk"]
        indexes = [models.Index(fields=["name", "-finished_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(finished_at__gte=models.F("started_at")),
                name="taskrun_finishes_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} at {self.finished_at:%Y-%m-%d %H:%M}"

    @property
    def duration_seconds(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()


class EmailBounce(models.Model):
    """An address the mail server refused (SMTP 5xx or 4xx at RCPT): shown to owners."""

    address = models.CharField(max_length=254, unique=True)
    code = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    permanent = models.BooleanField(default=True)
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()
    count = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-last_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(address=Lower("address")),
                name="email_bounce_address_lowercase",
            )
        ]

    def __str__(self) -> str:
        return f"{self.address} refused ({self.code})"
