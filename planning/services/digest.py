"""The daily digest: one email per person per day with the notices they chose
to receive that way, grouped by organisation.

It goes at DIGEST_TIME (08:00 Europe/London by default), on weekdays only for
staff (their weekend's notices wait for Monday's), and holds the notices
recorded before that moment and in no digest yet; nothing is sent when there
is nothing new. The row ``Digest(recipient, day)`` is inserted with ON
CONFLICT DO NOTHING before anything is written: the unique key, not a check,
decides which run sends a person's digest, so the task may run as often and as
concurrently as it likes.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ceop_crm import mail
from ceop_crm.models import OutboundEmail
from planning.digest_selectors import (
    digest_pending,
    digest_recipient_ids,
    reminder_organisations,
)
from planning.email_selectors import email_reply_to
from planning.models import Digest
from planning.services.preferences import (
    DIGEST,
    list_headers,
    preferences_url,
    staff_ids_among,
)
from planning.services.reminders.sending import reminder_link
from planning.services.reminders.storage import _insert_ignoring_conflicts
from planning.services.reminders.texts import _uk

PLANNING_CYCLE = "CEOP's planning cycle"


@dataclass
class DigestResult:
    day: dt.date
    digest_ids: list[int] = field(default_factory=list)
    email_ids: list[int] = field(default_factory=list)


def digest_time() -> dt.time:
    hours, minutes = str(getattr(settings, "DIGEST_TIME", "08:00")).split(":")
    return dt.time(int(hours), int(minutes))


def digest_moment(day: dt.date) -> dt.datetime:
    """The aware moment of a day's digest, in the project's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, digest_time()))


def digests_send(*, now: dt.datetime | None = None) -> DigestResult:
    """Send today's digests not sent yet; a no-op before today's digest time."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    result = DigestResult(day=day)
    moment = digest_moment(day)
    if now < moment:
        return result
    recipients = digest_recipient_ids(before=moment)
    if not recipients:
        return result
    weekend = day.weekday() >= 5
    skip = (
        staff_ids_among(set(recipients))
        if weekend and getattr(settings, "DIGEST_STAFF_WEEKDAYS_ONLY", True)
        else set()
    )
    reply_to = email_reply_to()  # once per run, not per digest
    for user_id in recipients:
        if user_id in skip:
            continue
        digest = digest_send_one(
            user_id=user_id, day=day, moment=moment, now=now, reply_to=reply_to
        )
        if digest is not None:
            result.digest_ids.append(digest.pk)
            if digest.email_id:
                result.email_ids.append(digest.email_id)
    return result


@transaction.atomic
def digest_send_one(
    *,
    user_id: int,
    day: dt.date,
    moment: dt.datetime,
    now: dt.datetime,
    reply_to: str | None = None,
) -> Digest | None:
    """One person's digest of the day, or None (sent already, or nothing waiting)."""
    inserted = _insert_ignoring_conflicts(
        Digest, ["recipient", "day", "created_at"], [(user_id, day, now)]
    )
    if not inserted:
        return None
    digest = Digest.objects.select_related("recipient").get(pk=inserted[0])
    reminders = list(
        digest_pending(before=moment)
        .filter(recipient_id=user_id)
        .select_related("recipient")
        .order_by("due_on", "pk")
    )
    if not reminders:
        digest.delete()
        return None
    type(reminders[0]).objects.filter(pk__in=[r.pk for r in reminders]).update(
        digest=digest
    )
    recipient = digest.recipient
    if recipient.email:
        digest.email = _digest_email(
            recipient=recipient, day=day, reminders=reminders, reply_to=reply_to
        )
        digest.save(update_fields=["email"])
        mail.outbound_email_enqueue_on_commit(email_ids=[digest.email.pk])
    return digest


def _digest_email(
    *, recipient, day: dt.date, reminders: list, reply_to: str | None
) -> OutboundEmail:
    organisations = reminder_organisations(reminders)
    groups: dict[tuple[str, int], dict] = {}
    for reminder in reminders:
        org_id, name = organisations.get(reminder.pk, (0, PLANNING_CYCLE))
        group = groups.setdefault(
            (name if org_id else "", org_id), {"name": name, "items": []}
        )
        group["items"].append(
            {
                "title": reminder.title,
                "due_on": _uk(reminder.due_on) if reminder.due_on else "",
                "link": reminder_link(reminder),
            }
        )
    # Organisations by name, the planning cycle's notices last.
    ordered = [groups[key] for key in sorted(groups, key=lambda k: (k[0] == "", k))]
    count = len(reminders)
    subject = (
        f"Your CEOP Partner digest for {_uk(day)}: "
        f"{count} notice{'s' if count != 1 else ''}"
    )
    name = recipient.get_full_name()
    text, html = mail.email_render(
        template="digest",
        context={
            "greeting": f"Dear {name}" if name else "",
            "day": _uk(day),
            "count": count,
            "groups": ordered,
            "preferences_url": preferences_url(user=recipient),
        },
    )
    email = OutboundEmail(
        to=[recipient.email],
        subject=subject[:300],
        body_text=text,
        body_html=html,
        template="digest",
        key=f"digest:{recipient.pk}:{day.isoformat()}",
        headers=list_headers(user=recipient, kind=DIGEST, reply_to=reply_to),
    )
    email.full_clean()
    email.save()
    return email
