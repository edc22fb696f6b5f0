"""A user's private calendar (iCalendar): reviews, MoU end dates, milestones and
(staff) their open follow-up tasks.

Served at /calendar/<secret>.ics for Outlook or any calendar application; the
secret is the only credential, so it is long, stored hashed and revocable.
"""

import datetime as dt

from django.conf import settings
from icalendar import Calendar, Event

from ceop_crm.mail import absolute_url

PRODID = "-//CEOP//Partner relationship management//EN"


def _event(
    *,
    uid: str,
    summary: str,
    start: dt.date,
    end: dt.date | None,
    description: str,
    url: str,
    stamp: dt.datetime,
) -> Event:
    event = Event()
    event.add("uid", f"{uid}@{settings.SITE_URL.split('://')[-1].split('/')[0]}")
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("dtstart", start)
    # All-day events: DTEND is exclusive.
    event.add("dtend", (end or start) + dt.timedelta(days=1))
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    event.add("transp", "TRANSPARENT")
    return event


def calendar_feed_render(
    *, user, events: dict, now: dt.datetime, partner: bool
) -> bytes:
    """The iCalendar document of one user's calendar."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "CEOP partnership calendar")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval;value=duration", "PT6H")
    for review in events["reviews"]:
        status = review.get_status_display()
        link = (
            f"/portal/reviews/{review.pk}/self-assessment/"
            if partner
            else f"/reviews/{review.pk}/"
        )
        calendar.add_component(
            _event(
                uid=f"review-{review.pk}",
                summary=f"Review due: {review.organisation.name} ({review.milestone.name})",
                start=review.due_on,
                end=None,
                description=f"{status}. {review.milestone.name}.",
                url=absolute_url(link),
                stamp=now,
            )
        )
    for mou in events["mous"]:
        link = "/portal/organisation/" if partner else f"/mous/{mou.pk}/"
        calendar.add_component(
            _event(
                uid=f"mou-end-{mou.pk}",
                summary=f"MoU ends: {mou.organisation.name}",
                start=mou.end,
                end=None,
                description=f"{mou.title} ({mou.get_status_display()}) ends.",
                url=absolute_url(link),
                stamp=now,
            )
        )
    for task in events.get("tasks", ()):
        calendar.add_component(
            _event(
                uid=f"task-{task.pk}",
                summary=f"Task due: {task.title} ({task.organisation.name})",
                start=task.due_on,
                end=None,
                description=f"Follow-up for {task.organisation.name}.",
                url=absolute_url(f"/organisations/{task.organisation_id}/#tasks"),
                stamp=now,
            )
        )
    for milestone in events["milestones"]:
        calendar.add_component(
            _event(
                uid=f"milestone-{milestone.pk}",
                summary=milestone.name,
                start=milestone.date,
                end=milestone.end_date,
                description=milestone.description,
                url="",
                stamp=now,
            )
        )
    return calendar.to_ical()
