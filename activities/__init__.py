"""The relationship manager's day: activities (calls, meetings, emails, notes)
logged against an organisation, and follow-up tasks with a due date.

Staff only: partner users never see either (portal, API, calendar feed).
Writes and rules in ``services``, reads in ``selectors``; tasks reach the
reminder sweep through ``reminders`` and the calendar feed through ``selectors``.
"""
