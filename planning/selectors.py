"""Reads of the planning app."""

from datetime import date

from django.db.models import QuerySet

from planning.models import Milestone, PlanningYear, Review


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
