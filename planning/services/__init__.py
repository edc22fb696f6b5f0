"""Writes and rules of the business planning cycle.

reviews: planning years, milestones and the reviews they schedule.
reminders: the reminder sweep, sending, read/unread and calendar feed tokens.
self_assessment: the partner's self-assessment of a review (portal).
"""

from planning.services.reminders import (
    calendar_feed_token_issue,
    calendar_feed_token_revoke,
    reminder_mark_all_read,
    reminder_mark_read,
    reminder_mark_unread,
    reminders_due,
    reminders_send,
    reminders_sweep,
)
from planning.services.reviews import (
    planning_year_open,
    planning_years_ensure,
    review_complete,
    review_record_past,
    review_windows,
    reviews_schedule,
    windows_wanted,
)
from planning.services.self_assessment import (
    self_assessment_save_draft,
    self_assessment_submit,
)

__all__ = [
    "calendar_feed_token_issue",
    "calendar_feed_token_revoke",
    "planning_year_open",
    "planning_years_ensure",
    "reminder_mark_all_read",
    "reminder_mark_read",
    "reminder_mark_unread",
    "reminders_due",
    "reminders_send",
    "reminders_sweep",
    "review_complete",
    "review_record_past",
    "review_windows",
    "reviews_schedule",
    "self_assessment_save_draft",
    "self_assessment_submit",
    "windows_wanted",
]
