"""Paging and counting organisation lists: a page read by ids, its first rows
with their number, and counts read together or shared between requests."""

from collections.abc import Callable
from datetime import date

from django.db import connection
from django.db.models import Count, Q, QuerySet, Subquery, Window

from ceop_crm.lookups import id_in
from partners.models import Organisation


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
    # A page's ids are shared (share()) up to this many rows: an export's
    # chunks are read once, not kept.
    SHARED_AT_MOST = 200

    def __init__(
        self, *, ids: QuerySet[Organisation], rows: QuerySet[Organisation]
    ) -> None:
        if not ids.query.order_by:
            raise ValueError("The ids need an ordering of their own.")
        self.ids = ids.values_list("pk", flat=True)
        self.rows = rows
        # The rows carry the same names (annotations) the ids are ordered by.
        self.ordering = ids.query.order_by
        self.shared_as: str | None = None

    def share(self, name: str, *, today: date, version: int | None) -> None:
        """Share each page's ids between requests under ``name`` (what the
        list's filters and sort are) and the figures' ``version``, read before
        the filters read anything, until a change to what they read commits
        (partners.reports.figures): a page is then read by its ids alone."""
        self.shared_as, self.today, self.version = name, today, version

    def count(self) -> int:
        return self.ids.order_by().count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        start, stop = key.start or 0, key.stop
        if (
            self.shared_as is None
            or stop is None
            or not 0 < stop - start <= self.SHARED_AT_MOST
        ):
            return self._page(start, stop)
        from partners.reports.figures import report_figures_cached

        # Read afresh, the page is one statement as unshared, and its ids kept.
        read: list[list[Organisation]] = []

        def page_ids() -> list[int]:
            read.append(list(self._page(start, stop)))
            return [row.pk for row in read[0]]

        ids = report_figures_cached(
            f"page:{self.shared_as}:{start}:{stop}",
            today=self.today,
            build=page_ids,
            version=self.version,
        )
        if read:
            return read[0]
        return self.rows.filter(id_in("pk", ids)).order_by(*self.ordering)

    def _page(self, start: int, stop: int | None):
        """The rows start..stop, ids and rows in one statement."""
        return self.rows.filter(pk__in=self.ids[start:stop]).order_by(*self.ordering)


class OrganisationRowsOfIds:
    """An organisation list whose ids are known in its order (a search's
    matches by name: organisation_search_ids), for Paginator: a page is its
    slice of the ids, read from ``rows`` (the list's figures for those rows
    only), and the count is their number. No query finds or sorts them again.
    """

    ordered = True

    def __init__(self, *, ids: list[int], rows: QuerySet[Organisation]) -> None:
        self.ids = ids
        self.rows = rows

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        return self.rows.filter(id_in("pk", self.ids[key])).order_by("name", "pk")


def organisation_rows_first_counted(
    *,
    ids: QuerySet[Organisation] | Callable[[], QuerySet[Organisation]],
    rows: QuerySet[Organisation],
    first: int,
    shared_as: str | None = None,
    today: date | None = None,
    ordering: tuple[str, ...] | None = None,
    version: int | None = None,
) -> tuple[QuerySet[Organisation], int]:
    """The first rows of an ordered ids queryset, read from ``rows`` (the
    list's figures for those rows only), and how many ids there are in all.

    The first ids and their number come from one statement (a window count),
    so a set that is costly to find is found once, not once to count it and
    again to page it: the organisations at risk are found from every current
    association (30 ms at 100,000 organisations). With ``shared_as`` (and
    ``today``), the ids and their number are shared between requests under
    that name until a change to what they read commits
    (partners.reports.figures); the rows are read each time. ``ids`` may be
    a function that builds the queryset, called only when the ids are read
    afresh: ``ordering`` then names its order. ``version``: the figures'
    version, read by the caller before anything (report_figures_version).
    """
    if ordering is None:
        if callable(ids):
            raise ValueError("Name the order of ids built by a function.")
        ordering = ids.query.order_by

    def first_ids() -> list[tuple[int, int]]:
        found = ids() if callable(ids) else ids
        return list(
            found.annotate(total=Window(Count("pk"))).values_list("pk", "total")[:first]
        )

    if shared_as is None:
        head = first_ids()
    else:
        from partners.reports.figures import report_figures_cached

        head = report_figures_cached(
            shared_as, today=today, build=first_ids, version=version
        )
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

    def _page(self, start: int, stop: int | None):
        if stop is not None and stop > start:
            rows = self._first_group(start, stop)
            if rows is not None:
                return rows
        return super()._page(start, stop)


def organisation_list_count(
    *,
    counted: Callable[[], QuerySet[Organisation]],
    filters: list[tuple[str, list[str]]],
    today: date,
    version: int | None,
) -> int:
    """The number of organisations the list's filters leave (``counted()``, the
    filters on the bare table, built only when the number is read afresh),
    shared between requests under the figures' version until a change to what
    a filter reads commits (partners.reports.figures; partners.signals names
    every model the filters read). ``filters``: the list's filter names and values as asked, which
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
        build=lambda: counted().order_by().count(),
        version=version,
    )


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
    shared: Callable[[], dict[str, QuerySet]],
    live: dict[str, QuerySet],
    version: int | None,
) -> dict[str, int]:
    """counts_together of ``shared()`` and ``live``, the ``shared`` figures kept
    under ``name`` between requests until a change to what they count commits
    (partners.reports.figures; partners.signals names the models), the
    ``live`` ones read on every request (what changes without bumping the
    figures' version, such as unread notifications).

    When the shared figures are read afresh, every figure comes from one
    statement, as from counts_together; otherwise the live ones alone do.
    ``shared`` builds its querysets only then: building them costs more than
    reading the figures kept.
    """
    from partners.reports.figures import report_figures_cached

    fresh: dict[str, int] = {}

    def build() -> dict[str, int]:
        counted = shared()
        fresh.update(counts_together(**counted, **live))
        return {key: fresh[key] for key in counted}

    counts = dict(
        report_figures_cached(name, today=today, build=build, version=version)
    )
    if fresh:
        return fresh
    counts.update(counts_together(**live))
    return counts


def first_rows_shared(
    name: str,
    *,
    today: date,
    querysets: Callable[[], dict[str, QuerySet]],
    version: int | None,
) -> dict[str, list]:
    """Each of ``querysets()`` (sliced to the rows shown) read into a list, kept
    under ``name`` between requests until a change to what they read commits,
    as counts_together_shared keeps figures (partners.reports.figures). For
    rows whose every column comes from a model partners.signals names, shown
    beside figures shared the same way: never older than their numbers."""
    from partners.reports.figures import report_figures_cached

    return report_figures_cached(
        name,
        today=today,
        build=lambda: {key: list(rows) for key, rows in querysets().items()},
        version=version,
    )


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
