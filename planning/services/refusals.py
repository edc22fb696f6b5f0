"""Notices of an address the mail server refused, to whoever can correct it.

A contact's address: the owner and deputy of its organisation. A staff user's
own address: every administrator (they correct users in admin). In the app
only (an email about an email that failed would help no one), once per
refusal record and person, by the reminders' unique key.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from ceop_crm.bounces import email_bounce_map
from ceop_crm.roles import STAFF_ROLES
from planning.models import Reminder
from planning.services.reminders.storage import (
    REMINDER_COLUMNS,
    _insert_ignoring_conflicts,
)

SUBJECT = "email-refused"


def _why(bounce) -> str:
    return f"{bounce.code} {bounce.reason}".strip() if bounce.code else bounce.reason


@transaction.atomic
def email_refusals_notify(*, addresses) -> list[int]:
    """Record the in-app notices of these refused addresses; the ids recorded."""
    from partners.selectors import contact_list_by_address

    bounces = email_bounce_map(addresses=addresses)
    if not bounces:
        return []
    now = timezone.now()
    rows: list[tuple] = []

    def add(recipient_id, bounce, title, body, url) -> None:
        rows.append(
            (
                recipient_id,
                Reminder.Step.OTHER,
                SUBJECT,
                bounce.pk,
                title[:300],
                body,
                url[:300],
                None,
                now,
                0,
                "",
                "app",
            )
        )

    for contact in contact_list_by_address(addresses=list(bounces)):
        bounce = bounces[contact.email_lower]
        org = contact.organisation
        url = reverse("partners:organisation_detail", args=[org.pk]) + "#contacts"
        for recipient_id in {org.owner_id, org.deputy_id} - {None}:
            add(
                recipient_id,
                bounce,
                f"Email refused: {contact.name} of {org.name}",
                f"The mail server refused {contact.email} ({_why(bounce)}). "
                "Correct the contact's address or ask for another.",
                url,
            )
    user_model = get_user_model()
    staff = list(
        user_model.objects.annotate(email_lower=Lower("email"))
        .filter(
            Q(is_superuser=True) | Q(groups__name__in=STAFF_ROLES),
            email_lower__in=list(bounces),
        )
        .distinct()
    )
    if staff:
        administrators = list(
            user_model.objects.filter(is_superuser=True, is_active=True).values_list(
                "pk", flat=True
            )
        )
        for user in staff:
            bounce = bounces[user.email_lower]
            name = user.get_full_name() or user.get_username()
            for admin_id in administrators:
                add(
                    admin_id,
                    bounce,
                    f"Email refused: staff user {name}",
                    f"The mail server refused {user.email}, the address of "
                    f"{name} ({_why(bounce)}). Correct it in the user's account.",
                    reverse("admin:auth_user_change", args=[user.pk]),
                )
    rows.sort(key=lambda r: (r[0], r[3]))
    return _insert_ignoring_conflicts(Reminder, REMINDER_COLUMNS, rows)
