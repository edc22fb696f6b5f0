"""The organisation and proposal lists as lists people work with
(``ceop_crm.lists``): their columns, sorts, filters and bulk actions.

The filters stay where they were (``partners.filters`` for organisations, the
status of a proposal); rows come from the selectors.
"""

import datetime as dt

from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from activities.bulk import add_task_action
from ceop_crm.exceptions import ApplicationError
from ceop_crm.lists import cells
from ceop_crm.lists.spec import (
    ASCENDING,
    DESCENDING,
    BulkAction,
    Column,
    Listing,
    ListSpec,
    Sort,
)
from ceop_crm.paths import pk_path
from partners import services
from partners.filters import SORTS, OrganisationFilter, ProposalFilterForm
from partners.models import Organisation, Proposal
from partners.reports.figures import report_figures_version
from partners.selectors import (
    organisation_list,
    organisation_list_by_ids,
    organisation_list_count,
    proposal_list,
    staff_user_list,
)
from partners.templatetags.workspace import (
    MOU_STATE_BADGES,
    mou_state,
    person,
    tier_badge,
)

NO_LEVEL = "No current level"


def _person(user) -> str:
    return "" if user is None else (user.get_full_name() or user.get_username())


def _mou(org) -> str:
    if org.mou_in_force_end:
        return f"Signed, to {org.mou_in_force_end:%d/%m/%Y}"
    badge = MOU_STATE_BADGES.get(org.latest_mou_status)
    return badge[1] if badge else "None"


def _pk(row) -> int:
    return row.pk


def _changed(org) -> dt.date:
    return timezone.localtime(org.updated_at).date()


# --- Organisations ----------------------------------------------------------


def _tier_cell(org, value, today) -> SafeString:
    badge = tier_badge(org.tier_code, org.tier_name)
    reasons = [
        reason
        for reason, flagged in (
            ("No MoU in force", org.at_risk_mou),
            ("No due diligence in force", org.at_risk_due_diligence),
        )
        if flagged
    ]
    if not reasons:
        return badge
    return format_html(
        '{} <span class="badge text-bg-danger" title="{}"><i class="bi '
        'bi-exclamation-triangle" aria-hidden="true"></i> At risk</span>',
        badge,
        "; ".join(reasons),
    )


def _next_review_cell(org, value, today) -> SafeString:
    if org.overdue_reviews:
        return format_html(
            '<span class="badge text-bg-danger">{} overdue</span>', org.overdue_reviews
        )
    if value:
        return cells.small_date(org, value, today)
    return mark_safe('<span class="text-body-secondary small">—</span>')


def organisation_listing(*, user, params: QueryDict, today: dt.date) -> Listing:
    # Read before the filters read anything (the search reads its matches as
    # it is applied): the count is kept under this version, never a newer one.
    version = report_figures_version()
    listed = organisation_list(today=today)
    filterset = OrganisationFilter(params or None, queryset=listed)
    # Counted without the list's joins and columns: the filters are all
    # semi-joins on the organisation, so the bare table gives the same number.
    rows = filterset.qs
    filters: list[tuple[str, list[str]]] = []
    if filterset.is_bound and filterset.is_valid():
        counted = filterset.counted
        filters = [
            (name, params.getlist(name))
            for name in sorted(filterset.form.fields)
            if name != "sort" and any(params.getlist(name))
        ]
    else:
        counted = Organisation.objects.all
    active = [
        (filterset.form[name].label, filterset.form[name].value())
        for name in filterset.form.fields
        if name not in ("sort",) and params.get(name)
    ]
    if hasattr(rows, "share"):
        # A page's ids, shared as the count is: named by the filters and the
        # sort (a search's matches are already shared, in name order).
        sort = ""
        if filterset.is_bound and filterset.is_valid():
            sort = filterset.form.cleaned_data.get("sort") or ""
        rows.share(
            "organisations:" + urlencode([*filters, ("sort", sort)], doseq=True),
            today=today,
            version=version,
        )
    return Listing(
        form=filterset,
        rows=rows,
        counter=lambda: organisation_list_count(
            counted=counted, filters=filters, today=today, version=version
        ),
        context={"active_filters": active},
    )


def _ownership(field: str, label: str) -> BulkAction:
    """Owner or deputy, through organisation_update (its rule: the owner or a
    senior manager changes who owns and deputises)."""

    def apply(*, user, data: QueryDict):
        chosen = data.get("person") or ""
        person = (
            staff_user_list().filter(pk=int(chosen)).first()
            if chosen.isdigit()
            else None
        )
        if person is None:
            raise ApplicationError(
                {"person": ["Choose a relationship or senior manager."]}
            )

        def one(organisation: Organisation) -> Organisation:
            return services.organisation_update(
                organisation=organisation, actor=user, **{field: person}
            )

        return one

    return BulkAction(key=field, label=label, apply=apply, fields=("person",))


ORGANISATIONS = ListSpec(
    name="organisations",
    title="Organisations",
    url_name="partners:organisation_list",
    noun="organisation",
    noun_plural="organisations",
    columns=[
        Column(
            "name",
            "Organisation",
            lambda o: o.name,
            ("name", "-name"),
            "org-name",
            cells.link("partners:organisation_detail", _pk, css="fw-semibold"),
        ),
        Column(
            "tier",
            "Level",
            lambda o: o.tier_name or NO_LEVEL,
            ("tier",),
            "org-tier",
            _tier_cell,
        ),
        Column(
            "sector",
            "Sector",
            lambda o: o.get_sector_display(),
            (),
            "org-meta org-sector",
            cells.as_is,
        ),
        Column(
            "status",
            "Status",
            lambda o: o.get_status_display(),
            (),
            "org-meta org-status org-lg",
            cells.as_is,
        ),
        Column(
            "owner",
            "Owner",
            lambda o: _person(o.owner),
            ("owner",),
            "org-meta org-owner",
            lambda o, value, today: cells.text(person(o.owner, "no owner")),
        ),
        Column("mou", "MoU", _mou, (), "org-mou", lambda o, value, today: mou_state(o)),
        Column(
            "next_review",
            "Next review",
            lambda o: o.next_review_due,
            ("next_review",),
            "org-review",
            _next_review_cell,
        ),
        Column(
            "overdue",
            "Overdue reviews",
            lambda o: o.overdue_reviews,
            ("overdue",),
            "org-wide",
            cells.as_is,
        ),
        Column(
            "updated", "Changed", _changed, ("-updated",), "org-wide", cells.small_date
        ),
    ],
    # The orderings themselves are OrganisationFilter.filter_sort's.
    sorts={
        key: Sort(
            (),
            DESCENDING
            if key in ("-name", "tier", "overdue", "-updated")
            else ASCENDING,
        )
        for key in SORTS
    },
    default_sort="name",
    listing=organisation_listing,
    row_label=lambda o: o.name,
    bulk_actions=[
        _ownership("owner", "Assign the owner"),
        _ownership("deputy", "Assign the deputy"),
        add_task_action(),
    ],
    bulk_rows=lambda ids: organisation_list_by_ids(ids=ids),
    # The owner filter's choices: the same managers, read once.
    people=lambda listing: listing.form.form.fields["owner"].choices,
    table_class="table-org",
)


# --- Proposals --------------------------------------------------------------

PROPOSAL_STATUSES = [*Proposal.Status.choices, ("all", "All")]


def proposal_listing(*, user, params: QueryDict, today: dt.date) -> Listing:
    status = params.get("status", Proposal.Status.SUBMITTED)
    if status not in Proposal.Status.values and status != "all":
        status = Proposal.Status.SUBMITTED
    # The priority area the coverage report's figures lead with.
    form = ProposalFilterForm(params)
    area = form.cleaned_data["priority_area"] if form.is_valid() else None
    rows = proposal_list(status=None if status == "all" else status, priority_area=area)
    if params.get("q"):
        text = params["q"]
        rows = rows.filter(
            Q(title__icontains=text) | Q(organisation__name__icontains=text)
        )
    return Listing(
        form=None,
        rows=PROPOSALS.order(rows, params),
        context={
            "extra_form": form,
            "selects": [
                {
                    "name": "status",
                    "label": "Status",
                    "choices": PROPOSAL_STATUSES,
                    "value": status,
                }
            ],
        },
    )


def _serves(p: Proposal) -> str:
    parts = [f"PA{a.number}" for a in p.priority_areas.all()]
    if p.threat_id:
        parts.append(p.threat.title)
    if p.new_threat:
        parts.append("New threat")
    if p.other_suggestion:
        parts.append("Other suggestion")
    return " ".join(parts)


def _proposal_title_cell(p: Proposal, value, today) -> SafeString:
    return format_html(
        '<a href="{}">{}</a><div class="small text-body-secondary">{} · {}</div>',
        pk_path("partners:proposal_detail")(p.pk),
        value,
        p.get_kind_display(),
        p.get_source_display(),
    )


def _serves_cell(p: Proposal, value, today) -> SafeString:
    served = format_html_join(
        "", "PA{} ", ((a.number,) for a in p.priority_areas.all())
    )
    html = format_html(
        '<span class="small">{}{}{}</span>',
        served,
        p.threat.title if p.threat_id else "",
        "New threat" if p.new_threat else "",
    )
    if p.other_suggestion:
        html += mark_safe(' <span class="badge text-bg-info">Other suggestion</span>')
    return html


PROPOSAL_BADGES = {
    Proposal.Status.SUBMITTED: "text-bg-warning",
    Proposal.Status.ACCEPTED: "text-bg-success",
}


PROPOSALS = ListSpec(
    name="proposals",
    title="Proposals",
    url_name="partners:proposal_list",
    noun="proposal",
    noun_plural="proposals",
    columns=[
        Column(
            "title",
            "Proposal",
            lambda p: p.title,
            ("title", "-title"),
            render=_proposal_title_cell,
        ),
        Column(
            "organisation",
            "Organisation",
            lambda p: p.organisation.name,
            ("organisation", "-organisation"),
            "d-none d-sm-table-cell",
            cells.link("partners:organisation_detail", lambda p: p.organisation_id),
        ),
        Column(
            "kind",
            "Kind",
            lambda p: p.get_kind_display(),
            (),
            "d-none d-lg-table-cell",
            cells.as_is,
        ),
        Column(
            "serves",
            "Serves",
            _serves,
            (),
            "d-none d-md-table-cell",
            _serves_cell,
        ),
        Column(
            "received",
            "Received",
            lambda p: timezone.localtime(p.created_at).date(),
            ("-received", "received"),
            render=cells.small_date,
        ),
        Column(
            "status",
            "Status",
            lambda p: p.get_status_display(),
            ("status",),
            render=cells.badge(PROPOSAL_BADGES, "text-bg-secondary"),
        ),
    ],
    sorts={
        "title": Sort(("title", "pk")),
        "-title": Sort(("-title", "-pk"), DESCENDING),
        "organisation": Sort(("organisation__name", "pk")),
        "-organisation": Sort(("-organisation__name", "-pk"), DESCENDING),
        "-received": Sort(("-created_at", "-pk"), DESCENDING),
        "received": Sort(("created_at", "pk")),
        "status": Sort(("status", "-created_at", "-pk")),
    },
    default_sort="-received",
    listing=proposal_listing,
    row_label=lambda p: p.title,
    bulk_actions=[add_task_action(organisation_of=lambda p: p.organisation)],
    bulk_rows=lambda ids: proposal_list().filter(pk__in=ids),
)
