"""Reads of organisations for the workspace: the list, its filters and paging, one organisation, its contacts."""

import functools
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from ceop_crm.lookups import AnyOf
from partners.dedupe.normalise import name_key
from partners.models import (
    Contact,
    MoU,
    Organisation,
)
from partners.selectors.agreements import MOU_ENDING_DAYS
from partners.selectors.at_risk import organisation_annotate_at_risk


def relationship_is_live(*, organisation_id: int, today: date | None = None) -> bool:
    """Whether an organisation's relationship still runs (so its partner users keep
    their access): not ended, and either never associated (a prospect) or with an
    association that runs today or later. One query."""
    from tiers.models import Association

    today = today or timezone.localdate()
    associations = Association.objects.filter(organisation=OuterRef("pk"))
    return (
        Organisation.objects.filter(pk=organisation_id)
        .exclude(status=Organisation.Status.ENDED)
        .filter(
            ~Exists(associations)
            | Exists(associations.filter(Q(end__isnull=True) | Q(end__gte=today)))
        )
        .exists()
    )


def organisation_find_by_name(*, name: str) -> Organisation | None:
    """The organisation whose normalised name equals this one's, if any."""
    return Organisation.objects.filter(name_key=name_key(name)).first()


def organisation_next_review_due(*, today: date) -> Subquery:
    """The organisation's next scheduled review from today on (served by the
    partial index review_scheduled_org_due)."""
    from planning.models import Review

    return Subquery(
        Review.objects.filter(
            organisation=OuterRef("pk"),
            status=Review.Status.SCHEDULED,
            due_on__gte=today,
        )
        .order_by("due_on")
        .values("due_on")[:1]
    )


def organisation_overdue_reviews(*, today: date) -> Coalesce:
    """The number of the organisation's scheduled reviews due before today."""
    from planning.models import Review

    overdue = (
        Review.objects.filter(
            organisation=OuterRef("pk"),
            status=Review.Status.SCHEDULED,
            due_on__lt=today,
        )
        .order_by()
        .values("organisation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(overdue[:1], output_field=IntegerField()), Value(0))


class OrganisationRowsPaged:
    """An organisation list paged on its ids, for Paginator.

    A page is one statement: the page's ids from a lean query (the filters and
    the ordering, none of the list's per-row figures), and the list's
    annotations read for those rows only, ``pk IN (SELECT id … LIMIT n OFFSET
    m)``. Annotating every matching row and then keeping a page made
    PostgreSQL plan the per-row figures for all of them (the at-risk ones as a
    pass over every association, MoU and assessment): 0.77 s for a page of a
    search matching 2,772 of 100,000 organisations.
    """

    ordered = True

    def __init__(
        self, *, ids: QuerySet[Organisation], rows: QuerySet[Organisation]
    ) -> None:
        if not ids.query.order_by:
            raise ValueError("The ids need an ordering of their own.")
        self.ids = ids.values_list("pk", flat=True)
        self.rows = rows
        # The rows carry the same names (annotations) the ids are ordered by.
        self.ordering = ids.query.order_by

    def count(self) -> int:
        return self.ids.order_by().count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        return self.rows.filter(pk__in=self.ids[key]).order_by(*self.ordering)


def organisation_rows_first_counted(
    *,
    ids: QuerySet[Organisation],
    rows: QuerySet[Organisation],
    first: int,
    shared_as: str | None = None,
    today: date | None = None,
) -> tuple[QuerySet[Organisation], int]:
    """The first rows of an ordered ids queryset, read from ``rows`` (the
    list's figures for those rows only), and how many ids there are in all.

    The first ids and their number come from one statement (a window count),
    so a set that is costly to find is found once, not once to count it and
    again to page it: the organisations at risk are found from every current
    association (30 ms at 100,000 organisations). With ``shared_as`` (and
    ``today``), the ids and their number are shared between requests under
    that name until a change to what they read commits
    (partners.reports.figures); the rows are read each time.
    """
    ordering = ids.query.order_by

    def first_ids() -> list[tuple[int, int]]:
        return list(
            ids.annotate(total=Window(Count("pk"))).values_list("pk", "total")[:first]
        )

    if shared_as is None:
        head = first_ids()
    else:
        from partners.reports.figures import report_figures_cached

        head = report_figures_cached(shared_as, today=today, build=first_ids)
    page = rows.filter(pk__in=[pk for pk, _ in head]).order_by(*ordering)
    return page, head[0][1] if head else 0


class OrganisationRowsByNextReview(OrganisationRowsPaged):
    """An organisation list sorted by next review due (``next_review_due``
    first, no review last, then name and pk), paged from the head of the order
    where it can.

    Every organisation due first (on the earliest next review date of the
    matching ones) comes before all others, in name order. So a page that lies
    in that first group is read from the first ``window`` organisations by name
    (an index scan): if those hold enough of the group for the page, they hold
    the page, as the group's first k members by name are among the first
    organisations by name. Otherwise, or for a deep page, the page is read as
    before, with every matching organisation's next review computed and
    sorted. At 100,000 organisations the quarterly reviews give 14,000
    Partners one next review date; the first page read them all (80 ms).
    """

    # The organisations by name read for a page, per row up to its end; past
    # the deepest, the order is read in full.
    WINDOW_PER_ROW = 20
    WINDOW_MIN = 500
    WINDOW_DEEPEST = 500

    def __init__(
        self, *, ids: QuerySet[Organisation], rows: QuerySet[Organisation], today: date
    ) -> None:
        super().__init__(ids=ids, rows=rows)
        self.filtered = ids
        self.today = today

    def _first_group(self, start: int, stop: int) -> list[Organisation] | None:
        """The rows start..stop when all lie in the first group, else None."""
        from planning.models import Review

        if stop > self.WINDOW_DEEPEST:
            return None
        first_due = (
            Review.objects.filter(
                status=Review.Status.SCHEDULED,
                due_on__gte=self.today,
                organisation__in=self.filtered.order_by().values("pk"),
            )
            .order_by("due_on")
            .values("due_on")[:1]
        )
        window = Organisation.objects.order_by("name", "pk").values("pk")[
            : max(self.WINDOW_MIN, self.WINDOW_PER_ROW * stop)
        ]
        page = (
            self.filtered.filter(pk__in=window, next_review_due=Subquery(first_due))
            .order_by("name", "pk")
            .values("pk")[start:stop]
        )
        rows = list(self.rows.filter(pk__in=page).order_by(*self.ordering))
        return rows if len(rows) == stop - start else None

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        start, stop = key.start or 0, key.stop
        if stop is not None and stop > start:
            rows = self._first_group(start, stop)
            if rows is not None:
                return rows
        return super().__getitem__(key)


def organisation_list(*, today: date) -> QuerySet[Organisation]:
    """Organisations with what a list shows of each, in a fixed number of queries.

    Annotated with the current tier (name, code, rank), the number of overdue
    reviews, the next review due, the MoU state (the end of the MoU in force,
    else the status of the latest MoU) and whether it is at risk (at_risk_mou,
    at_risk_due_diligence).

    Built once a day and process (building its subqueries took 5 ms of each
    list, dashboard and organisation page); each call gets a copy of its own,
    never evaluated, so no rows are shared between requests.
    """
    return _organisation_list_built(today).all()


@functools.lru_cache(maxsize=4)
def _organisation_list_built(today: date) -> QuerySet[Organisation]:
    in_force = MoU.objects.filter(
        organisation=OuterRef("pk"),
        status=MoU.Status.SIGNED,
        start__lte=today,
        end__gte=today,
    ).order_by("-end")
    latest_mou = MoU.objects.filter(organisation=OuterRef("pk")).order_by(
        "-created_at", "-pk"
    )
    # The current association as a join: the database allows at most one per
    # organisation, so the join never repeats a row, and sorting by level is
    # a plain join instead of a subquery per organisation. The owner only: each
    # further join multiplies PostgreSQL's planning time (a deputy join took it
    # from 1.6 to 5 ms at 10,000 organisations).
    listed = (
        Organisation.objects.select_related("owner")
        .annotate(
            current=FilteredRelation(
                "associations", condition=Q(associations__end__isnull=True)
            )
        )
        .annotate(
            tier_name=F("current__tier__name"),
            tier_code=F("current__tier__code"),
            tier_rank=F("current__tier__rank"),
            tier_is_association=F("current__tier__is_association"),
            association_start=F("current__start"),
            overdue_reviews=organisation_overdue_reviews(today=today),
            next_review_due=organisation_next_review_due(today=today),
            mou_in_force_end=Subquery(in_force.values("end")[:1]),
            latest_mou_status=Subquery(latest_mou.values("status")[:1]),
        )
        .order_by("name", "pk")
    )
    return organisation_annotate_at_risk(queryset=listed, today=today)


def organisation_list_count(
    *,
    queryset: QuerySet[Organisation],
    filters: list[tuple[str, list[str]]],
    today: date,
    version: int | None,
) -> int:
    """The number of organisations the list's filters leave (``queryset``, the
    filters on the bare table), shared between requests under the figures'
    version until a change to what a filter reads commits
    (partners.reports.figures; partners.signals names every model the filters
    read). ``filters``: the list's filter names and values as asked, which
    name the count; the day is part of its name, as the MoU states are.

    ``version``: the figures' version (report_figures_version) read before the
    filters read anything (the search reads its matches as it is applied), so
    that a count is never kept under a version newer than what it counted;
    None when the shared cache could not be read (the count is read live).

    At 100,000 organisations counting the 14,000 Partners with an MoU in
    force took 19 ms of the page, on every page and every sort of the list.
    """
    from django.utils.http import urlencode

    from partners.reports.figures import report_figures_cached

    return report_figures_cached(
        "count:organisations:" + urlencode(filters, doseq=True),
        today=today,
        build=lambda: queryset.order_by().count(),
        version=version,
    )


def organisation_list_by_ids(*, ids: list[int]) -> QuerySet[Organisation]:
    """The organisations ticked on a list, for a bulk action (each goes through
    the single action's service, which checks who may act on it)."""
    return Organisation.objects.filter(pk__in=ids).order_by("name", "pk")


def counts_together(**querysets: QuerySet) -> dict[str, int]:
    """The number of rows of each queryset, read in one SQL statement.

    Each count is a scalar subquery over the queryset's ids (its ordering and
    columns dropped); one round trip instead of one per figure.
    """
    parts, params = [], []
    for name, queryset in querysets.items():
        if not name.isidentifier():
            raise ValueError(f"Not a column name: {name!r}")
        sql, query_params = queryset.order_by().values("pk").query.sql_with_params()
        parts.append(f'(SELECT COUNT(*) FROM ({sql}) AS "{name}_rows") AS "{name}"')  # noqa: S608 (Django-compiled SQL; names checked above)
        params.extend(query_params)
    if not parts:
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return dict(zip(querysets, row, strict=True))


def counts_together_shared(
    name: str,
    *,
    today: date,
    shared: dict[str, QuerySet],
    live: dict[str, QuerySet],
) -> dict[str, int]:
    """counts_together of ``shared`` and ``live``, the ``shared`` figures kept
    under ``name`` between requests until a change to what they count commits
    (partners.reports.figures; partners.signals names the models), the
    ``live`` ones read on every request (what changes without bumping the
    figures' version, such as unread notifications).

    When the shared figures are read afresh, every figure comes from one
    statement, as from counts_together; otherwise the live ones alone do.
    """
    from partners.reports.figures import report_figures_cached

    fresh: dict[str, int] = {}

    def build() -> dict[str, int]:
        fresh.update(counts_together(**shared, **live))
        return {key: fresh[key] for key in shared}

    counts = dict(report_figures_cached(name, today=today, build=build))
    if fresh:
        return fresh
    counts.update(counts_together(**live))
    return counts


def organisation_mine_counted(*, user) -> dict[str, QuerySet[Organisation]]:
    """The organisations the user owns and those they deputise for, to be
    counted apart (``counts_together``) and added up: each count is read from
    an index alone (organisation_owner_then_id, organisation_deputy_then_id).

    No organisation is counted twice: its deputy is never its owner (the
    constraint organisation_deputy_is_not_owner). ``owner = u OR deputy = u``
    read each of the 28,000 rows from the table at 100,000 organisations, and
    one count of both joined by UNION ALL took twice as long as the two.
    """
    own = Organisation.objects.order_by()
    return {"my_owned": own.filter(owner=user), "my_deputised": own.filter(deputy=user)}


def organisation_related_filter_mine(
    *, queryset: QuerySet, user, field: str = "organisation"
) -> QuerySet:
    """The rows of ``queryset`` whose organisation (``field``) the user owns or
    deputises for, to be counted: ``field IN (owned ids) OR field IN
    (deputised ids)``, two hashed subqueries each read from an index alone.

    The same rows as ``Q(field__owner=user) | Q(field__deputy=user)``, whose
    join read the user's 28,000 organisations from the table once per count.
    """
    every = Organisation.all_objects.order_by()
    owned = every.filter(owner=user).values("pk")
    deputised = every.filter(deputy=user).values("pk")
    return queryset.filter(
        Q(**{f"{field}__in": owned}) | Q(**{f"{field}__in": deputised})
    )


# A search matching at most this many organisations is read once as ids, then
# every query of the list (its count, its page) reads those from the primary
# key's index. Past it, the matches stay a subquery.
SEARCH_IDS_AT_MOST = 10_000


def organisation_search_condition(*, text: str) -> Q | AnyOf | None:
    """The condition on organisations whose name, or a contact's name or email,
    holds the text; None for no text.

    The matches are a UNION of the organisations named so and the contacts'
    organisations, each part read through a trigram index on ``UPPER(…)``
    (admin_trgm_partners_organisation_name, privacy_trgm_partners_contact_name,
    partners_contact_email_trgm): ``name LIKE … OR EXISTS (contact …)`` on each
    organisation row left PostgreSQL no index to use and read every
    organisation (2.1 s at 100,000 organisations).

    On PostgreSQL the matches are read here, once (and shared between requests
    under the figures' version), and the condition is ``pk = ANY(ids)``. As ``pk IN (UNION)`` the list ran the union twice (count and
    page) and each time hashed it against all 100,000 organisations (22 and
    39 ms for 2,772 matches); by ids, each is a probe of the primary key per
    match. A search matching more than SEARCH_IDS_AT_MOST stays a subquery.
    """
    text = text.strip()
    if not text:
        return None
    named = Organisation.objects.filter(name__icontains=text).order_by()
    contacts = Contact.objects.filter(
        Q(name__icontains=text) | Q(email__icontains=text)
    )
    matching = named.values_list("pk", flat=True).union(
        contacts.order_by().values_list("organisation_id", flat=True)
    )
    if connection.vendor == "postgresql":
        from partners.reports.figures import report_figures_cached

        # Shared between requests until a change to the organisations or their
        # contacts commits (partners.signals; an erasure bumps it too).
        ids = report_figures_cached(
            "search:organisations:" + text,
            today=timezone.localdate(),
            build=lambda: list(matching[: SEARCH_IDS_AT_MOST + 1]),
        )
        if len(ids) <= SEARCH_IDS_AT_MOST:
            return AnyOf(F("pk"), ids)
    return Q(pk__in=matching)


def organisation_search(
    *, queryset: QuerySet[Organisation], text: str
) -> QuerySet[Organisation]:
    """Organisations whose name, or a contact's name or email, holds the text
    (organisation_search_condition)."""
    condition = organisation_search_condition(text=text)
    return queryset if condition is None else queryset.filter(condition)


def organisation_filter_mou_status(
    *, queryset: QuerySet[Organisation], status: str
) -> QuerySet[Organisation]:
    """The organisations holding an MoU in that state (the MoUs report's figures)."""
    return queryset.filter(
        Exists(MoU.objects.filter(organisation=OuterRef("pk"), status=status))
    )


def organisation_filter_level_in_year(
    *, queryset: QuerySet[Organisation], start: date, end: date, tier: str | None
) -> QuerySet[Organisation]:
    """The organisations associated at any time from ``start`` to ``end``: at the
    level whose code is ``tier``, or else at any level that is an association
    (the Annual Review report's figures)."""
    from tiers.models import Association

    held = Association.objects.filter(
        organisation=OuterRef("pk"), start__lte=end
    ).filter(Q(end__isnull=True) | Q(end__gte=start))
    held = (
        held.filter(tier__code=tier) if tier else held.filter(tier__is_association=True)
    )
    return queryset.filter(Exists(held))


def organisation_filter_mou_state(
    *, queryset: QuerySet[Organisation], state: str, today: date
) -> QuerySet[Organisation]:
    signed = MoU.objects.filter(
        organisation=OuterRef("pk"),
        status=MoU.Status.SIGNED,
        start__lte=today,
        end__gte=today,
    )
    any_mou = MoU.objects.filter(organisation=OuterRef("pk"))
    if state == "in_force":
        return queryset.filter(Exists(signed))
    if state == "ending":
        return queryset.filter(
            Exists(signed.filter(end__lte=today + timedelta(days=MOU_ENDING_DAYS)))
        )
    if state == "drafting":
        return queryset.filter(
            Exists(
                any_mou.filter(status__in=[MoU.Status.DRAFT, MoU.Status.NEGOTIATION])
            )
        )
    if state == "lapsed":
        return queryset.filter(
            Exists(
                any_mou.filter(status__in=[MoU.Status.EXPIRED, MoU.Status.TERMINATED])
            )
        ).exclude(Exists(signed))
    if state == "none":
        return queryset.exclude(Exists(any_mou))
    return queryset


def organisation_get(*, pk: int, today: date) -> Organisation:
    """One organisation with its list annotations (raises DoesNotExist)."""
    return organisation_list(today=today).select_related("deputy").get(pk=pk)


def organisation_contacts(*, organisation: Organisation) -> QuerySet[Contact]:
    return Contact.objects.filter(organisation=organisation).order_by(
        "-is_primary", "name"
    )


def staff_user_list(*, editors_only: bool = True) -> QuerySet:
    """Users who may own a relationship (managers), or any staff member."""
    from ceop_crm.roles import EDITOR_ROLES, STAFF_ROLES

    roles = EDITOR_ROLES if editors_only else STAFF_ROLES
    return (
        get_user_model()
        .objects.filter(
            Q(groups__name__in=roles) | Q(is_superuser=True), is_active=True
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def contact_list_by_address(*, addresses) -> QuerySet[Contact]:
    """The contacts at these addresses (any case), with their organisation; one query."""
    wanted = sorted({a.strip().lower() for a in addresses if a})
    return (
        Contact.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=wanted)
        .select_related("organisation")
        .order_by("organisation__name", "name", "pk")
    )
