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
"""

import datetime as dt
import hashlib
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property, partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives
from django.db import connection, connections, models, transaction
from django.db.models import Case, Exists, Max, OuterRef, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from ceop_crm import mail
from ceop_crm.exceptions import ApplicationError
from ceop_crm.models import OutboundEmail
from ceop_crm.roles import SENIOR_MANAGER, STAFF_ROLES
from partners.models import (
    Contact,
    MoU,
    OwnershipLevel,
    PortalMembership,
    RelationshipIssue,
)
from planning.models import (
    Audience,
    CalendarFeedToken,
    Milestone,
    MilestoneKind,
    Reminder,
    Review,
)
from tiers.models import Association

Step = Reminder.Step
INSERT_BATCH = 1000


# --- Settings -----------------------------------------------------------------


@dataclass(frozen=True)
class ReminderTimes:
    upcoming: int
    overdue: int
    escalated: int
    mou_ending: tuple[int, int, int]
    catch_up: int
    issue_default: int


def reminder_times() -> ReminderTimes:
    """The lead times of the steps, from settings (REMINDER_*)."""
    ending = sorted(getattr(settings, "REMINDER_MOU_ENDING_DAYS", [90, 30, 7]))[::-1]
    if len(ending) != 3:
        raise ValueError("REMINDER_MOU_ENDING_DAYS needs three numbers of days.")
    times = ReminderTimes(
        upcoming=getattr(settings, "REMINDER_REVIEW_UPCOMING_DAYS", 14),
        overdue=getattr(settings, "REMINDER_REVIEW_OVERDUE_DAYS", 7),
        escalated=getattr(settings, "REMINDER_REVIEW_ESCALATED_DAYS", 21),
        mou_ending=(ending[0], ending[1], ending[2]),
        catch_up=getattr(settings, "REMINDER_CATCH_UP_DAYS", 30),
        issue_default=getattr(settings, "REMINDER_ISSUE_DEFAULT_DAYS", 14),
    )
    if not 0 < times.overdue < times.escalated:
        raise ValueError("A review is overdue before it is escalated.")
    return times


MOU_STEPS = (Step.MOU_ENDING_90, Step.MOU_ENDING_30, Step.MOU_ENDING_7)


# --- What is due ----------------------------------------------------------------


@dataclass
class Notice:
    """One thing due today, before it is fanned out to its recipients."""

    step: str
    subject_type: str
    subject_id: int
    # (title, body), made only for reminders the sweep records: a no-op sweep
    # never formats a word.
    make_texts: Callable[[], tuple[str, str]]
    due_on: dt.date | None
    staff_path: str
    partner_path: str
    users: set[int] = field(default_factory=set)
    partner_users: set[int] = field(default_factory=set)
    # address -> greeting name, for people without a user account
    addresses: dict[str, str] = field(default_factory=dict)

    @cached_property
    def texts(self) -> tuple[str, str]:
        return self.make_texts()

    @property
    def title(self) -> str:
        return self.texts[0]

    @property
    def body(self) -> str:
        return self.texts[1]


MONTHS = [
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _uk(day: dt.date) -> str:
    """A UK date in words, "5 March 2027" (date_format costs too much per row)."""
    return f"{day.day} {MONTHS[day.month]} {day.year}"


def _path(names: Iterable[str], fallback: str, **kwargs) -> str:
    for name in names:
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return fallback


def _review_texts(step, org_name, window, due, days) -> tuple[str, str]:
    if step == Step.REVIEW_UPCOMING:
        return (
            f"{org_name}: review due on {_uk(due)}",
            f"The {window} review of {org_name} is due on {_uk(due)}. "
            "Agree a date with the organisation and ask for its self-assessment.",
        )
    if step == Step.REVIEW_DUE:
        return (
            f"{org_name}: review due {'today' if days == 0 else _uk(due)}",
            f"The {window} review of {org_name} is due on {_uk(due)}.",
        )
    if step == Step.REVIEW_OVERDUE:
        return (
            f"{org_name}: review overdue since {_uk(due)}",
            f"The {window} review of {org_name} was due on {_uk(due)} "
            "and has not been completed.",
        )
    return (
        f"Escalated: {org_name} review {days} days overdue",
        f"The {window} review of {org_name} was due on {_uk(due)} and is "
        f"still not complete {days} days later. It is escalated to you.",
    )


def _mou_texts(step, title, org_name, end, left) -> tuple[str, str]:
    if step == Step.MOU_ENDED:
        return (
            f"{org_name}: MoU ended on {_uk(end)} without renewal",
            f"The {title} with {org_name} ended on {_uk(end)} and has not "
            "been renewed. A Strategic Partner or Partner needs a signed MoU "
            "in force.",
        )
    when = "today" if left == 0 else f"in {left} days, on {_uk(end)}"
    return (
        f"{org_name}: MoU ends {when}",
        f"The {title} with {org_name} ends {when}. "
        "Agree its renewal or plan the end of the association.",
    )


@dataclass
class _Paths:
    """Links of the items, resolved once per sweep (other apps own these URLs)."""

    def staff_mou(self, mou_id: int) -> str:
        return self._mou.replace("999999", str(mou_id))

    def staff_issue(self, issue_id: int) -> str:
        return self._issue.replace("999999", str(issue_id))

    def staff_review(self, review_id: int) -> str:
        return self._review.replace("999999", str(review_id))

    def portal_review(self, review_id: int) -> str:
        return self._portal_review.replace("999999", str(review_id))

    def __post_init__(self) -> None:
        self._mou = _path(["partners:mou_detail"], "/mous/999999/", pk=999999)
        self._issue = _path(["partners:issue_detail"], "/issues/999999/", pk=999999)
        self._review = _path(["planning:review_detail"], "/reviews/999999/", pk=999999)
        self._portal_review = _path(
            ["portal:self_assessment"],
            "/portal/reviews/999999/self-assessment/",
            review_pk=999999,
        )
        self.portal_home = _path(["portal:home"], "/portal/")
        self.portal_organisation = _path(["portal:organisation"], "/portal/")
        self.staff_home = "/"


class _People:
    """Who receives what, loaded in a fixed number of queries for a set of organisations."""

    def __init__(self, org_ids: set[int], today: dt.date) -> None:
        user_model = get_user_model()
        self.senior_managers = set(
            user_model.objects.filter(
                is_active=True, groups__name=SENIOR_MANAGER
            ).values_list("pk", flat=True)
        )
        self.staff = set(
            user_model.objects.filter(
                is_active=True, groups__name__in=STAFF_ROLES
            ).values_list("pk", flat=True)
        )
        # Organisations whose current level is an association: partner-facing
        # steps reach them; suppliers and the unassociated get none.
        self.associated = set(
            Association.objects.filter(
                end__isnull=True, tier__is_association=True
            ).values_list("organisation_id", flat=True)
        )
        wanted = org_ids & self.associated if org_ids is not None else self.associated
        self.partner_users: dict[int, set[int]] = defaultdict(set)
        member_emails: dict[int, set[str]] = defaultdict(set)
        member_contacts: set[int] = set()
        for user_id, org_id, email, contact_id in PortalMembership.objects.filter(
            organisation_id__in=_in(wanted), user__is_active=True
        ).values_list("user_id", "organisation_id", "user__email", "contact_id"):
            self.partner_users[org_id].add(user_id)
            if email:
                member_emails[org_id].add(email.lower())
            if contact_id:
                member_contacts.add(contact_id)
        # The primary contact gets email only (no account, so no in-app
        # notice), unless they are a portal user already.
        self.primary_contact: dict[int, tuple[str, str]] = {}
        for contact_id, org_id, name, email in (
            Contact.objects.filter(organisation_id__in=_in(wanted), is_primary=True)
            .exclude(email="")
            .values_list("pk", "organisation_id", "name", "email")
        ):
            if contact_id in member_contacts or email.lower() in member_emails[org_id]:
                continue
            self.primary_contact[org_id] = (email, name)

    def add_partners(self, notice: Notice, org_id: int) -> None:
        if org_id not in self.associated:
            return
        notice.partner_users |= self.partner_users.get(org_id, set())
        contact = self.primary_contact.get(org_id)
        if contact:
            notice.addresses.setdefault(contact[0], contact[1])


def _escalation_levels(org_ids: set[int]) -> dict[int, dict[int, list[OwnershipLevel]]]:
    """Per organisation, the ownership hierarchy (level -> people) of its latest signed MoU."""
    if not org_ids:
        return {}
    latest: dict[int, int] = {}
    for mou_id, org_id in (
        MoU.objects.filter(
            organisation_id__in=_in(org_ids),
            status__in=[MoU.Status.SIGNED, MoU.Status.EXPIRED],
        )
        .order_by("organisation_id", "-end", "-pk")
        .values_list("pk", "organisation_id")
    ):
        latest.setdefault(org_id, mou_id)
    org_of = {mou_id: org_id for org_id, mou_id in latest.items()}
    levels: dict[int, dict[int, list[OwnershipLevel]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for level in OwnershipLevel.objects.filter(mou_id__in=_in(org_of)).order_by(
        "level", "side"
    ):
        levels[org_of[level.mou_id]][level.level].append(level)
    return levels


def _recorded(subject_type: str, step) -> Exists:
    """A reminder of this subject and step is recorded already (for anyone).

    Subjects whose step went out already are skipped before anything else is
    read, which keeps a sweep with nothing new cheap. A person who joins later
    (a new portal user) gets the next step, not the one already sent.
    """
    return Exists(
        Reminder.objects.filter(
            subject_type=subject_type, subject_id=OuterRef("pk"), step=step
        )
    )


def _review_notices(today, times, paths, pending) -> list[tuple[Notice, int]]:
    start = today - dt.timedelta(days=times.escalated + times.catch_up)
    end = today + dt.timedelta(days=times.upcoming)
    step_now = Case(
        When(due_on__gt=today, then=Value(Step.REVIEW_UPCOMING)),
        When(
            due_on__gt=today - dt.timedelta(days=times.overdue),
            then=Value(Step.REVIEW_DUE),
        ),
        When(
            due_on__gt=today - dt.timedelta(days=times.escalated),
            then=Value(Step.REVIEW_OVERDUE),
        ),
        default=Value(Step.REVIEW_ESCALATED),
    )
    rows = (
        Review.objects.filter(
            status=Review.Status.SCHEDULED, due_on__gte=start, due_on__lte=end
        )
        .annotate(step_now=step_now)
        .exclude(_recorded("review", OuterRef("step_now")))
        .order_by("due_on", "pk")
        .values_list(
            "pk",
            "due_on",
            "organisation_id",
            "organisation__name",
            "organisation__owner_id",
            "organisation__owner__is_active",
            "organisation__deputy_id",
            "organisation__deputy__is_active",
            "milestone__name",
        )
    )
    notices = []
    for (
        pk,
        due,
        org_id,
        org_name,
        owner_id,
        owner_active,
        deputy_id,
        deputy_active,
        window,
    ) in rows:
        days = (today - due).days
        if days < 0:
            step = Step.REVIEW_UPCOMING
        elif days < times.overdue:
            step = Step.REVIEW_DUE
        elif days < times.escalated:
            step = Step.REVIEW_OVERDUE
        else:
            step = Step.REVIEW_ESCALATED
        notice = Notice(
            step=step,
            subject_type="review",
            subject_id=pk,
            make_texts=partial(_review_texts, step, org_name, window, due, days),
            due_on=due,
            staff_path=paths.staff_review(pk),
            partner_path=paths.portal_review(pk),
        )
        if step == Step.REVIEW_ESCALATED:
            pending["escalation_orgs"].add(org_id)
        else:
            notice.users |= {
                u
                for u, active in ((owner_id, owner_active), (deputy_id, deputy_active))
                if u and active
            }
            pending["partner_orgs"].add(org_id)
        notices.append((notice, org_id))
    return notices


def _mou_notices(today, times, paths, pending) -> list[tuple[Notice, int]]:
    first, second, final = times.mou_ending
    step_now = Case(
        When(end__lt=today, then=Value(Step.MOU_ENDED)),
        When(end__lte=today + dt.timedelta(days=final), then=Value(MOU_STEPS[2])),
        When(end__lte=today + dt.timedelta(days=second), then=Value(MOU_STEPS[1])),
        default=Value(MOU_STEPS[0]),
    )
    rows = (
        MoU.objects.filter(
            status__in=[MoU.Status.SIGNED, MoU.Status.EXPIRED],
            end__gte=today - dt.timedelta(days=times.catch_up),
            end__lte=today + dt.timedelta(days=first),
        )
        .annotate(step_now=step_now)
        .exclude(_recorded("mou", OuterRef("step_now")))
        .order_by("end", "pk")
        .values_list(
            "pk",
            "title",
            "end",
            "status",
            "organisation_id",
            "organisation__name",
            "organisation__owner_id",
            "organisation__owner__is_active",
            "organisation__deputy_id",
            "organisation__deputy__is_active",
        )
    )
    rows = list(rows)
    # Renewed: another signed MoU of the organisation runs past this one's end.
    latest_signed_end = dict(
        MoU.objects.filter(
            organisation_id__in=_in({row[4] for row in rows}),
            status=MoU.Status.SIGNED,
        )
        .values("organisation_id")
        .annotate(latest=Max("end"))
        .values_list("organisation_id", "latest")
    )
    notices = []
    for (
        pk,
        title,
        end,
        status,
        org_id,
        org_name,
        owner_id,
        owner_active,
        deputy_id,
        deputy_active,
    ) in rows:
        latest = latest_signed_end.get(org_id)
        if latest is not None and latest > end:
            continue
        left = (end - today).days
        if left < 0:
            step = Step.MOU_ENDED
        elif status != MoU.Status.SIGNED:
            continue
        else:
            step = (
                MOU_STEPS[2]
                if left <= final
                else MOU_STEPS[1]
                if left <= second
                else MOU_STEPS[0]
            )
        notice = Notice(
            step=step,
            subject_type="mou",
            subject_id=pk,
            make_texts=partial(_mou_texts, step, title, org_name, end, left),
            due_on=end,
            staff_path=paths.staff_mou(pk),
            partner_path=paths.portal_organisation,
        )
        notice.users |= {
            u
            for u, active in ((owner_id, owner_active), (deputy_id, deputy_active))
            if u and active
        }
        pending["partner_orgs"].add(org_id)
        notices.append((notice, org_id))
    return notices


def _milestone_notices(today, times, paths) -> list[tuple[Notice, str]]:
    longest = max(
        Milestone.objects.order_by("-reminder_lead_days")
        .values_list("reminder_lead_days", flat=True)
        .first()
        or 0,
        0,
    )
    rows = (
        Milestone.objects.filter(
            date__gte=today, date__lte=today + dt.timedelta(days=longest)
        )
        .exclude(_recorded("milestone", Step.MILESTONE_UPCOMING))
        .order_by("date", "pk")
    )
    notices = []
    for milestone in rows:
        if (milestone.date - today).days > milestone.reminder_lead_days:
            continue
        when = "today" if milestone.date == today else f"on {_uk(milestone.date)}"
        body = milestone.description or milestone.name
        if milestone.end_date:
            body = f"From {_uk(milestone.date)} to {_uk(milestone.end_date)}. {body}"
        notice = Notice(
            step=Step.MILESTONE_UPCOMING,
            subject_type="milestone",
            subject_id=milestone.pk,
            make_texts=partial(lambda t, b: (t, b), f"{milestone.name} {when}", body),
            due_on=milestone.date,
            staff_path=paths.staff_home,
            partner_path=paths.portal_home,
        )
        notices.append((notice, milestone))
    return notices


def _issue_notices(today, times, paths, pending) -> list[tuple[Notice, int]]:
    issues = list(
        RelationshipIssue.objects.filter(status=RelationshipIssue.Status.OPEN)
        .select_related("organisation")
        .order_by("pk")
    )
    if not issues:
        return []
    org_ids = {i.organisation_id for i in issues}
    pending["hierarchy"] = _escalation_levels(org_ids | pending["escalation_orgs"])
    notices = []
    for issue in issues:
        levels = pending["hierarchy"].get(issue.organisation_id, {})
        at_level = levels.get(issue.escalation_level, [])
        days = (
            min(level.days_to_resolve for level in at_level)
            if at_level
            else times.issue_default
        )
        since = (
            timezone.localtime(issue.escalated_at).date()
            if issue.escalated_at
            else issue.raised_on
        )
        deadline = since + dt.timedelta(days=days)
        if not deadline < today <= deadline + dt.timedelta(days=times.catch_up):
            continue
        org = issue.organisation
        notice = Notice(
            step=Step.ISSUE_ESCALATION,
            # One reminder per level: an issue escalated again can be late again.
            subject_type=f"issue-level-{issue.escalation_level}",
            subject_id=issue.pk,
            make_texts=partial(
                lambda t, b: (t, b),
                f"{org.name}: issue unresolved past its deadline",
                f"“{issue.title}” has been open at escalation level "
                f"{issue.escalation_level} since {_uk(since)}; its deadline was "
                f"{_uk(deadline)}. Resolve it or escalate it to the next level.",
            ),
            due_on=deadline,
            staff_path=paths.staff_issue(issue.pk),
            partner_path=paths.portal_home,
        )
        notice.users |= {u for u in (issue.owner_id, org.owner_id, org.deputy_id) if u}
        for level in levels.get(issue.escalation_level + 1, []):
            if level.email:
                notice.addresses.setdefault(level.email, level.name)
        notices.append((notice, org.pk))
    return notices


# --- Recording --------------------------------------------------------------------


@dataclass
class SweepResult:
    today: dt.date
    due: int = 0
    reminder_ids: list[int] = field(default_factory=list)
    email_ids: list[int] = field(default_factory=list)

    @property
    def recorded(self) -> int:
        return len(self.reminder_ids) + len(self.email_ids)


def _in(values: Iterable, cast: str = "bigint"):
    """The right side of an IN: one array parameter on PostgreSQL, not thousands."""
    values = list(values)
    if connection.vendor == "postgresql":
        return RawSQL(f"SELECT unnest(%s::{cast}[])", (values,))  # noqa: S611 - cast is ours
    return values


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


def reminders_due(*, today: dt.date) -> list[Notice]:
    """Everything due on the day, with its recipients; reads only, in a fixed number of queries."""
    times = reminder_times()
    paths = _Paths()
    pending: dict = {"partner_orgs": set(), "escalation_orgs": set(), "hierarchy": {}}
    reviews = _review_notices(today, times, paths, pending)
    mous = _mou_notices(today, times, paths, pending)
    milestones = _milestone_notices(today, times, paths)
    issues = _issue_notices(today, times, paths, pending)
    if not (reviews or mous or milestones or issues):
        return []
    if pending["escalation_orgs"] and not pending["hierarchy"]:
        pending["hierarchy"] = _escalation_levels(pending["escalation_orgs"])
    if not (reviews or mous or milestones):
        notices = [notice for notice, _ in issues]
        _addresses_to_users(notices)
        return notices

    partner_milestones = any(m.audience != Audience.STAFF for _, m in milestones)
    monitoring = {
        m.pk: m
        for _, m in milestones
        if m.audience != Audience.STAFF
        and m.kind
        in (MilestoneKind.QUARTERLY_MONITORING, MilestoneKind.ANNUAL_MONITORING)
    }
    reviewed_in: dict[int, set[int]] = defaultdict(set)
    if monitoring:
        for milestone_id, org_id in (
            Review.objects.filter(milestone_id__in=list(monitoring))
            .exclude(status=Review.Status.CANCELLED)
            .values_list("milestone_id", "organisation_id")
        ):
            reviewed_in[milestone_id].add(org_id)
    people = _People(None if partner_milestones else pending["partner_orgs"], today)

    notices: list[Notice] = []
    for notice, org_id in reviews:
        if notice.step == Step.REVIEW_ESCALATED:
            notice.users |= people.senior_managers
            levels = pending["hierarchy"].get(org_id, {})
            above = sorted(level for level in levels if level > 1)
            for level in levels.get(above[0] if above else 1, []):
                if level.email:
                    notice.addresses.setdefault(level.email, level.name)
        else:
            people.add_partners(notice, org_id)
        notices.append(notice)
    for notice, org_id in mous:
        people.add_partners(notice, org_id)
        notices.append(notice)
    for notice, milestone in milestones:
        if milestone.audience in (Audience.STAFF, Audience.BOTH):
            notice.users |= people.staff
        if milestone.audience in (Audience.PARTNERS, Audience.BOTH):
            orgs = (
                reviewed_in.get(milestone.pk, set())
                if milestone.pk in monitoring
                else people.associated
            )
            for org_id in sorted(orgs):
                people.add_partners(notice, org_id)
        notices.append(notice)
    notices += [notice for notice, _ in issues]
    _addresses_to_users(notices)
    return notices


def _addresses_to_users(notices: list[Notice]) -> None:
    """An address that belongs to an active user becomes that user's reminder."""
    addresses = {a.lower() for n in notices for a in n.addresses}
    if not addresses:
        return
    user_model = get_user_model()
    by_email = {
        email: pk
        for pk, email in user_model.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=_in(addresses, "text"), is_active=True)
        .values_list("pk", "email_lower")
    }
    partner_ids = set(
        PortalMembership.objects.filter(user_id__in=_in(by_email.values())).values_list(
            "user_id", flat=True
        )
    )
    for notice in notices:
        for address in list(notice.addresses):
            user_id = by_email.get(address.lower())
            if user_id is None:
                continue
            del notice.addresses[address]
            if user_id in partner_ids:
                notice.partner_users.add(user_id)
            else:
                notice.users.add(user_id)


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
                },
                key,
                now,
                0,
                "",
            )
            for key, address, name, notice in addressed
            if key not in already
        ]
    # Stable order keeps concurrent sweeps from deadlocking on the unique index.
    reminder_rows.sort(key=lambda r: (r[0], r[2], r[3], r[1]))
    email_rows.sort(key=lambda r: r[6])
    result.reminder_ids = _insert_ignoring_conflicts(
        Reminder, REMINDER_COLUMNS, reminder_rows
    )
    result.email_ids = _insert_ignoring_conflicts(
        OutboundEmail,
        [
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
        ],
        email_rows,
    )
    reminder_ids, email_ids = list(result.reminder_ids), list(result.email_ids)
    transaction.on_commit(lambda: reminders_enqueue(reminder_ids, email_ids))
    return result


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


# --- Sending -----------------------------------------------------------------------


def reminder_link(reminder: Reminder) -> str:
    """The link in a reminder's email: staff go through the notice (marked read)."""
    if reminder.url.startswith("/portal/"):
        return mail.absolute_url(reminder.url)
    try:
        return mail.absolute_url(reverse("notification_open", args=[reminder.pk]))
    except NoReverseMatch:
        return mail.absolute_url(reminder.url or "/")


def reminder_message(reminder: Reminder) -> EmailMultiAlternatives | None:
    """The email of a reminder, or None when its recipient has no address."""
    recipient = reminder.recipient
    if not recipient.email or not recipient.is_active:
        return None
    name = recipient.get_full_name() if hasattr(recipient, "get_full_name") else ""
    text, html = mail.email_render(
        template="reminder",
        context={
            "greeting": f"Dear {name}" if name else "",
            "title": reminder.title,
            "body": reminder.body,
            "due_on": _uk(reminder.due_on) if reminder.due_on else "",
            "link": reminder_link(reminder),
        },
    )
    message = EmailMultiAlternatives(
        subject=reminder.title,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )
    message.attach_alternative(html, "text/html")
    return message


def _build_reminders(ids: list[int]) -> dict[int, EmailMultiAlternatives | None]:
    return {
        r.pk: reminder_message(r)
        for r in Reminder.objects.filter(pk__in=ids).select_related("recipient")
    }


def reminders_send(
    *,
    ids: Iterable[int] | None = None,
    created_before: dt.datetime | None = None,
    limit: int | None = None,
) -> mail.SendResult:
    """Email unsent reminders (these ids, or all that are due), with claims and backoff."""
    queryset = Reminder.objects.all()
    if created_before is not None:
        queryset = queryset.filter(created_at__lt=created_before)
    return mail.outbox_send(
        queryset=queryset, build=_build_reminders, ids=ids, limit=limit
    )


# --- In-app read/unread ---------------------------------------------------------------


@transaction.atomic
def reminder_mark_read(*, reminder: Reminder, user: AbstractBaseUser) -> Reminder:
    """Mark one of the user's own notifications read; refuses anyone else's."""
    if reminder.recipient_id != user.pk:
        raise ApplicationError("This notification belongs to someone else.")
    if reminder.read_at is None:
        reminder.read_at = timezone.now()
        Reminder.objects.filter(pk=reminder.pk, read_at__isnull=True).update(
            read_at=reminder.read_at
        )
    return reminder


@transaction.atomic
def reminder_mark_unread(*, reminder: Reminder, user: AbstractBaseUser) -> Reminder:
    if reminder.recipient_id != user.pk:
        raise ApplicationError("This notification belongs to someone else.")
    reminder.read_at = None
    Reminder.objects.filter(pk=reminder.pk).update(read_at=None)
    return reminder


@transaction.atomic
def reminder_mark_all_read(*, user: AbstractBaseUser) -> int:
    return Reminder.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- Calendar feed tokens ----------------------------------------------------------------


def calendar_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_token_issue(
    *, user: AbstractBaseUser
) -> tuple[CalendarFeedToken, str]:
    """A new secret for the user's calendar feed; the previous one stops working.

    Returns the row and the secret, which is shown once and never stored.
    """
    now = timezone.now()
    CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=now
    )
    secret = secrets.token_urlsafe(32)
    token = CalendarFeedToken(user=user, token_hash=calendar_token_hash(secret))
    token.full_clean()
    token.save()
    return token, secret


@transaction.atomic
def calendar_feed_token_revoke(*, user: AbstractBaseUser) -> int:
    """Stop the user's calendar feed; the number of secrets revoked."""
    return CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def calendar_feed_token_touch(*, token: CalendarFeedToken) -> None:
    """Record when a feed was last read (at most once an hour, to spare writes)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(hours=1):
        CalendarFeedToken.objects.filter(pk=token.pk).update(last_used_at=now)
