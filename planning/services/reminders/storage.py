"""Recording what is due: one row per recipient, inserted ignoring conflicts."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, connections, models, transaction
from django.db.models import Q
from django.utils import timezone

from ceop_crm import mail
from ceop_crm.models import OutboundEmail
from planning.email_selectors import address_opt_outs, email_reply_to
from planning.models import (
    Reminder,
)
from planning.services.address_preferences import (
    address_headers,
    address_preferences_url,
)
from planning.services.preferences import delivery_rows, notice_kind
from planning.services.reminders.base import INSERT_BATCH, Notice, _in
from planning.services.reminders.due import reminders_due
from planning.services.reminders.sending import reminders_enqueue
from planning.services.reminders.texts import _uk


@dataclass
class SweepResult:
    today: dt.date
    due: int = 0
    reminder_ids: list[int] = field(default_factory=list)
    email_ids: list[int] = field(default_factory=list)

    @property
    def recorded(self) -> int:
        return len(self.reminder_ids) + len(self.email_ids)


def _insert_ignoring_conflicts(
    model, columns: list[str], rows: list[tuple]
) -> list[int]:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING id: the ids this call inserted.

    On PostgreSQL one statement of column arrays (unnest), whatever the number
    of rows; elsewhere multi-row VALUES in batches.
    """
    if not rows:
        return []
    meta = model._meta
    fields = [meta.get_field(name) for name in columns]
    qn = connection.ops.quote_name
    column_sql = ", ".join(qn(f.column) for f in fields)
    if connection.vendor == "postgresql":
        # psycopg2 adapts ints, text, dates and aware datetimes itself; only
        # JSON needs Django's preparation (the per-value call costs seconds).
        db = connections[model.objects.db]
        arrays = [
            [f.get_db_prep_save(row[i], db) for row in rows]
            if isinstance(f, models.JSONField)
            else [row[i] for row in rows]
            for i, f in enumerate(fields)
        ]
        casts = ", ".join(
            f"%s::{f.db_type(connection).split('(')[0]}[]" for f in fields
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {qn(meta.db_table)} ({column_sql}) "  # noqa: S608 - names from the model
                f"SELECT * FROM unnest({casts}) "
                f"ON CONFLICT DO NOTHING RETURNING {qn(meta.pk.column)}",
                arrays,
            )
            return [r[0] for r in cursor.fetchall()]
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    inserted: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_BATCH):
            batch = rows[start : start + INSERT_BATCH]
            params = [
                f.get_db_prep_save(value, connection)
                for row in batch
                for f, value in zip(fields, row, strict=True)
            ]
            cursor.execute(
                f"INSERT INTO {qn(meta.db_table)} ({column_sql}) "  # noqa: S608 - names from the model
                f"VALUES {', '.join([row_sql] * len(batch))} "
                f"ON CONFLICT DO NOTHING RETURNING {qn(meta.pk.column)}",
                params,
            )
            inserted.extend(r[0] for r in cursor.fetchall())
    return inserted


REMINDER_COLUMNS = [
    "recipient",
    "step",
    "subject_type",
    "subject_id",
    "title",
    "body",
    "url",
    "due_on",
    "created_at",
    "attempts",
    "last_error",
    "delivery",
]

EMAIL_COLUMNS = [
    "to",
    "subject",
    "body_text",
    "body_html",
    "template",
    "context",
    "key",
    "created_at",
    "attempts",
    "last_error",
    "headers",
]


def _existing_keys(notices: list[Notice]) -> set[tuple]:
    """Keys already recorded for these subjects: lets a no-op sweep insert nothing.

    Only an optimisation: the insert itself still ignores conflicts.
    """
    by_type: dict[str, set[int]] = defaultdict(set)
    for notice in notices:
        by_type[notice.subject_type].add(notice.subject_id)
    if not by_type:
        return set()
    condition = Q()
    for subject_type, ids in by_type.items():
        condition |= Q(subject_type=subject_type, subject_id__in=_in(ids))
    return set(
        Reminder.objects.filter(condition).values_list(
            "recipient_id", "subject_type", "subject_id", "step"
        )
    )


def _email_key(address: str, notice: Notice) -> str:
    return (
        f"reminder:{notice.subject_type}:{notice.subject_id}:{notice.step}:"
        f"{address.lower()}"
    )[:255]


@transaction.atomic
def reminders_sweep(*, now: dt.datetime | None = None) -> SweepResult:
    """Record every reminder due now that is not recorded yet; send them after commit.

    Safe to run at any time and concurrently: the unique keys decide.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    notices = reminders_due(today=today)
    result = SweepResult(today=today)
    existing = _existing_keys(notices)
    reminder_rows: list[tuple] = []
    email_rows: list[tuple] = []
    addressed: list[tuple[str, str, str, Notice]] = []
    for notice in notices:
        for user_id, path in [(u, notice.staff_path) for u in notice.users] + [
            (u, notice.partner_path)
            for u in notice.partner_users
            if u not in notice.users
        ]:
            result.due += 1
            if (
                user_id,
                notice.subject_type,
                notice.subject_id,
                notice.step,
            ) in existing:
                continue
            reminder_rows.append(
                (
                    user_id,
                    notice.step,
                    notice.subject_type,
                    notice.subject_id,
                    notice.title[:300],
                    notice.body,
                    path[:300],
                    notice.due_on,
                    now,
                    0,
                    "",
                    notice_kind(notice.step),
                )
            )
        for address, name in notice.addresses.items():
            result.due += 1
            addressed.append((_email_key(address, notice), address, name, notice))
    if addressed:
        already = set(
            OutboundEmail.objects.filter(
                key__in=_in([key for key, *_ in addressed], "text")
            ).values_list("key", flat=True)
        )
        fresh = [row for row in addressed if row[0] not in already]
        # What an address switched off is not recorded at all (and not due).
        switched_off = (
            address_opt_outs(addresses=[a for _, a, _, _ in fresh]) if fresh else set()
        )
        wanted = [
            row
            for row in fresh
            if (row[1].lower(), notice_kind(row[3].step)) not in switched_off
        ]
        result.due -= len(fresh) - len(wanted)
        reply_to = email_reply_to() if wanted else ""  # once per sweep
        email_rows = [
            (
                [address],
                notice.title[:300],
                "",
                "",
                "reminder",
                {
                    "greeting": f"Dear {name}" if name else "",
                    "title": notice.title,
                    "body": notice.body,
                    "due_on": _uk(notice.due_on) if notice.due_on else "",
                    "link": mail.absolute_url(notice.partner_path),
                    "preferences_url": address_preferences_url(address=address),
                },
                key,
                now,
                0,
                "",
                address_headers(
                    address=address,
                    kind=notice_kind(notice.step),
                    reply_to=reply_to,
                ),
            )
            for key, address, name, notice in wanted
        ]
    reminder_rows = delivery_rows(reminder_rows)
    # Stable order keeps concurrent sweeps from deadlocking on the unique index.
    reminder_rows.sort(key=lambda r: (r[0], r[2], r[3], r[1]))
    email_rows.sort(key=lambda r: r[6])
    result.reminder_ids = _insert_ignoring_conflicts(
        Reminder, REMINDER_COLUMNS, reminder_rows
    )
    result.email_ids = _insert_ignoring_conflicts(
        OutboundEmail, EMAIL_COLUMNS, email_rows
    )
    reminder_ids, email_ids = list(result.reminder_ids), list(result.email_ids)
    transaction.on_commit(lambda: reminders_enqueue(reminder_ids, email_ids))
    return result
