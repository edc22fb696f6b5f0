"""Reminders of the planning cycle: the sweep, sending, read/unread, calendar tokens.

The sweep computes from the database what is due today and records it:

- a ``Reminder`` row per user (owner, deputy, senior managers, staff, portal
  users), unique per (recipient, subject, step);
- an ``OutboundEmail`` row per address without a user account (the primary
  contact, the escalation contacts of an MoU's ownership hierarchy), unique by
  its ``key``, so those people get the email, once, and no in-app notice.

Both are inserted with ``INSERT ... ON CONFLICT DO NOTHING RETURNING id``: the
database, not a check-then-insert, decides which sweep records a reminder, so
two concurrent sweeps, a retried task or a worker that died mid-sweep never
send one twice. Only the ids this sweep inserted are handed to the sending
tasks, after the transaction commits; the hourly sweep also sends anything
left unsent (broker outage, lost message, mail server failure with backoff).

Each step is due over a window that ends where the next step begins, so a
sweep missed during an outage is caught up by the first one after it.

A package by subject: base (lead times, notices), texts, notices (what is
due, subject by subject), due (everything due on a day, with its
recipients), storage (recording), sending, read_state and calendar_tokens;
everything is re-exported here so imports keep working.
"""

from planning.services.reminders.base import (
    INSERT_BATCH,
    MOU_STEPS,
    Notice,
    ReminderTimes,
    Step,
    _in,
    _recorded,
    reminder_times,
)
from planning.services.reminders.calendar_tokens import (
    calendar_feed_token_issue,
    calendar_feed_token_revoke,
    calendar_feed_token_touch,
    calendar_token_hash,
)
from planning.services.reminders.due import (
    _addresses_to_users,
    _People,
    reminders_due,
)
from planning.services.reminders.notices import (
    _escalation_levels,
    _issue_notices,
    _milestone_notices,
    _mou_notices,
    _review_notices,
)
from planning.services.reminders.read_state import (
    reminder_mark_all_read,
    reminder_mark_read,
    reminder_mark_unread,
)
from planning.services.reminders.sending import (
    SEND_CHUNK,
    _build_reminders,
    reminder_link,
    reminder_message,
    reminders_enqueue,
    reminders_send,
)
from planning.services.reminders.storage import (
    REMINDER_COLUMNS,
    SweepResult,
    _email_key,
    _existing_keys,
    _insert_ignoring_conflicts,
    reminders_sweep,
)
from planning.services.reminders.texts import (
    MONTHS,
    _mou_texts,
    _path,
    _Paths,
    _review_texts,
    _uk,
)

__all__ = [
    "INSERT_BATCH",
    "MONTHS",
    "MOU_STEPS",
    "REMINDER_COLUMNS",
    "SEND_CHUNK",
    "Notice",
    "ReminderTimes",
    "Step",
    "SweepResult",
    "_Paths",
    "_People",
    "_addresses_to_users",
    "_build_reminders",
    "_email_key",
    "_escalation_levels",
    "_existing_keys",
    "_in",
    "_insert_ignoring_conflicts",
    "_issue_notices",
    "_milestone_notices",
    "_mou_notices",
    "_mou_texts",
    "_path",
    "_recorded",
    "_review_notices",
    "_review_texts",
    "_uk",
    "calendar_feed_token_issue",
    "calendar_feed_token_revoke",
    "calendar_feed_token_touch",
    "calendar_token_hash",
    "reminder_link",
    "reminder_mark_all_read",
    "reminder_mark_read",
    "reminder_mark_unread",
    "reminder_message",
    "reminder_times",
    "reminders_due",
    "reminders_enqueue",
    "reminders_send",
    "reminders_sweep",
]
