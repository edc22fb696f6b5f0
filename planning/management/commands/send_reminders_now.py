"""Run the reminder sweep now, in this process, instead of waiting for beat."""

from typing import Any

from django.core.management.base import BaseCommand

from ceop_crm import mail
from planning.services import reminders_send
from planning.tasks import reminders_sweep_task


class Command(BaseCommand):
    help = (
        "Record every reminder that is due and email it (and anything else "
        "waiting in the outbox) now, without waiting for the hourly sweep or a "
        "worker."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = reminders_sweep_task()
        # What the sweep just recorded is sent here too: a worker may not be
        # running. The senders' claims keep a running worker from sending twice.
        reminders = reminders_send()
        emails = mail.outbound_email_send()
        sent = summary["caught_up"] + reminders.sent + emails.sent
        failed = summary["failed"] + reminders.failed + emails.failed
        self.stdout.write(
            f"Reminder sweep: {summary['due']} due, {summary['recorded']} newly "
            f"recorded; {sent} emails sent, {failed} failed (retried later)."
        )
