"""Reads of the planning app."""

from datetime import date

from django.db import models
from django.db.models import Q, QuerySet

from planning.models import Milestone, MilestoneKind, PlanningYear, Review


def planning_year_label(day: date) -> str:
    """The label of the planning year (1 April to 31 March) that holds the day."""
    first = day.year if day.month >= 4 else day.year - 1
    return f"{first}/{(first + 1) % 100:02d}"


def planning_year_for(day: date) -> PlanningYear | None:
    return PlanningYear.objects.filter(start__lte=day, end__gte=day).first()


def review_overdue_exists(*, organisation, on: date) -> bool:
    return Review.objects.filter(
        organisation=organisation, status=Review.Status.SCHEDULED, due_on__lt=on
    ).exists()


def review_list_for_organisation(*, organisation) -> QuerySet[Review]:
    return (
        Review.objects.filter(organisation=organisation)
        .select_related(
            "milestone__planning_year", "association__tier", "self_assessment"
        )
        .order_by("due_on", "pk")
    )


def milestone_list_for_year(*, planning_year: PlanningYear) -> QuerySet[Milestone]:
    return Milestone.objects.filter(planning_year=planning_year).order_by("date", "pk")


# --- Staff workspace reads -------------------------------------------------


def review_list(*, user=None, mine: bool = False) -> QuerySet[Review]:
    """Reviews with their organisation, tier and self-assessment; optionally the user's."""
    reviews = Review.objects.select_related(
        "organisation",
        "organisation__owner",
        "association__tier",
        "milestone__planning_year",
        "conducted_by",
        "self_assessment",
    )
    if mine and user is not None:
        reviews = reviews.filter(
            Q(organisation__owner=user) | Q(organisation__deputy=user)
        )
    return reviews.order_by("due_on", "pk")


def review_list_has_mine(*, user) -> bool:
    """Whether the user owns or deputises for an organisation with reviews."""
    return review_list(user=user, mine=True).exists()


def review_list_due(*, today: date, user=None, mine: bool = False) -> QuerySet[Review]:
    """Scheduled reviews overdue or due by the end of this month."""
    if today.month == 12:
        month_end = date(today.year, 12, 31)
    else:
        month_end = date(today.year, today.month + 1, 1).replace(day=1)
        month_end = date.fromordinal(month_end.toordinal() - 1)
    return review_list(user=user, mine=mine).filter(
        status=Review.Status.SCHEDULED, due_on__lte=month_end
    )


def review_list_due_brief(
    *, today: date, user=None, mine: bool = False
) -> QuerySet[Review]:
    """The same reviews as review_list_due with only what a short list shows: the
    organisation's and the window's names and the due date.

    The nine tables review_list joins cost PostgreSQL more to plan than to run
    (about 12 ms against 2 ms at 10,000 organisations); the dashboard needs two.
    """
    return (
        review_list_due(today=today, user=user, mine=mine)
        .select_related(None)
        .select_related("organisation", "milestone")
        .only("due_on", "status", "organisation__name", "milestone__name")
    )


# --- Notifications and calendar feeds (reminders) ---------------------------


def reminder_list_for_user(*, user, unread_only: bool = False) -> QuerySet:
    """The user's own in-app notifications, newest first: staff and portal users alike."""
    from planning.models import Reminder

    reminders = Reminder.objects.filter(recipient_id=user.pk)
    if unread_only:
        reminders = reminders.filter(read_at__isnull=True)
    return reminders.order_by("-created_at", "-pk")


def reminder_unread_count(*, user) -> int:
    if not user.is_authenticated:
        return 0
    return reminder_list_for_user(user=user, unread_only=True).count()


def calendar_feed_token_current(*, user):
    """The user's live calendar feed token, if any (its secret is not stored)."""
    from planning.models import CalendarFeedToken

    return CalendarFeedToken.objects.filter(
        user_id=user.pk, revoked_at__isnull=True
    ).first()


def calendar_feed_token_find(*, secret: str):
    """The live token (with its user) behind a feed URL's secret, or None."""
    from planning.models import CalendarFeedToken
    from planning.services.reminders import calendar_token_hash

    if not secret or len(secret) > 100:
        return None
    return (
        CalendarFeedToken.objects.select_related("user")
        .filter(
            token_hash=calendar_token_hash(secret),
            revoked_at__isnull=True,
            user__is_active=True,
        )
        .first()
    )


def calendar_events_for_user(*, user, today: date) -> dict[str, QuerySet]:
    """What a user's private calendar shows: reviews, MoU end dates and milestones.

    Staff: the organisations they own or deputise for. Portal users: their own
    organisation only; milestones for partners only while it is associated
    (a supplier sees its reviews and MoU, never the partnership cycle).
    """
    from datetime import timedelta

    from partners.models import MoU, PortalMembership
    from planning.models import Audience
    from tiers.models import Association

    since = today - timedelta(days=120)
    until = today + timedelta(days=2 * 366)
    reviews = (
        Review.objects.exclude(status=Review.Status.CANCELLED)
        .filter(due_on__gte=since, due_on__lte=until)
        .select_related("organisation", "milestone")
        .order_by("due_on", "pk")
    )
    mous = (
        MoU.objects.filter(
            status__in=[MoU.Status.SIGNED, MoU.Status.EXPIRED],
            end__gte=since,
            end__lte=until,
        )
        .select_related("organisation")
        .order_by("end", "pk")
    )
    milestones = Milestone.objects.filter(date__gte=since, date__lte=until).order_by(
        "date", "pk"
    )
    from ceop_crm.roles import is_partner_user

    membership = (
        PortalMembership.objects.filter(user_id=user.pk)
        .values_list("organisation_id", flat=True)
        .first()
        if is_partner_user(user)
        else None
    )
    if membership is not None:
        associated = Association.objects.filter(
            organisation_id=membership, end__isnull=True, tier__is_association=True
        ).exists()
        reviews = reviews.filter(organisation_id=membership)
        mous = mous.filter(organisation_id=membership)
        milestones = (
            milestones.filter(audience__in=[Audience.PARTNERS, Audience.BOTH])
            if associated
            else milestones.none()
        )
        tasks = []  # follow-up tasks are staff only
    else:
        mine = Q(organisation__owner_id=user.pk) | Q(organisation__deputy_id=user.pk)
        reviews = reviews.filter(mine)
        mous = mous.filter(mine)
        milestones = milestones.filter(audience__in=[Audience.STAFF, Audience.BOTH])
        from activities.selectors import task_list_for_calendar

        tasks = task_list_for_calendar(user=user, since=since, until=until)
    return {"reviews": reviews, "mous": mous, "milestones": milestones, "tasks": tasks}


# --- What a figure of the reviews report counts ------------------------------
# The reviews report (partners/reports/reviews.py) counts with these, and the
# review list's filters (planning/filters.py) select with them, so a figure and
# the list it links to hold the same reviews.

REVIEW_WINDOWS = ["Q1", "Q2", "Q3", "Q4", "Annual"]
REVIEW_OUTCOMES = [
    ("due", "Due (not cancelled)"),
    ("on_time", "Completed on time"),
    ("late", "Completed late"),
    ("overdue", "Overdue"),
    ("upcoming", "Not yet due"),
]


def review_outcome_q(*, outcome: str, today: date) -> Q:
    """The reviews of one column of the reviews report."""
    return {
        "due": ~Q(status=Review.Status.CANCELLED),
        "on_time": Q(
            status=Review.Status.COMPLETED, completed_on__lte=models.F("due_on")
        ),
        "late": Q(status=Review.Status.COMPLETED, completed_on__gt=models.F("due_on")),
        "overdue": Q(status=Review.Status.SCHEDULED, due_on__lt=today),
        "upcoming": Q(status=Review.Status.SCHEDULED, due_on__gte=today),
    }[outcome]


def review_window_q(*, window: str) -> Q:
    """The reviews of one monitoring window ("Q1".."Q4", or "Annual")."""
    annual = Q(milestone__kind=MilestoneKind.ANNUAL_MONITORING)
    if window == "Annual":
        return annual
    quarter = int(window.removeprefix("Q") or 0)
    # The report files a window without a quarter under "Q0".
    by_quarter = (
        Q(milestone__quarter=quarter)
        if quarter
        else Q(milestone__quarter__isnull=True) | Q(milestone__quarter=0)
    )
    return ~annual & by_quarter


def review_filter(
    *,
    queryset: QuerySet[Review],
    today: date,
    year: str = "",
    window: str = "",
    outcome: str = "",
    organisation: int | None = None,
) -> QuerySet[Review]:
    """Reviews of a planning year, a window, an outcome, an organisation (any of them)."""
    if year:
        queryset = queryset.filter(milestone__planning_year__label=year)
    if window:
        queryset = queryset.filter(review_window_q(window=window))
    if outcome:
        queryset = queryset.filter(review_outcome_q(outcome=outcome, today=today))
    if organisation:
        queryset = queryset.filter(organisation_id=organisation)
    return queryset
