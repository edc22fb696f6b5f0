"""Writes and rules of the business planning cycle.

reviews: planning years, milestones and the reviews they schedule.
"""

from planning.services.reviews import (
    planning_year_open,
    planning_years_ensure,
    review_complete,
    reviews_schedule,
)

__all__ = [
    "planning_year_open",
    "planning_years_ensure",
    "review_complete",
    "reviews_schedule",
]
