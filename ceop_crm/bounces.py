"""Addresses the mail server refused: recorded by the sender, shown to owners.

When every recipient of a message is refused at RCPT (smtplib raises
SMTPRecipientsRefused with each address's code and reply), each address is
recorded once (its count and last time updated). A 5xx refusal is permanent:
the email is not retried. The organisation page shows its owner which of the
organisation's contacts and portal users have an address that was refused.
"""

import contextlib

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone

from ceop_crm.models import EmailBounce


@transaction.atomic
def email_bounces_record(refused: dict) -> bool:
    """Record {address: (code, reply)}; True when any refusal is permanent (5xx)."""
    now = timezone.now()
    permanent = False
    for address, answer in sorted(refused.items()):
        code, reply = (answer if isinstance(answer, tuple) else (None, answer))[:2]
        reason = (
            reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
        )
        is_permanent = code is None or int(code) >= 500
        permanent = permanent or is_permanent
        key = address.strip().lower()[:254]
        updated = EmailBounce.objects.filter(address=key).update(
            code=code,
            reason=reason[:500],
            permanent=is_permanent,
            last_at=now,
            count=F("count") + 1,
        )
        if not updated:
            # Another sender may record the same address at the same moment.
            with contextlib.suppress(IntegrityError), transaction.atomic():
                EmailBounce.objects.create(
                    address=key,
                    code=code,
                    reason=reason[:500],
                    permanent=is_permanent,
                    first_at=now,
                    last_at=now,
                )
    return permanent


def email_bounce_map(*, addresses) -> dict[str, EmailBounce]:
    """The refusals recorded for these addresses, by lower-case address; one query."""
    wanted = {a.strip().lower() for a in addresses if a}
    if not wanted:
        return {}
    return {
        bounce.address: bounce
        for bounce in EmailBounce.objects.annotate(lower=Lower("address")).filter(
            lower__in=list(wanted)
        )
    }


@transaction.atomic
def email_bounce_clear(*, address: str) -> int:
    """Forget a refusal (the address was corrected or the mailbox fixed)."""
    return EmailBounce.objects.filter(address=address.strip().lower()).delete()[0]
