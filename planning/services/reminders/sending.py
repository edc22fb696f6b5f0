"""Sending recorded reminders: after commit through the broker, with claims and backoff."""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import NoReverseMatch, reverse

from ceop_crm import mail
from planning.models import (
    Reminder,
)
from planning.services.reminders.texts import _uk

SEND_CHUNK = 500


def reminders_enqueue(reminder_ids: list[int], email_ids: list[int]) -> None:
    """Hand freshly recorded reminders to the sending tasks, in chunks."""
    from planning.tasks import send_reminders_task

    for start in range(0, len(reminder_ids), SEND_CHUNK):
        mail.task_enqueue(send_reminders_task, reminder_ids[start : start + SEND_CHUNK])
    for start in range(0, len(email_ids), SEND_CHUNK):
        mail.task_enqueue(
            mail.send_outbound_emails_task, email_ids[start : start + SEND_CHUNK]
        )


def reminder_link(reminder: Reminder) -> str:
    """The link in a reminder's email: staff go through the notice (marked read)."""
    if reminder.url.startswith("/portal/"):
        return mail.absolute_url(reminder.url)
    try:
        return mail.absolute_url(reverse("notification_open", args=[reminder.pk]))
    except NoReverseMatch:
        return mail.absolute_url(reminder.url or "/")


def reminder_message(
    reminder: Reminder, *, reply_to: str | None = None, staff: bool | None = None
) -> EmailMultiAlternatives | None:
    """The email of a reminder, or None when its recipient has no address.

    ``reply_to`` (the team's mailbox) and ``staff`` (whether the recipient is
    staff) are read once per batch by the caller.
    """
    recipient = reminder.recipient
    if not recipient.email or not recipient.is_active:
        return None
    from planning.services.preferences import (
        list_headers,
        notice_kind,
        preferences_url,
    )

    name = recipient.get_full_name() if hasattr(recipient, "get_full_name") else ""
    text, html = mail.email_render(
        template="reminder",
        context={
            "greeting": f"Dear {name}" if name else "",
            "title": reminder.title,
            "body": reminder.body,
            "due_on": _uk(reminder.due_on) if reminder.due_on else "",
            "link": reminder_link(reminder),
            "preferences_url": preferences_url(user=recipient, staff=staff),
        },
    )
    message = EmailMultiAlternatives(
        subject=reminder.title,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers=list_headers(
            user=recipient, kind=notice_kind(reminder.step), reply_to=reply_to
        ),
    )
    message.attach_alternative(html, "text/html")
    return message


def _build_reminders(ids: list[int]) -> dict[int, EmailMultiAlternatives | None]:
    from planning.email_selectors import email_reply_to
    from planning.services.preferences import staff_ids_among

    reminders = list(Reminder.objects.filter(pk__in=ids).select_related("recipient"))
    # Once per batch, not per email: the team's mailbox and who is staff.
    reply_to = email_reply_to()
    staff = staff_ids_among({r.recipient_id for r in reminders})
    return {
        r.pk: reminder_message(r, reply_to=reply_to, staff=r.recipient_id in staff)
        for r in reminders
    }


def reminders_send(
    *,
    ids: Iterable[int] | None = None,
    created_before: dt.datetime | None = None,
    limit: int | None = None,
) -> mail.SendResult:
    """Email unsent reminders (these ids, or all that are due), with claims and backoff.

    Only those whose recipient wanted them at once: the others wait for the
    digest or stay in the app.
    """
    queryset = Reminder.objects.filter(delivery="email")
    if created_before is not None:
        queryset = queryset.filter(created_at__lt=created_before)
    return mail.outbox_send(
        queryset=queryset, build=_build_reminders, ids=ids, limit=limit
    )
