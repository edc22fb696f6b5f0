"""The tier move list as a list people work with (``ceop_crm.lists``): by
status, searchable, sortable, saved views and export. No bulk action: each move
is decided on its own evidence."""

import datetime as dt

from django.db.models import F
from django.http import QueryDict
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from ceop_crm.lists import cells
from ceop_crm.lists.spec import DESCENDING, Column, Listing, ListSpec, Sort
from partners.templatetags.workspace import person, tier_badge
from tiers.models import TierChange
from tiers.selectors import tier_change_list

STATUSES = [*TierChange.Status.choices, ("all", "All")]


def tier_change_listing(*, user, params: QueryDict, today: dt.date) -> Listing:
    status = params.get("status", TierChange.Status.PENDING)
    if status not in TierChange.Status.values and status != "all":
        status = TierChange.Status.PENDING
    rows = tier_change_list(status=None if status == "all" else status)
    if params.get("q"):
        rows = rows.filter(organisation__name__icontains=params["q"])
    return Listing(
        form=None,
        rows=TIER_MOVES.order(rows, params),
        context={
            "status": status,
            "selects": [
                {
                    "name": "status",
                    "label": "Status",
                    "choices": STATUSES,
                    "value": status,
                }
            ],
        },
    )


def _person(user) -> str:
    return "" if user is None else (user.get_full_name() or user.get_username())


def _move(change: TierChange) -> str:
    before = (
        change.from_association.tier.name if change.from_association else "No level"
    )
    after = change.to_tier.name if change.to_tier else "End association"
    return f"{before} → {after}"


def _move_cell(change: TierChange, value, today) -> SafeString:
    before = change.from_association.tier.name if change.from_association else ""
    after = (
        tier_badge(change.to_tier.code, change.to_tier.name)
        if change.to_tier
        else mark_safe('<span class="badge text-bg-dark">End association</span>')
    )
    return format_html(
        '{} <i class="bi bi-arrow-right" aria-hidden="true"></i>'
        '<span class="visually-hidden">to</span> {}',
        before or "No level",
        after,
    )


STATUS_BADGES = {
    TierChange.Status.APPROVED: "text-bg-success",
    TierChange.Status.PENDING: "text-bg-warning",
    TierChange.Status.REJECTED: "text-bg-danger",
}


TIER_MOVES = ListSpec(
    name="tier-moves",
    title="Tier moves",
    url_name="tiers:tier_change_list",
    noun="tier move",
    noun_plural="tier moves",
    columns=[
        Column(
            "organisation",
            "Organisation",
            lambda c: c.organisation.name,
            ("organisation", "-organisation"),
            render=cells.link("tiers:tier_change_detail", lambda c: c.pk),
        ),
        Column("move", "Move", _move, ("to_level",), render=_move_cell),
        Column(
            "effective",
            "Takes effect",
            lambda c: c.effective_date,
            ("effective", "-effective"),
            "d-none d-sm-table-cell",
            cells.small_date,
        ),
        Column(
            "requested_by",
            "Asked by",
            lambda c: _person(c.requested_by),
            (),
            "d-none d-md-table-cell",
            lambda c, value, today: format_html(
                '<span class="small">{}</span>', person(c.requested_by)
            ),
        ),
        Column(
            "asked_on",
            "Asked on",
            lambda c: timezone.localtime(c.created_at).date(),
            ("-asked", "asked"),
            "d-none d-md-table-cell",
            cells.small_date,
        ),
        Column(
            "status",
            "Status",
            lambda c: c.get_status_display(),
            ("status",),
            render=cells.badge(STATUS_BADGES, "text-bg-secondary"),
        ),
    ],
    sorts={
        "organisation": Sort(("organisation__name", "-created_at", "-pk")),
        "-organisation": Sort(
            ("-organisation__name", "-created_at", "-pk"), DESCENDING
        ),
        "to_level": Sort(
            (F("to_tier__rank").desc(nulls_last=True), "-created_at", "-pk"),
            DESCENDING,
        ),
        "effective": Sort(("effective_date", "pk")),
        "-effective": Sort(("-effective_date", "-pk"), DESCENDING),
        "-asked": Sort(("-created_at", "-pk"), DESCENDING),
        "asked": Sort(("created_at", "pk")),
        "status": Sort(("status", "-created_at", "-pk")),
    },
    default_sort="-asked",
    listing=tier_change_listing,
    row_label=lambda c: c.organisation.name,
)
