"""Reports sent on a schedule: a senior manager or an analyst subscribes
themselves, another staff member or a staff group to a report, monthly or
quarterly (the planning year's quarters: April, July, October, January).

The worker's task sends, at the start of each period, the report for the
period just ended: an email summary of the figures that changed since the
last send, with the XLSX attached (or linked when it is larger than
SCHEDULED_REPORT_ATTACH_MAX_BYTES). ``ReportSend(subscription, period_start)``
is inserted with ON CONFLICT DO NOTHING before the report is built, so two
runs never send a period twice. Reports are built by the existing builders
(partners.reports), only ever by the worker.
"""

import base64
import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ceop_crm import mail
from ceop_crm.exceptions import ApplicationError, full_clean
from ceop_crm.models import OutboundEmail
from ceop_crm.roles import (
    ANALYST,
    STAFF_ROLES,
    is_senior_manager,
    is_staff_member,
    user_roles,
)
from planning.email_selectors import email_reply_to
from planning.models import ReportFrequency, ReportSend, ReportSubscription
from planning.services.reminders.storage import _insert_ignoring_conflicts
from planning.services.reminders.texts import _uk

# The reports one may subscribe to (never the contacts list: personal data).
SUBSCRIBABLE = (
    "partners-by-tier",
    "reviews",
    "mous",
    "priority-coverage",
    "annual-review",
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_FIGURES = 400


def may_subscribe(user) -> bool:
    """Senior managers and analysts (and administrators)."""
    return is_senior_manager(user) or (
        is_staff_member(user) and ANALYST in user_roles(user)
    )


def report_choices() -> list[tuple[str, str]]:
    from partners.reports import REPORTS

    return [(slug, REPORTS[slug].title) for slug in SUBSCRIBABLE]


@transaction.atomic
def report_subscription_create(
    *,
    actor,
    report: str,
    frequency: str,
    user=None,
    group: Group | None = None,
) -> ReportSubscription:
    """Subscribe a staff member or a staff group to a report."""
    if not may_subscribe(actor):
        raise ApplicationError(
            "Only senior managers and analysts subscribe to scheduled reports."
        )
    errors: dict[str, list[str]] = {}
    if report not in SUBSCRIBABLE:
        errors["report"] = ["Choose one of the reports listed."]
    if frequency not in ReportFrequency.values:
        errors["frequency"] = ["Choose monthly or quarterly."]
    if (user is None) == (group is None):
        errors["user"] = ["Send it to one person or one group."]
    elif user is not None and not (is_staff_member(user) and user.is_active):
        errors["user"] = ["Reports go to CEOP staff only."]
    elif group is not None and group.name not in STAFF_ROLES:
        errors["group"] = ["Reports go to a staff group only."]
    if errors:
        raise ApplicationError(errors)
    subscription = ReportSubscription(
        report=report, frequency=frequency, user=user, group=group, created_by=actor
    )
    full_clean(subscription)
    subscription.save()
    return subscription


@transaction.atomic
def report_subscription_delete(*, actor, subscription: ReportSubscription) -> None:
    if not may_subscribe(actor):
        raise ApplicationError(
            "Only senior managers and analysts change scheduled reports."
        )
    subscription.delete()


# --- Periods -----------------------------------------------------------------


def _months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def report_period(*, frequency: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The last whole period before today: the previous month, or the previous
    quarter of the planning year (its quarters start on the year's start)."""
    if frequency == ReportFrequency.MONTHLY:
        end = today.replace(day=1) - dt.timedelta(days=1)
        return end.replace(day=1), end
    from planning.selectors import planning_year_for

    year = planning_year_for(today)
    first_month = year.start.month if year else 4
    offset = (today.month - first_month) % 3
    quarter_start = _months_before(today.replace(day=1), offset)
    start = _months_before(quarter_start, 3)
    return start, quarter_start - dt.timedelta(days=1)


# --- Sending -----------------------------------------------------------------


@dataclass
class ScheduledResult:
    send_ids: list[int] = field(default_factory=list)
    email_ids: list[int] = field(default_factory=list)


def report_figures(report) -> dict[str, float]:
    """The report's numbers by "row · column", and its number of rows."""
    figures: dict[str, float] = {"Rows": len(report.rows)}
    for row in report.rows:
        label = str(row[0]) if row else ""
        for column, value in zip(report.columns[1:], row[1:], strict=False):
            if isinstance(value, int | float) and not isinstance(value, bool):
                figures[f"{label} · {column}"] = value
        if len(figures) >= MAX_FIGURES:
            break
    return figures


def figure_changes(before: dict, after: dict) -> list[dict]:
    """What changed between two sends, in the order of the newer report."""
    return [
        {"label": label, "before": before.get(label, "–"), "after": value}
        for label, value in after.items()
        if before.get(label) != value
    ]


def _recipients(subscription: ReportSubscription) -> list[str]:
    if subscription.user_id:
        users = [subscription.user]
    else:
        users = get_user_model().objects.filter(
            groups=subscription.group, is_active=True
        )
    return sorted({u.email for u in users if u.email and u.is_active})


def scheduled_reports_send(*, now: dt.datetime | None = None) -> ScheduledResult:
    """Send each subscription's report for the period just ended, once."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    result = ScheduledResult()
    reply_to = email_reply_to()  # once per run, not per report
    for subscription in ReportSubscription.objects.select_related("user", "group"):
        send = report_send_one(
            subscription=subscription, today=today, now=now, reply_to=reply_to
        )
        if send is not None:
            result.send_ids.append(send.pk)
            if send.email_id:
                result.email_ids.append(send.email_id)
    return result


@transaction.atomic
def report_send_one(
    *,
    subscription: ReportSubscription,
    today: dt.date,
    now: dt.datetime,
    reply_to: str | None = None,
) -> ReportSend | None:
    """One subscription's send for the period just ended, or None when sent already."""
    from partners.reports import REPORTS, report_xlsx

    start, end = report_period(frequency=subscription.frequency, today=today)
    inserted = _insert_ignoring_conflicts(
        ReportSend,
        ["subscription", "period_start", "period_end", "created_at", "figures"],
        [(subscription.pk, start, end, now, {})],
    )
    if not inserted:
        return None
    send = ReportSend.objects.get(pk=inserted[0])
    spec = REPORTS[subscription.report]
    report = spec.build(today=today, year=None)
    send.figures = report_figures(report)
    previous = (
        ReportSend.objects.filter(subscription=subscription, period_start__lt=start)
        .order_by("-period_start")
        .first()
    )
    changes = figure_changes(previous.figures if previous else {}, send.figures)
    addresses = _recipients(subscription)
    if addresses:
        content = report_xlsx(report).content
        filename = f"ceop-{report.slug}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
        limit = getattr(settings, "SCHEDULED_REPORT_ATTACH_MAX_BYTES", 5 * 1024 * 1024)
        attached = len(content) <= limit
        period = f"{_uk(start)} to {_uk(end)}"
        text, html = mail.email_render(
            template="scheduled_report",
            context={
                "title": report.title,
                "period": period,
                "frequency": subscription.get_frequency_display().split(" ")[0],
                "changes": changes,
                "first": previous is None,
                "rows": len(report.rows),
                "attached": attached,
                "link": mail.absolute_url(
                    reverse("workspace:report_download", args=[report.slug, "xlsx"])
                ),
                "preferences_url": mail.absolute_url(reverse("report_subscriptions")),
            },
        )
        if reply_to is None:
            reply_to = email_reply_to()
        email = OutboundEmail(
            to=addresses,
            subject=f"{report.title}: {period}"[:300],
            body_text=text,
            body_html=html,
            template="scheduled_report",
            key=f"report:{send.pk}",
            headers={"Reply-To": reply_to} if reply_to else {},
            attachments=[
                {
                    "name": filename,
                    "mimetype": XLSX,
                    "base64": base64.b64encode(content).decode("ascii"),
                }
            ]
            if attached
            else [],
        )
        email.full_clean()
        email.save()
        send.email = email
        mail.outbound_email_enqueue_on_commit(email_ids=[email.pk])
    send.save(update_fields=["figures", "email"])
    return send
