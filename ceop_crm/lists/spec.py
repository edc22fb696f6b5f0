"""A list people work with, declared once: its columns (heading, how it sorts,
the value of a row), its sorts, its filters and its bulk actions.

The page (``ceop_crm.lists.views.ListPageView``), the export and the background
build read the same declaration, so a download holds exactly the rows, order
and columns the page shows. Each list's own module (``activities.lists``,
``partners.lists``, ``planning.lists``, ``tiers.lists``) declares its spec and
reads its rows through its app's selectors: the scoping stays there.
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.http import QueryDict

ASCENDING, DESCENDING = "ascending", "descending"
# Rows read per query when a list is exported: memory does not grow with rows.
EXPORT_CHUNK = 2000


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    value: Callable[[Any], Any]
    # The list's sort keys that sort by this column; a click on the header
    # moves to the next one (so a column with two turns either way).
    sorts: tuple[str, ...] = ()
    css: str = ""
    # The cell's HTML from (row, value, today) (ceop_crm.lists.cells); a dash
    # when empty, else the value as text, when None.
    render: Callable[[Any, Any, Any], str] | None = None


class Cell(NamedTuple):
    key: str
    value: Any
    css: str
    render: Callable[[Any, Any, Any], str] | None


@dataclass(frozen=True)
class Sort:
    order_by: tuple
    direction: str = ASCENDING


@dataclass
class Listing:
    """What a list's filters give: the form to show, the rows (filtered and
    sorted: a queryset, or anything Paginator pages), and how to count them."""

    form: Any
    rows: Any
    counter: Callable[[], int] | None = None
    context: dict[str, Any] = field(default_factory=dict)

    def count(self) -> int:
        if self.counter is not None:
            return self.counter()
        if hasattr(self.rows, "count") and not isinstance(self.rows, list):
            return self.rows.count()
        return len(self.rows)


@dataclass(frozen=True)
class BulkAction:
    key: str
    label: str
    # apply(user=, data=) reads the action's fields (ValidationError when they
    # are wrong, before any row) and returns what is done to one row: the
    # single action's service, raising ValidationError or PermissionDenied as
    # it does (each row in its own savepoint).
    apply: Callable[..., Callable[[Any], Any]]
    # The names of the POST fields the action reads (for its form on the page).
    fields: tuple[str, ...] = ()
    # Who is offered the action (every editor when None).
    offered_to: Callable[[Any], bool] | None = None


@dataclass
class ListSpec:
    name: str
    title: str
    url_name: str
    columns: Sequence[Column]
    sorts: dict[str, Sort]
    default_sort: str
    # (user, params, today) -> Listing
    listing: Callable[..., Listing]
    # The row's label in bulk messages.
    row_label: Callable[[Any], str] = str
    bulk_actions: Sequence[BulkAction] = ()
    # The bulk actions' rows by their ids (the list's own selector).
    bulk_rows: Callable[[list[int]], Any] | None = None
    # The people the bulk actions offer, as (pk, name); when None, the
    # managers a task may go to are read. A list whose filters already read
    # them passes those (one query fewer).
    people: Callable[[Listing], list[tuple[Any, str]]] | None = None
    # Bulk actions change every ticked row or none (else each row on its own).
    all_or_none: bool = False
    # The table's own class (the organisation list reads as cards on a phone).
    table_class: str = ""
    page_size: int = 25
    # What one row is, for the count ("3 organisations").
    noun: str = "row"
    noun_plural: str = "rows"

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def chosen_columns(self, params: QueryDict) -> list[Column]:
        chosen = set(params.getlist("cols"))
        shown = [c for c in self.columns if c.key in chosen]
        return shown or list(self.columns)

    def current_sort(self, params: QueryDict) -> str:
        sort = params.get("sort") or self.default_sort
        return sort if sort in self.sorts else self.default_sort

    def order(self, rows, params: QueryDict):
        return rows.order_by(*self.sorts[self.current_sort(params)].order_by)

    def headers(self, params: QueryDict, columns: list[Column]) -> list[dict]:
        current = self.current_sort(params)
        query = params.copy()
        query.pop("page", None)
        query.pop("view", None)
        headers = []
        for column in columns:
            direction = self.sorts[current].direction if current in column.sorts else ""
            url = ""
            if column.sorts:
                keys = list(column.sorts)
                target = (
                    keys[(keys.index(current) + 1) % len(keys)]
                    if current in keys
                    else keys[0]
                )
                query["sort"] = target
                url = "?" + query.urlencode()
            headers.append(
                {
                    "key": column.key,
                    "label": column.heading,
                    "url": url,
                    "css": column.css,
                    "aria_sort": direction or ("none" if column.sorts else ""),
                    "next": self.sorts[target].direction if column.sorts else "",
                }
            )
        return headers

    def cells(self, row, columns: list[Column]) -> list[Cell]:
        return [Cell(c.key, c.value(row), c.css, c.render) for c in columns]

    def offered_actions(self, user) -> list[BulkAction]:
        return [
            a for a in self.bulk_actions if a.offered_to is None or a.offered_to(user)
        ]


def rows_in_chunks(rows) -> Iterator[Any]:
    """Every row once, in order, read ``EXPORT_CHUNK`` at a time."""
    if hasattr(rows, "iterator"):
        yield from rows.iterator(chunk_size=EXPORT_CHUNK)
        return
    start = 0
    while True:
        chunk = list(rows[start : start + EXPORT_CHUNK])
        yield from chunk
        if len(chunk) < EXPORT_CHUNK:
            return
        start += EXPORT_CHUNK
