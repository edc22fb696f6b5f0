"""Celery tasks of the planning cycle: the hourly reminder sweep and sending.

Tasks take ids, may run twice with no harm (the database's unique keys and the
senders' claims decide), and leave rules to the services.
"""

import logging

from celery import shared_task
from django.utils import timezone

from ceop_crm import mail

# The outbox task lives with the mail module; importing it here registers it
# with the worker, which autodiscovers each app's tasks module.
from ceop_crm.mail import send_outbound_emails_task
from ceop_crm.ops.services import task_run_record
from planning.services import reminders_send, reminders_sweep

__all__ = [
    "digests_send_task",
    "reminders_sweep_task",
    "scheduled_reports_send_task",
    "send_outbound_emails_task",
    "send_reminders_task",
]

logger = logging.getLogger(__name__)


@shared_task(
    name="planning.reminders_sweep",
    acks_late=True,
    soft_time_limit=25 * 60,
    time_limit=30 * 60,
)
def reminders_sweep_task() -> dict[str, int]:
    """Record what is due and send it; then send anything an earlier run left unsent."""
    started = timezone.now()
    result = reminders_sweep(now=started)
    # Catch-up for rows recorded before this run: a broker outage, a lost
    # message, a worker that died, or a mail server failure whose backoff has
    # passed. Fresh rows go to the sending tasks enqueued on commit.
    reminders_caught_up = reminders_send(created_before=started)
    emails_caught_up = mail.outbound_email_send(created_before=started)
    summary = {
        "due": result.due,
        "recorded": result.recorded,
        "caught_up": reminders_caught_up.sent + emails_caught_up.sent,
        "failed": reminders_caught_up.failed + emails_caught_up.failed,
    }
    logger.info("Reminder sweep for %s: %s", result.today, summary)
    # What readiness and the metrics read: the beat and a worker are at work.
    task_run_record(
        name="planning.reminders_sweep",
        started_at=started,
        finished_at=timezone.now(),
        summary=summary,
    )
    return summary


@shared_task(
    bind=True, name="planning.send_reminders", acks_late=True, max_retries=None
)
def send_reminders_task(self, reminder_ids: list[int]) -> int:
    """Email these reminders; retried with backoff while the mail server fails."""
    result = reminders_send(ids=reminder_ids)
    if result.retry_in is not None and self.request.retries < mail.mail_max_attempts():
        raise self.retry(
            args=[result.failed_ids], countdown=result.retry_in.total_seconds() + 5
        )
    return result.sent


@shared_task(name="planning.digests_send", acks_late=True, time_limit=30 * 60)
def digests_send_task() -> int:
    """Send today's digests not sent yet (from DIGEST_TIME on); safe to repeat."""
    from planning.services.digest import digests_send

    result = digests_send()
    logger.info("Digests of %s: %d sent", result.day, len(result.digest_ids))
    return len(result.digest_ids)


@shared_task(name="planning.scheduled_reports_send", acks_late=True, time_limit=30 * 60)
def scheduled_reports_send_task() -> int:
    """Send each scheduled report of the period just ended, once."""
    from planning.services.scheduled_reports import scheduled_reports_send

    return len(scheduled_reports_send().send_ids)
