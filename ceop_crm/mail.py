"""The project's outgoing mail: rows in the database that the worker sends.

A web request never talks to the mail server or waits on the broker (DESIGN
rule 10). ``email_queue`` writes an ``OutboundEmail`` row and, once the
transaction commits, tries to hand its id to a Celery task; if the broker is
down the row simply waits for the hourly sweep, which sends anything unsent.

Sending claims rows before it talks to the mail server (``next_attempt_at``
moves into the future), so two workers never send the same row, a worker that
dies mid-send releases its claim when it expires, and a failure leaves the row
unsent with its error and a retry time that backs off exponentially.

Reminders (planning.Reminder) go out through the same engine: ``outbox_send``
takes any model with ``sent_at``, ``attempts``, ``last_error`` and
``next_attempt_at`` and a function that turns one row into a message.
"""

import base64
import contextlib
import datetime as dt
import logging
import smtplib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from ceop_crm.bounces import email_bounces_record
from ceop_crm.exceptions import ApplicationError
from ceop_crm.models import OutboundEmail

logger = logging.getLogger(__name__)

# How long a sender may hold a claimed row before another may take it.
CLAIM_SECONDS = 10 * 60
BATCH_SIZE = 200


def mail_max_attempts() -> int:
    return getattr(settings, "MAIL_MAX_ATTEMPTS", 8)


def mail_backoff(attempts: int) -> dt.timedelta:
    """Wait before the next try after ``attempts`` failures: 1, 2, 4 ... minutes, capped."""
    base = getattr(settings, "MAIL_RETRY_BASE_SECONDS", 60)
    cap = getattr(settings, "MAIL_RETRY_MAX_SECONDS", 6 * 3600)
    return dt.timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def absolute_url(path: str) -> str:
    """A link for an email: SITE_URL joined with a path of the site."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def email_render(*, template: str, context: dict) -> tuple[str, str]:
    """The plain text and HTML bodies of templates/email/<template>.txt and .html."""
    context = {"site_url": settings.SITE_URL.rstrip("/"), **context}
    text = render_to_string(f"email/{template}.txt", context)
    html = render_to_string(f"email/{template}.html", context)
    return text, html


def _clean_addresses(to: Iterable[str]) -> list[str]:
    addresses = [a.strip() for a in to if a and a.strip()]
    if not addresses:
        raise ApplicationError({"to": ["An email needs at least one address."]})
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            raise ApplicationError(
                {"to": [f"“{address}” is not an email address."]}
            ) from None
    return addresses


@transaction.atomic
def email_queue(
    *,
    to: list[str],
    subject: str,
    template: str,
    context: dict,
    key: str | None = None,
    secrets: list[str] | None = None,
    headers: dict[str, str] | None = None,
) -> OutboundEmail:
    """Render an email now, store it, and send it after the transaction commits.

    ``key`` (optional) makes the email unique: queueing the same key again
    returns the row already stored instead of a second email. ``secrets`` are
    strings of the body (the token of a password-reset or invitation link) that
    no one may read from the database once the email is sent: they are
    replaced in the stored copy right after sending. ``headers``: extra
    headers (Reply-To, List-Unsubscribe).
    """
    addresses = _clean_addresses(to)
    if key is not None:
        existing = OutboundEmail.objects.filter(key=key).first()
        if existing is not None:
            return existing
    text, html = email_render(template=template, context=context)
    email = OutboundEmail(
        to=addresses,
        subject=subject.strip()[:300],
        body_text=text,
        body_html=html,
        template=template,
        key=key,
        secrets=[secret for secret in secrets or [] if secret],
        headers=dict(headers or {}),
    )
    email.full_clean()
    email.save()
    outbound_email_enqueue_on_commit(email_ids=[email.pk])
    return email


def outbound_email_enqueue_on_commit(*, email_ids: list[int]) -> None:
    """After the commit, hand the rows to the worker; a broker outage is logged, not raised."""
    if not email_ids:
        return
    ids = list(email_ids)
    transaction.on_commit(lambda: task_enqueue(send_outbound_emails_task, ids))


# After a failed publish, this process skips the broker for a while, so in an
# outage only one request pays the connection timeout.
BROKER_PAUSE_SECONDS = 30
_broker_paused_until = 0.0


def task_enqueue(task, *args) -> bool:
    """Publish a task without letting a broker outage reach the caller.

    Broker connection timeouts are short (CELERY_BROKER_CONNECTION_TIMEOUT) and
    publishing is not retried; the hourly sweep picks up whatever was not sent.
    """
    global _broker_paused_until
    if time.monotonic() < _broker_paused_until:
        return False
    try:
        task.apply_async(args=args, retry=False)
    except Exception:  # any broker error: the row is safe in the database
        _broker_paused_until = time.monotonic() + BROKER_PAUSE_SECONDS
        logger.warning(
            "Could not publish %s; the hourly sweep will send it.",
            task.name,
            exc_info=True,
        )
        return False
    return True


@dataclass
class SendResult:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    failed_ids: list[int] = field(default_factory=list)
    retry_in: dt.timedelta | None = None

    def add(self, other: "SendResult") -> None:
        self.sent += other.sent
        self.failed += other.failed
        self.skipped += other.skipped
        self.failed_ids += other.failed_ids
        if other.retry_in is not None:
            self.retry_in = min(filter(None, [self.retry_in, other.retry_in]))


def _pending(queryset: models.QuerySet, now: dt.datetime) -> models.QuerySet:
    return queryset.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        sent_at__isnull=True,
        attempts__lt=mail_max_attempts(),
    )


def _claim(
    queryset: models.QuerySet,
    *,
    ids: list[int] | None,
    now: dt.datetime,
    limit: int,
    after: int = 0,
) -> list[int]:
    """Claim up to ``limit`` unsent rows past the id ``after``: two queries,
    safe against a concurrent sender."""
    with transaction.atomic():
        pending = _pending(queryset, now).filter(pk__gt=after)
        if ids is not None:
            pending = pending.filter(pk__in=ids)
        claimed = list(
            pending.order_by("pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        if claimed:
            queryset.model.objects.filter(pk__in=claimed).update(
                next_attempt_at=now + dt.timedelta(seconds=CLAIM_SECONDS)
            )
    return claimed


def outbox_send(
    *,
    queryset: models.QuerySet,
    build: Callable[[list[int]], dict[int, EmailMultiAlternatives | None]],
    ids: Iterable[int] | None = None,
    limit: int | None = None,
) -> SendResult:
    """Send the unsent rows of ``queryset`` (only ``ids`` when given), in batches.

    ``build`` turns a batch of claimed ids into messages (None: nothing to send,
    e.g. a user without an address). Each batch costs a fixed number of queries.

    One run is one pass in id order: each claim starts past the last id the run
    claimed, so it reads the next rows from the primary key's index rather than
    the rows just sent again (a backlog of n rows costs n, not n²/batch, even
    before the sent rows' old versions are cleaned away). A row left unsent
    (a failure, backing off) is for a later run.
    """
    result = SendResult()
    wanted = list(ids) if ids is not None else None
    remaining = limit
    after = 0  # the last id claimed in this run
    connection = get_connection()
    while remaining is None or remaining > 0:
        now = timezone.now()
        size = BATCH_SIZE if remaining is None else min(BATCH_SIZE, remaining)
        claimed = _claim(queryset, ids=wanted, now=now, limit=size, after=after)
        if not claimed:
            break
        after = claimed[-1]
        if remaining is not None:
            remaining -= len(claimed)
        if wanted is not None:
            taken = set(claimed)
            wanted = [pk for pk in wanted if pk not in taken]
        result.add(_send_batch(queryset.model, claimed, build, connection))
    return result


def _send_batch(model, claimed: list[int], build, connection) -> SendResult:
    result = SendResult()
    try:
        messages = build(claimed)
    except Exception as exc:  # a template error must not lose the rows
        logger.exception("Could not build emails %s", claimed)
        messages = {}
        errors = dict.fromkeys(claimed, f"{type(exc).__name__}: {exc}")
    else:
        errors = {}
    sent: list[int] = []
    skipped: list[int] = []
    permanent: list[int] = []
    for pk in claimed:
        if pk in errors:
            continue
        message = messages.get(pk)
        if message is None:
            skipped.append(pk)
            continue
        message.connection = connection
        try:
            message.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            # Every address refused: recorded against the addresses; a
            # permanent refusal (5xx) is not retried.
            if email_bounces_record(exc.recipients):
                permanent.append(pk)
            errors[pk] = f"{type(exc).__name__}: {exc}"
            _refusals_notify(list(exc.recipients))
        except Exception as exc:  # SMTP or backend failure: retried with backoff
            errors[pk] = f"{type(exc).__name__}: {exc}"
        else:
            sent.append(pk)
    # Closing a connection the server already dropped may fail too.
    with contextlib.suppress(Exception):
        connection.close()
    now = timezone.now()
    if sent:
        model.objects.filter(pk__in=sent).update(
            sent_at=now, attempts=F("attempts") + 1, last_error="", next_attempt_at=None
        )
        if model is OutboundEmail:
            outbound_email_redact(ids=sent)
    if skipped:
        model.objects.filter(pk__in=skipped).update(
            attempts=mail_max_attempts(),
            last_error="No email address to send to.",
            next_attempt_at=None,
        )
    if errors:
        rows = list(model.objects.filter(pk__in=list(errors)).only("pk", "attempts"))
        for row in rows:
            row.attempts = (
                mail_max_attempts() if row.pk in permanent else row.attempts + 1
            )
            row.last_error = errors[row.pk][:2000]
            row.next_attempt_at = now + mail_backoff(row.attempts)
        model.objects.bulk_update(
            rows, ["attempts", "last_error", "next_attempt_at"], batch_size=500
        )
        logger.warning("%d emails failed; they will be retried.", len(rows))
        retryable = [r for r in rows if r.attempts < mail_max_attempts()]
        if retryable:
            result.retry_in = min(r.next_attempt_at for r in retryable) - now
    result.sent = len(sent)
    result.skipped = len(skipped)
    result.failed = len(errors)
    result.failed_ids = list(errors)
    return result


def _refusals_notify(addresses: list[str]) -> None:
    """Tell whoever can correct a refused address (planning/services/refusals.py)."""
    from planning.services.refusals import email_refusals_notify

    try:
        email_refusals_notify(addresses=addresses)
    except Exception:  # a notice that fails must not stop the batch's sending
        logger.exception("Could not record the notices of refused %s", addresses)


def outbound_email_message(email: OutboundEmail) -> EmailMultiAlternatives:
    """The message of a row, rendered now when it was stored as template and context."""
    text, html = email.body_text, email.body_html
    if not text and email.template:
        text, html = email_render(template=email.template, context=email.context)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=email.to,
        headers=dict(email.headers or {}),
    )
    if html:
        message.attach_alternative(html, "text/html")
    for attachment in email.attachments or []:
        message.attach(
            attachment["name"],
            base64.b64decode(attachment["base64"]),
            attachment["mimetype"],
        )
    return message


REDACTED = "[removed once sent]"


def outbound_email_redact(*, ids: list[int]) -> int:
    """Remove the secrets (single-use tokens) from the stored copy of sent emails."""
    rows = list(
        OutboundEmail.objects.filter(pk__in=ids, sent_at__isnull=False).exclude(
            secrets=[]
        )
    )
    for row in rows:
        for secret in row.secrets:
            row.body_text = row.body_text.replace(secret, REDACTED)
            row.body_html = row.body_html.replace(secret, REDACTED)
        row.secrets = []
    OutboundEmail.objects.bulk_update(rows, ["body_text", "body_html", "secrets"])
    return len(rows)


def _build_outbound(ids: list[int]) -> dict[int, EmailMultiAlternatives | None]:
    return {
        email.pk: outbound_email_message(email) if email.to else None
        for email in OutboundEmail.objects.filter(pk__in=ids)
    }


def outbound_email_send(
    *,
    ids: Iterable[int] | None = None,
    created_before: dt.datetime | None = None,
    limit: int | None = None,
) -> SendResult:
    """Send unsent outbound emails (these ids, or every one that is due)."""
    queryset = OutboundEmail.objects.all()
    if created_before is not None:
        queryset = queryset.filter(created_at__lt=created_before)
    return outbox_send(
        queryset=queryset,
        build=_build_outbound,
        ids=ids,
        limit=limit,
    )


@shared_task(
    bind=True,
    name="ceop_crm.send_outbound_emails",
    acks_late=True,
    max_retries=None,
)
def send_outbound_emails_task(self, email_ids: list[int]) -> int:
    """Send these outbound emails; retried with backoff while the mail server fails."""
    result = outbound_email_send(ids=email_ids)
    if result.retry_in is not None and self.request.retries < mail_max_attempts():
        raise self.retry(
            args=[result.failed_ids],
            countdown=result.retry_in.total_seconds() + 5,
        )
    return result.sent
