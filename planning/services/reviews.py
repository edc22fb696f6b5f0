"""Planning years, milestones and the reviews they schedule."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ceop_crm.exceptions import ApplicationError
from planning.models import (
    Milestone,
    MilestoneKind,
    MilestoneTemplate,
    PlanningYear,
    Review,
)
from planning.selectors import planning_year_label
from tiers.models import Association, MonitoringFrequency

LABEL_FORMAT = "Give the planning year as YYYY/YY, for example 2027/28."


def _parse_label(label: str) -> int:
    try:
        first, second = label.split("/")
        first_year = int(first)
    except ValueError:
        raise ApplicationError({"label": [LABEL_FORMAT]}) from None
    if len(first) != 4 or second != f"{(first_year + 1) % 100:02d}":
        raise ApplicationError({"label": [LABEL_FORMAT]})
    return first_year


def _template_date(
    first_year: int, month: int, day: int, *, in_next_year: bool = False
) -> dt.date:
    """A template's month and day in the planning year starting in April first_year.

    in_next_year puts it a year later: a step of this year that falls after its
    end, like the fourth quarter's review in April.
    """
    year = first_year if month >= 4 else first_year + 1
    year += 1 if in_next_year else 0
    try:
        return dt.date(year, month, day)
    except ValueError:
        # 29 February and the like fall back to the month's last day.
        return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def _report_figures_changed() -> None:
    """The reviews per quarter count these rows: bump the figures' version on
    commit, as partners.signals does for the writes that send signals."""
    from partners.reports import report_figures_invalidate

    transaction.on_commit(report_figures_invalidate)


@transaction.atomic
def planning_year_open(*, label: str) -> PlanningYear:
    """Create a planning year with the milestones of the template; an existing one is kept."""
    first_year = _parse_label(label)
    year, created = PlanningYear.objects.get_or_create(
        label=label,
        defaults={
            "start": dt.date(first_year, 4, 1),
            "end": dt.date(first_year + 1, 3, 31),
        },
    )
    if created:
        # The milestones' bulk insert sends no post_save; the new year's does
        # (partners.signals), in the same transaction.
        Milestone.objects.bulk_create(
            Milestone(
                planning_year=year,
                kind=t.kind,
                name=t.name,
                description=t.description,
                date=_template_date(
                    first_year, t.month, t.day, in_next_year=t.in_next_year
                ),
                end_date=(
                    _template_date(
                        first_year,
                        t.end_month,
                        t.end_day,
                        in_next_year=t.in_next_year,
                    )
                    if t.end_month and t.end_day
                    else None
                ),
                quarter=t.quarter,
                audience=t.audience,
                reminder_lead_days=t.reminder_lead_days,
            )
            for t in MilestoneTemplate.objects.order_by("order")
        )
    return year


def planning_years_ensure(*, today: dt.date) -> list[PlanningYear]:
    """The current and the next planning year, opened when missing."""
    label = planning_year_label(today)
    next_label = planning_year_label(
        dt.date(today.year + (1 if today.month >= 4 else 0), 4, 1)
    )
    return [planning_year_open(label=label), planning_year_open(label=next_label)]


def _windows_for(frequency: str, milestones: list[Milestone]) -> list[Milestone]:
    if frequency == MonitoringFrequency.QUARTERLY:
        kind = MilestoneKind.QUARTERLY_MONITORING
    elif frequency == MonitoringFrequency.ANNUAL:
        kind = MilestoneKind.ANNUAL_MONITORING
    else:
        return []
    return [m for m in milestones if m.kind == kind]


def _reviews_association(milestone: Milestone, association: Association) -> bool:
    """Whether a window reviews the association: it closes after the association
    starts, and the association started within the year the window reviews (an
    association that starts in April owes no review of the year that ended)."""
    return (
        milestone.closes_on >= association.start
        and association.start <= milestone.planning_year.end
    )


def review_windows(
    *, today: dt.date, years: list[PlanningYear] | None = None
) -> list[Milestone]:
    """The monitoring windows reviews_schedule keeps reviews in, by date: those
    of the current and next planning year (or of ``years``)."""
    in_years = Q()
    if years is None:
        years = planning_years_ensure(today=today)
        # A window may close after its year has ended (the fourth quarter's
        # review in April): the year it reviews keeps it until it closes.
        in_years = Q(planning_year__end__lt=today) & (
            Q(end_date__gte=today) | Q(end_date__isnull=True, date__gte=today)
        )
    return list(
        Milestone.objects.filter(
            Q(planning_year__in=years) | in_years,
            kind__in=[
                MilestoneKind.QUARTERLY_MONITORING,
                MilestoneKind.ANNUAL_MONITORING,
            ],
        )
        .select_related("planning_year")
        .order_by("date")
    )


def windows_wanted(
    association: Association, milestones: list[Milestone]
) -> list[Milestone]:
    """The windows of ``milestones`` that review a current association: its
    tier's monitoring windows, from the year it started in."""
    return [
        m
        for m in _windows_for(association.tier.monitoring_frequency, milestones)
        if _reviews_association(m, association)
    ]


@transaction.atomic
def reviews_schedule(
    *,
    organisation_ids: Iterable[int] | None = None,
    today: dt.date | None = None,
    years: list[PlanningYear] | None = None,
) -> dict[str, int]:
    """Bring the reviews of the current and next planning year in line with the associations.

    Reviews are created for the monitoring windows of each current association's
    tier, moved when a window's date or the association changes, and cancelled
    with a reason when no longer wanted; never deleted. Running it again changes
    nothing. Works in a fixed number of queries for any number of organisations.
    ``years`` schedules those planning years instead (open_planning_year).
    """
    today = today or timezone.localdate()
    milestones = review_windows(today=today, years=years)
    associations = Association.objects.select_related("tier").filter(end__isnull=True)
    reviews = Review.objects.filter(
        milestone__in=milestones, status=Review.Status.SCHEDULED
    ).select_related("association")
    ended = Association.objects.filter(end__isnull=False)
    if organisation_ids is not None:
        organisation_ids = list(organisation_ids)
        associations = associations.filter(organisation_id__in=organisation_ids)
        reviews = reviews.filter(organisation_id__in=organisation_ids)
        ended = ended.filter(organisation_id__in=organisation_ids)

    # A window whose review is already completed needs no other (the unique
    # key counts completed reviews as live).
    completed = Review.objects.filter(
        milestone__in=milestones, status=Review.Status.COMPLETED
    )
    if organisation_ids is not None:
        completed = completed.filter(organisation_id__in=organisation_ids)
    done = set(completed.values_list("organisation_id", "milestone_id"))

    current_by_org = {a.organisation_id: a for a in associations}
    live_by_org: dict[int, dict[int, Review]] = defaultdict(dict)
    for review in reviews:
        live_by_org[review.organisation_id][review.milestone_id] = review
    last_end: dict[int, Association] = {}
    for a in ended.order_by("end"):
        last_end[a.organisation_id] = a

    to_create: list[Review] = []
    to_update: list[Review] = []
    counts = {"created": 0, "moved": 0, "cancelled": 0}
    for org_id in set(current_by_org) | set(live_by_org):
        association = current_by_org.get(org_id)
        wanted = {}
        if association is not None:
            wanted = {m.pk: m for m in windows_wanted(association, milestones)}
        live = live_by_org.get(org_id, {})
        for milestone_id, review in live.items():
            milestone = next(m for m in milestones if m.pk == milestone_id)
            if milestone_id in wanted:
                if (
                    review.association_id != association.pk
                    or review.due_on != milestone.closes_on
                ):
                    review.association = association
                    review.due_on = milestone.closes_on
                    to_update.append(review)
                    counts["moved"] += 1
                continue
            owed_by = review.association
            if owed_by.end is not None and (
                milestone.closes_on <= owed_by.end
                or owed_by.end >= milestone.planning_year.end
            ):
                # Due while its association was current, or reviewing a year the
                # association lasted to its end (the fourth quarter, reviewed in
                # April): still owed, kept as it is.
                continue
            review.status = Review.Status.CANCELLED
            if association is None:
                ended_assoc = last_end.get(org_id)
                when = f" on {ended_assoc.end:%d/%m/%Y}" if ended_assoc else ""
                review.cancelled_reason = f"The association ended{when}."
            elif not _reviews_association(milestone, association):
                review.cancelled_reason = (
                    f"Replaced by the {association.tier.name} association "
                    f"from {association.start:%d/%m/%Y}."
                )
            else:
                review.cancelled_reason = (
                    f"A {association.tier.name} is reviewed "
                    f"{association.tier.get_monitoring_frequency_display().lower()}."
                )
            to_update.append(review)
            counts["cancelled"] += 1
        for milestone_id, milestone in wanted.items():
            if milestone_id not in live and (org_id, milestone_id) not in done:
                to_create.append(
                    Review(
                        organisation_id=org_id,
                        association=association,
                        milestone=milestone,
                        due_on=milestone.closes_on,
                    )
                )
                counts["created"] += 1
    if to_update:
        bulk_update_with_history(
            to_update,
            Review,
            ["association", "due_on", "status", "cancelled_reason", "updated_at"],
            batch_size=1000,
        )
    if to_create:
        bulk_create_with_history(to_create, Review, batch_size=1000)
    if to_update or to_create:
        _report_figures_changed()
    return counts


@transaction.atomic
def review_complete(
    *,
    review: Review,
    actor: AbstractBaseUser,
    progress: str,
    benefits_to_ceop: str,
    benefits_to_partner: str,
    recommendation: str,
    completed_on: dt.date | None = None,
) -> Review:
    """Record CEOP's assessment of a review."""
    return _complete(
        review,
        actor=actor,
        progress=progress,
        benefits_to_ceop=benefits_to_ceop,
        benefits_to_partner=benefits_to_partner,
        recommendation=recommendation,
        completed_on=completed_on,
        imported=False,
    )


def _complete(
    review: Review,
    *,
    actor: AbstractBaseUser,
    progress: str,
    benefits_to_ceop: str,
    benefits_to_partner: str,
    recommendation: str,
    completed_on: dt.date | None,
    imported: bool,
) -> Review:
    """Complete a review. ``imported``: the date comes from the records of a
    review held before this system, and is taken as it is."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    completed_on = completed_on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if review.status != Review.Status.SCHEDULED:
        errors["__all__"] = [f"This review is {review.get_status_display().lower()}."]
    for field, value in (
        ("progress", progress),
        ("benefits_to_ceop", benefits_to_ceop),
        ("benefits_to_partner", benefits_to_partner),
    ):
        if not value.strip():
            errors[field] = ["This field is required to complete the review."]
    if recommendation not in Review.Recommendation.values:
        errors["recommendation"] = ["Choose a recommendation."]
    today = timezone.localdate()
    if completed_on > today:
        errors["completed_on"] = ["A review cannot be completed in the future."]
    elif not imported and review.due_on < today and completed_on <= review.due_on:
        # Recorded after its due date, a review was not done on time: dating it
        # back would count it as on time in the reviews report. A review held
        # before this system keeps the date its records give.
        errors["completed_on"] = [
            f"This review was due on {review.due_on:%d/%m/%Y} and is recorded "
            "after it: date its completion after the due date."
        ]
    if errors:
        raise ApplicationError(errors)
    review.status = Review.Status.COMPLETED
    review.completed_on = completed_on
    review.conducted_by = actor
    review.progress = progress.strip()
    review.benefits_to_ceop = benefits_to_ceop.strip()
    review.benefits_to_partner = benefits_to_partner.strip()
    review.recommendation = recommendation
    review.imported = imported
    review._history_user = actor
    review.full_clean()
    review.save()
    return review


@transaction.atomic
def review_record_past(
    *,
    association: Association,
    completed_on: dt.date,
    actor: AbstractBaseUser,
    progress: str,
    benefits_to_ceop: str,
    benefits_to_partner: str,
    recommendation: str,
) -> Review:
    """Record a review held before it was in this system (an import of history).

    Its completion date is the one its records give, before or after the due
    date (an on-time review stays on time in the reports), and the review is
    marked as imported.

    The review falls in the monitoring window of its planning year that holds the
    date (or the last window opened before it); a review already in that window
    is completed, if still scheduled, or returned, if completed that day.
    """
    tier = association.tier
    if tier.monitoring_frequency == MonitoringFrequency.NONE:
        raise ApplicationError({"completed_on": [f"A {tier.name} has no reviews."]})
    if completed_on < association.start or (
        association.end is not None and completed_on > association.end
    ):
        raise ApplicationError(
            {
                "completed_on": [
                    "The review date is outside the association "
                    f"({tier.name} from {association.start:%d/%m/%Y})."
                ]
            }
        )
    year = planning_year_open(label=planning_year_label(completed_on))
    windows = _windows_for(
        tier.monitoring_frequency,
        list(Milestone.objects.filter(planning_year=year).order_by("date")),
    )
    if not windows:
        raise ApplicationError(
            {"completed_on": [f"Planning year {year.label} has no monitoring window."]}
        )
    opened = [m for m in windows if m.date <= completed_on]
    milestone = opened[-1] if opened else windows[0]
    review = (
        Review.objects.select_for_update()
        .filter(organisation_id=association.organisation_id, milestone=milestone)
        .exclude(status=Review.Status.CANCELLED)
        .first()
    )
    if review is not None and review.status == Review.Status.COMPLETED:
        if review.completed_on == completed_on:
            return review
        raise ApplicationError(
            {
                "completed_on": [
                    f"The {milestone.name} review was completed on "
                    f"{review.completed_on:%d/%m/%Y}."
                ]
            }
        )
    if review is None:
        review = Review(
            organisation_id=association.organisation_id,
            association=association,
            milestone=milestone,
            due_on=milestone.closes_on,
        )
        review._history_user = actor
        review.full_clean()
        review.save()
    return _complete(
        review,
        actor=actor,
        progress=progress,
        benefits_to_ceop=benefits_to_ceop,
        benefits_to_partner=benefits_to_partner,
        recommendation=recommendation,
        completed_on=completed_on,
        imported=True,
    )
