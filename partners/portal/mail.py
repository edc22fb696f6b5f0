"""The portal's outgoing mail goes through the project's email queue.

Until ceop_crm.mail (database rows sent by the worker) is present, mail is
sent after the transaction commits, so a failed write never sends a message.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string


def queue_email(*, to: list[str], subject: str, template: str, context: dict) -> None:
    try:
        from ceop_crm.mail import email_queue
    except ImportError:
        email_queue = None
    if email_queue is not None:
        email_queue(to=to, subject=subject, template=template, context=context)
        return
    text = render_to_string(f"email/{template}.txt", context)
    html = render_to_string(f"email/{template}.html", context)

    def send() -> None:
        message = EmailMultiAlternatives(
            subject, text, settings.DEFAULT_FROM_EMAIL, list(to)
        )
        message.attach_alternative(html, "text/html")
        message.send()

    transaction.on_commit(send)
