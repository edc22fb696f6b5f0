"""The review list's filters: the planning year, window and outcome of the
reviews report's figures, and the organisation (django-filter)."""

from datetime import date

import django_filters
from django import forms
from django.db.models import QuerySet

from planning.models import PlanningYear
from planning.selectors import REVIEW_OUTCOMES, REVIEW_WINDOWS, review_filter


class ReviewFilter(django_filters.FilterSet):
    year = django_filters.ChoiceFilter(
        choices=[], method="filter_reviews", label="Planning year", empty_label="Any"
    )
    window = django_filters.ChoiceFilter(
        choices=[(w, w) for w in REVIEW_WINDOWS],
        method="filter_reviews",
        label="Window",
        empty_label="Any",
    )
    outcome = django_filters.ChoiceFilter(
        choices=REVIEW_OUTCOMES,
        method="filter_reviews",
        label="Outcome",
        empty_label="Any",
    )
    organisation = django_filters.NumberFilter(
        method="filter_reviews", widget=forms.HiddenInput
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.form.fields["year"].choices = [
            (label, label)
            for label in PlanningYear.objects.order_by("-start").values_list(
                "label", flat=True
            )
        ]
        for name in ("year", "window", "outcome"):
            self.form.fields[name].widget.attrs["class"] = "form-select"

    def filter_reviews(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if value in (None, ""):
            return queryset
        return review_filter(queryset=queryset, today=self.today, **{name: value})
