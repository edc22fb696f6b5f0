"""Celery tasks of the planning cycle: the hourly reminder sweep and sending."""

# The outbox task lives with the mail module; importing it here registers it
# with the worker, which autodiscovers each app's tasks module.
from ceop_crm.mail import send_outbound_emails_task

__all__ = ["send_outbound_emails_task"]
