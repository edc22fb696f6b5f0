"""The review list as a list people work with (``ceop_crm.lists``): which
reviews (due, overdue, coming up, completed, all) and whose, sortable columns,
saved views, export, and a follow-up task for the ticked reviews."""

import datetime as dt

from django.db.models import F
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from activities.bulk import add_task_action
from ceop_crm.lists import cells
from ceop_crm.lists.spec import DESCENDING, Column, Listing, ListSpec, Sort
from ceop_crm.paths import pk_path
from partners.reports.figures import report_figures_cached, report_figures_version
from partners.selectors import organisation_related_filter_mine
from partners.templatetags.workspace import tier_badge
from planning.filters import ReviewFilter
from planning.models import Review
from planning.selectors import review_list, review_list_due, review_list_has_mine

SHOW = [
    ("due", "Due this month and overdue"),
    ("overdue", "Overdue"),
    ("upcoming", "Coming up"),
    ("completed", "Completed"),
    ("all", "All"),
]
SCOPES = [("mine", "Mine"), ("all", "Everyone's")]


def review_listing(*, user, params: QueryDict, today: dt.date) -> Listing:
    # Read before anything the count reads: it is kept under this version,
    # never a newer one (as the organisation list's).
    version = report_figures_version()
    show = params.get("show", "due")
    if show not in ("overdue", "upcoming", "completed", "all"):
        show = "due"
    scope = params.get("scope")
    if scope not in ("mine", "all"):
        # As on the dashboard: one's own first, everyone's when one has none.
        scope = "mine" if review_list_has_mine(user=user) else "all"
    mine = scope == "mine"

    def which(mine: bool):
        rows = review_list(user=user, mine=mine)
        scheduled = rows.filter(status=Review.Status.SCHEDULED)
        if show == "overdue":
            rows = scheduled.filter(due_on__lt=today)
        elif show == "upcoming":
            rows = scheduled.filter(due_on__gte=today)
        elif show == "completed":
            rows = rows.filter(status=Review.Status.COMPLETED).order_by(
                "-completed_on", "-pk"
            )
        elif show == "due":
            rows = review_list_due(today=today, user=user, mine=mine)
        if params.get("q"):
            rows = rows.filter(organisation__name__icontains=params["q"])
        return rows

    rows = which(mine)
    # The filters a report's figure links with (partners/reports).
    filterset = ReviewFilter(params or None, queryset=rows, today=today)
    filtered = filterset.is_bound and filterset.is_valid()
    if filtered:
        rows = filterset.qs
    if params.get("sort") in REVIEWS.sorts:
        rows = REVIEWS.order(rows, params)

    def counted() -> int:
        """One's own reviews counted from the owner and deputy indexes
        (organisation_related_filter_mine), not by joining every one of
        one's organisations from the table."""
        counted = which(False)
        if filtered:
            counted = filterset.filter_queryset(counted)
        if mine:
            counted = organisation_related_filter_mine(queryset=counted, user=user)
        return counted.order_by().count()

    # Named by what it counts: which reviews, whose, the search and the
    # filters (the sort is not one). Shared between requests until a change to
    # what it reads commits: reviews, organisations (their owners, deputies
    # and names), milestones and planning years (partners.signals).
    named = [("show", show), ("whose", user.pk if mine else "all")]
    named.append(("q", params.get("q") or ""))
    if filtered:
        named += sorted(
            (name, "" if value is None else str(value))
            for name, value in filterset.form.cleaned_data.items()
        )

    def count() -> int:
        return report_figures_cached(
            "count:reviews:" + urlencode(named),
            today=today,
            build=counted,
            version=version,
        )

    return Listing(
        counter=count,
        form=None,
        rows=_joined_for_the_page(rows),
        context={
            "show": show,
            "mine": mine,
            "extra_form": filterset.form,
            "selects": [
                {"name": "show", "label": "Which", "choices": SHOW, "value": show},
                {
                    "name": "scope",
                    "label": "Whose",
                    "choices": SCOPES,
                    "value": scope,
                },
            ],
        },
    )


def _joined_for_the_page(rows):
    """What the list's columns read, with the two small tables (levels and
    planning years) read apart: joined, the statement has nine tables and
    PostgreSQL spends longer choosing their order (about 8 ms at any size)
    than reading the page (under 1 ms)."""
    return (
        rows.select_related(None)
        .select_related(
            "organisation__owner", "association", "milestone", "self_assessment"
        )
        .prefetch_related("association__tier", "milestone__planning_year")
    )


def _status(review: Review) -> str:
    if review.status == Review.Status.COMPLETED and review.completed_on:
        return f"Completed {review.completed_on:%d/%m/%Y}"
    return review.get_status_display()


def _self_assessment(review: Review) -> str:
    try:
        assessment = review.self_assessment
    except Review.self_assessment.RelatedObjectDoesNotExist:
        return ""
    return assessment.get_status_display()


def _owner(review: Review) -> str:
    owner = review.organisation.owner
    return "" if owner is None else (owner.get_full_name() or owner.get_username())


def _organisation_cell(review: Review, value, today) -> SafeString:
    return format_html(
        '<a href="{}">{}</a><div class="small text-body-secondary d-md-none">{} {}</div>',
        pk_path("planning:review_detail")(review.pk),
        value,
        review.milestone.name,
        review.milestone.planning_year.label,
    )


def _status_cell(review: Review, value, today) -> SafeString:
    if review.status == Review.Status.COMPLETED:
        return format_html(
            '<span class="badge text-bg-success">Completed {}</span>',
            cells.date(review.completed_on),
        )
    if review.status == Review.Status.CANCELLED:
        return mark_safe('<span class="badge text-bg-secondary">Cancelled</span>')
    if review.due_on < today:
        return mark_safe('<span class="badge text-bg-danger">Overdue</span>')
    return mark_safe('<span class="badge text-bg-light border">Scheduled</span>')


def _or_dash(row, value, today) -> SafeString:
    return cells.text(value or "—")


REVIEWS = ListSpec(
    name="reviews",
    title="Reviews",
    url_name="planning:review_list",
    noun="review",
    noun_plural="reviews",
    columns=[
        Column(
            "organisation",
            "Organisation",
            lambda r: r.organisation.name,
            ("organisation", "-organisation"),
            render=_organisation_cell,
        ),
        Column(
            "window",
            "Window",
            lambda r: f"{r.milestone.name} {r.milestone.planning_year.label}",
            (),
            "d-none d-md-table-cell",
            lambda r, value, today: format_html('<span class="small">{}</span>', value),
        ),
        Column(
            "due", "Due", lambda r: r.due_on, ("due", "-due"), render=cells.small_date
        ),
        Column(
            "level",
            "Level",
            lambda r: r.association.tier.name,
            ("level",),
            "d-none d-md-table-cell",
            lambda r, value, today: tier_badge(
                r.association.tier.code, r.association.tier.name
            ),
        ),
        Column(
            "owner", "Owner", _owner, ("owner",), "d-none d-lg-table-cell", _or_dash
        ),
        Column("status", "Status", _status, ("status",), render=_status_cell),
        Column(
            "self_assessment",
            "Self-assessment",
            _self_assessment,
            (),
            "d-none d-md-table-cell",
            lambda r, value, today: format_html(
                '<span class="small">{}</span>', value or "—"
            ),
        ),
    ],
    sorts={
        "organisation": Sort(("organisation__name", "due_on", "pk")),
        "-organisation": Sort(("-organisation__name", "due_on", "pk"), DESCENDING),
        "due": Sort(("due_on", "pk")),
        "-due": Sort(("-due_on", "-pk"), DESCENDING),
        "level": Sort(
            (F("association__tier__rank").desc(), "due_on", "pk"), DESCENDING
        ),
        "owner": Sort(
            (
                F("organisation__owner__first_name").asc(nulls_last=True),
                "organisation__owner__last_name",
                "due_on",
                "pk",
            )
        ),
        "status": Sort(("status", "due_on", "pk")),
    },
    default_sort="due",
    listing=review_listing,
    row_label=lambda r: f"{r.organisation.name}, {r.milestone.name}",
    bulk_actions=[
        add_task_action(
            organisation_of=lambda r: r.organisation, links=lambda r: {"review": r}
        )
    ],
    bulk_rows=lambda ids: review_list().filter(pk__in=ids),
)
