"""The organisation list's search, filters and sorting (django-filter)."""

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, QuerySet
from django.utils import timezone

from partners.models import Contribution, MoU, Organisation, Sector
from partners.reports.base import AGREED_SUPPORT
from partners.reports.base import _year as planning_year
from partners.reports.figures import report_figures_cached
from partners.selectors import (
    OrganisationRowsByNextReview,
    OrganisationRowsOfIds,
    OrganisationRowsPaged,
    organisation_filter_at_risk,
    organisation_filter_level_in_year,
    organisation_filter_mou_state,
    organisation_filter_mou_status,
    organisation_next_review_due,
    organisation_overdue_reviews,
    organisation_search_condition,
    organisation_search_ids,
    staff_user_list,
)
from planning.models import Review
from priorities.models import PriorityArea
from tiers.models import Association, TierLevel

MOU_STATES = [
    ("in_force", "Signed and in force"),
    ("ending", "Ending within 90 days"),
    ("drafting", "Draft or in negotiation"),
    ("lapsed", "Expired or terminated, none in force"),
    ("none", "No MoU"),
]
SORTS = {
    "name": ("name", "Name A–Z"),
    "-name": ("-name", "Name Z–A"),
    "tier": ("tier", "Level, highest first"),
    "owner": ("owner", "Owner"),
    "next_review": ("next_review", "Next review due"),
    "overdue": ("overdue", "Most overdue reviews"),
    "-updated": ("-updated", "Recently changed"),
}


def _priority_area_choices() -> list[tuple]:
    return [(a.pk, str(a)) for a in PriorityArea.objects.order_by("number")]


def _choice_lists() -> dict[str, list[tuple]]:
    """The select boxes' options as plain lists, one small query each, shared
    between requests until a change to the levels, the priority areas or the
    staff commits (partners.reports.figures; partners.signals).

    Plain lists, not model querysets or callables: a form reads its choices twice
    (to check the value and to render the select), and a model choice field reads
    them through a server-side cursor.
    """
    return report_figures_cached(
        "choices:organisation-list",
        today=timezone.localdate(),
        build=_choice_lists_read,
    )


def _choice_lists_read() -> dict[str, list[tuple]]:
    areas = _priority_area_choices()
    return {
        "tier": [
            *TierLevel.objects.order_by("-rank").values_list("code", "name"),
            ("none", "No current level"),
        ],
        "owner": [
            (u.pk, u.get_full_name() or u.get_username()) for u in staff_user_list()
        ],
        "priority_area": areas,
        "supports": areas,
    }


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label="Search",
        widget=forms.TextInput(
            attrs={"placeholder": "Name or contact", "type": "search"}
        ),
    )
    tier = django_filters.ChoiceFilter(
        choices=[], method="filter_tier", label="Level", empty_label="Any"
    )
    sector = django_filters.ChoiceFilter(choices=Sector.choices, empty_label="Any")
    status = django_filters.ChoiceFilter(
        choices=Organisation.Status.choices, empty_label="Any"
    )
    owner = django_filters.ChoiceFilter(
        choices=[], method="filter_owner", empty_label="Anyone"
    )
    priority_area = django_filters.ChoiceFilter(
        choices=[],
        method="filter_priority_area",
        label="Priority area",
        empty_label="Any",
    )
    supports = django_filters.ChoiceFilter(
        choices=[],
        method="filter_supports",
        label="Agreed support to",
        empty_label="Any",
    )
    associated = django_filters.BooleanFilter(
        method="filter_associated",
        label="Associated",
        widget=forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")]),
    )
    mou = django_filters.ChoiceFilter(
        choices=MOU_STATES, method="filter_mou", label="MoU", empty_label="Any"
    )
    # Only from the reports' links (hidden, kept when other filters change).
    mou_status = django_filters.ChoiceFilter(
        choices=MoU.Status.choices,
        method="filter_mou_status",
        label="Holds an MoU in the state",
        widget=forms.HiddenInput,
    )
    in_year = django_filters.CharFilter(
        method="filter_in_year",
        label="Associated in the planning year",
        widget=forms.HiddenInput,
        validators=[
            RegexValidator(r"^\d{4}/\d{2}$", "A planning year, such as 2025/26.")
        ],
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label="Review overdue",
        widget=forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")]),
    )
    at_risk = django_filters.BooleanFilter(
        method="filter_at_risk",
        label="At risk",
        widget=forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")]),
    )
    sort = django_filters.ChoiceFilter(
        choices=[(k, v[1]) for k, v in SORTS.items()],
        method="filter_sort",
        label="Sort by",
        empty_label="Name A–Z",
    )

    class Meta:
        model = Organisation
        fields = ["q", "tier", "sector", "status", "owner", "priority_area", "mou"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        self._searched: dict = {}
        for name, choices in _choice_lists().items():
            self.form.fields[name].choices = choices
        for name, field in self.form.fields.items():
            css = "form-control" if name == "q" else "form-select"
            field.widget.attrs.setdefault("class", css)

    @property
    def qs(self):
        """The filtered list, paged on its ids (OrganisationRowsPaged): the
        ids from a lean query (the filters, and only what the ordering needs),
        the list's figures for a page's rows only.

        The page's rows are read by id from the unfiltered list: the filters
        were applied to the ids, and repeating them only adds planning time.
        """
        if not (self.is_bound and self.form.is_valid()):
            return OrganisationRowsPaged(ids=self.lean(None), rows=self.queryset)
        sort = self.form.cleaned_data.get("sort")
        searched = self._searched_ids()
        if searched is not None:
            # Only a search, in name order: its matches are known in order.
            return OrganisationRowsOfIds(ids=searched, rows=self.queryset)
        ids = self.filter_queryset(self.lean(sort))
        if sort == "next_review":
            return OrganisationRowsByNextReview(
                ids=ids, rows=self.queryset, today=self.today
            )
        return OrganisationRowsPaged(ids=ids, rows=self.queryset)

    def counted(self) -> QuerySet[Organisation]:
        """The filters on the bare table, without the sort: the number of rows
        needs no ordering, and the bare table has none of the figures the
        sorts order by (``-overdue_reviews`` cannot even be named on it)."""
        queryset = Organisation.objects.all()
        for name, value in self.form.cleaned_data.items():
            if name != "sort":
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def lean(self, sort: str | None) -> QuerySet[Organisation]:
        """The organisations with only the figure the sort orders by."""
        lean = Organisation.objects.order_by("name", "pk")
        if sort == "next_review":
            return lean.annotate(
                next_review_due=organisation_next_review_due(today=self.today)
            )
        if sort == "overdue":
            return lean.annotate(
                overdue_reviews=organisation_overdue_reviews(today=self.today)
            )
        if sort == "tier":
            return lean.annotate(
                current=FilteredRelation(
                    "associations", condition=Q(associations__end__isnull=True)
                ),
                tier_rank=F("current__tier__rank"),
            )
        return lean

    def _searched_ids(self) -> list[int] | None:
        """A search's matches in name order (organisation_search_ids) when the
        list is only searched and sorted by name; else None."""
        data = self.form.cleaned_data
        text = data.get("q") or ""
        if data.get("sort") or not text.strip():
            return None
        if any(
            self.data.get(name)
            for name in self.form.fields
            if name not in ("q", "sort")
        ):
            return None
        return self._search(text)[0]

    def _search(self, value: str) -> tuple[list[int] | None, object]:
        """A search's matches in order (or None) and its condition, read once
        for the list's page and its count alike."""
        if value not in self._searched:
            ids = organisation_search_ids(text=value)
            condition = organisation_search_condition(text=value, ids=ids)
            self._searched[value] = (ids, condition)
        return self._searched[value]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Found once for the list's ids and again for its count: the matches
        # are read once (organisation_search_ids).
        condition = self._search(value)[1]
        return queryset if condition is None else queryset.filter(condition)

    def filter_tier(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if self.form.cleaned_data.get("in_year"):
            # The level held in that year, not today (filter_in_year).
            return queryset
        # A semi-join on the current association, not a compare with the
        # annotation: the planner can then drive it from the index.
        current = Association.objects.filter(
            organisation=OuterRef("pk"), end__isnull=True
        )
        if value == "none":
            return queryset.exclude(Exists(current))
        return queryset.filter(Exists(current.filter(tier__code=value)))

    def filter_owner(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(owner=value) if value else queryset

    def filter_priority_area(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(
            Exists(
                Contribution.objects.filter(
                    organisation=OuterRef("pk"), priority_areas=value
                )
            )
        )

    def filter_supports(self, queryset: QuerySet, name: str, value) -> QuerySet:
        """Agreed support (agreed, delivering or completed) to a priority area,
        as the coverage report counts its organisations."""
        if not value:
            return queryset
        return queryset.filter(
            Exists(
                Contribution.objects.filter(
                    organisation=OuterRef("pk"),
                    priority_areas=value,
                    status__in=AGREED_SUPPORT,
                )
            )
        )

    def filter_associated(self, queryset: QuerySet, name: str, value) -> QuerySet:
        """A current association at a level that is one (never a supplier)."""
        if value is None:
            return queryset
        associated = Exists(
            Association.objects.filter(
                organisation=OuterRef("pk"), end__isnull=True, tier__is_association=True
            )
        )
        return queryset.filter(associated if value else ~associated)

    def filter_mou_status(self, queryset: QuerySet, name: str, value: str):
        return organisation_filter_mou_status(queryset=queryset, status=value)

    def filter_in_year(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        _label, start, end = planning_year(value, self.today)
        tier = self.form.cleaned_data.get("tier")
        if tier == "none":
            return queryset.none()
        return organisation_filter_level_in_year(
            queryset=queryset, start=start, end=end, tier=tier or None
        )

    def filter_mou(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return organisation_filter_mou_state(
            queryset=queryset, state=value, today=self.today
        )

    def filter_overdue(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if value is None:
            return queryset
        overdue = Review.objects.filter(
            organisation=OuterRef("pk"),
            status=Review.Status.SCHEDULED,
            due_on__lt=self.today,
        )
        return queryset.filter(Exists(overdue) if value else ~Exists(overdue))

    def filter_at_risk(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if value is None:
            return queryset
        return organisation_filter_at_risk(
            queryset=queryset, today=self.today, at_risk=value
        )

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        orderings = {
            "name": ["name", "pk"],
            "-name": ["-name", "-pk"],
            "tier": [F("tier_rank").desc(nulls_last=True), "name", "pk"],
            "owner": [
                F("owner__first_name").asc(nulls_last=True),
                "owner__last_name",
                "name",
                "pk",
            ],
            "next_review": [F("next_review_due").asc(nulls_last=True), "name", "pk"],
            "overdue": ["-overdue_reviews", "name", "pk"],
            "-updated": ["-updated_at", "pk"],
        }
        return queryset.order_by(*orderings.get(value, ["name", "pk"]))


class ProposalFilterForm(forms.Form):
    """The proposal list's filter beside its status tabs: the priority area a
    proposal serves (where the coverage report's figures lead)."""

    priority_area = forms.TypedChoiceField(
        choices=[], coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["priority_area"]
        field.label = "Priority area"
        field.choices = [("", "Any"), *_priority_area_choices()]
        field.widget.attrs["class"] = "form-select"
