"""The rows of an admin change list, planned once per column, not per cell.

Django's ``result_list`` renders every cell of a page through
``items_for_result``: for each of 50 rows and each column it asks again for
the empty value's text, the column's CSS class and whether it is the link,
flattens a choice field's choices, formats the same dates, parses each row's
link to add the list's filters to it, and then the template renders every
cell on its own. On the admin's organisations and reviews that was a third of
the page's time.

Here each column is planned once (its class, link, heading tag and empty
value), a value that repeats on the page (a choice, a date, a yes or no) is
displayed once per page by Django's own ``display_for_field`` or
``display_for_value``, the row link gets the list's filters once, and each row
is one string. The HTML is Django's, cell for cell
(tests/admin_site/test_change_list_cells.py compares every registered admin's
rows with Django's own). A list with editable columns, opened as a popup
(choosing a related object) or without change pages is left to Django.
"""

import datetime
from dataclasses import dataclass

from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    _coerce_field_name,
    result_headers,
    result_hidden_fields,
    results,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    display_for_field,
    display_for_value,
    lookup_field,
)
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

from ceop_crm.admin_scale import PK_PLACEHOLDER, LargeTableChangeList

# Values whose display depends only on their column, type and value (and on
# the request's language and time zone, which do not change within a page).
# Decimals and floats are left out: 1.0 == 1.00 but they are shown apart.
_SHOWN_ONCE = frozenset(
    {str, bool, int, type(None), datetime.date, datetime.datetime, datetime.time}
)
_NOWRAP_FIELDS = (models.DateField, models.TimeField, models.ForeignKey)


def _zone(value) -> object:
    """Part of a repeated value's key: equal times in two zones (12:00 UTC,
    13:00 +01:00) are shown apart where times are not made local."""
    return getattr(value, "tzinfo", None)


@dataclass(frozen=True)
class _Column:
    name: object  # a field's name, a ModelAdmin method's name or a callable
    classes: str  # the cell's CSS classes before any "nowrap"
    link: bool  # the change link is in this column
    tag: str  # "th" for the first link column, else "td"


def _columns(cl: ChangeList) -> list[_Column]:
    """Each column as ``items_for_result`` decides it for every cell."""
    columns = []
    first = True
    for index, name in enumerate(cl.list_display):
        if cl.list_display_links is None:
            link = False
        elif first and not cl.list_display_links:
            link = True
        else:
            link = name in cl.list_display_links
        tag = "th" if link and first else "td"
        if link:
            first = False
        classes = f"field-{_coerce_field_name(name, index)}"
        columns.append(_Column(name, classes, link, tag))
    return columns


def _row_link(cl: LargeTableChangeList):
    """A row's change URL with the list's filters, the filters added once for
    the page rather than parsed into every row's URL."""
    pattern = add_preserved_filters(
        {"preserved_filters": cl.preserved_filters, "opts": cl.opts},
        cl.change_url_pattern,
    )
    # The placeholder is in the path, before any filter that might repeat it.
    before, _, after = pattern.partition(PK_PLACEHOLDER)

    def link(result) -> str:
        return before + cl.quoted_pk(result) + after

    return link


class _Cells:
    """Writes one page's cells, displaying a repeated value once."""

    def __init__(self, cl: LargeTableChangeList) -> None:
        self.model_admin = cl.model_admin
        self.empty = cl.model_admin.get_empty_value_display()
        self.columns = _columns(cl)
        self.link = _row_link(cl) if any(c.link for c in self.columns) else None
        self.shown: dict = {}

    def _display(self, column, result, f, attr, value, empty) -> tuple[object, bool]:
        """The cell's text as Django makes it, and whether it does not wrap."""
        if f is None or f.auto_created:
            boolean = getattr(attr, "boolean", False)
            if isinstance(attr, property) and hasattr(attr, "fget"):
                boolean = getattr(attr.fget, "boolean", False)
            nowrap = isinstance(value, (datetime.date, datetime.time))

            def show():
                return display_for_value(value, empty, boolean)

        else:
            nowrap = isinstance(f, _NOWRAP_FIELDS)
            if isinstance(f.remote_field, models.ManyToOneRel):
                related = getattr(result, f.name)
                return (empty if related is None else related), nowrap

            def show():
                return display_for_field(value, f, empty, avoid_link=column.link)

        if type(value) not in _SHOWN_ONCE:
            return show(), nowrap
        # Within one column ``f``, ``attr`` and so ``empty`` and ``boolean``
        # are the column's own: the value alone tells its display apart.
        key = (column.name, type(value), value, _zone(value))
        if key not in self.shown:
            self.shown[key] = show()
        return self.shown[key], nowrap

    def cell(self, column: _Column, result) -> str:
        empty = self.empty
        classes = column.classes
        try:
            f, attr, value = lookup_field(column.name, result, self.model_admin)
        except ObjectDoesNotExist:
            shown = empty
        else:
            empty = getattr(attr, "empty_value_display", empty)
            if isinstance(value, str) and value.strip() == "":
                value = ""
            if (f is None or f.auto_created) and column.name == "action_checkbox":
                classes = "action-checkbox"
            shown, nowrap = self._display(column, result, f, attr, value, empty)
            if nowrap:
                classes += " nowrap"
        if column.link:
            shown = (
                f'<a href="{escape(self.link(result))}">{conditional_escape(shown)}</a>'
            )
        else:
            shown = conditional_escape(shown)
        return f'<{column.tag} class="{classes}">{shown}</{column.tag}>'

    def row(self, result) -> SafeString:
        cells = "".join(self.cell(column, result) for column in self.columns)
        return mark_safe(cells)  # noqa: S308 - each cell's text and link escaped


def page_rows(cl: ChangeList) -> list[ResultList]:
    """The page's rows for ``admin/change_list_results.html``: each row one
    cell of its whole HTML where this module can write it, else Django's."""
    if cl.formset or cl.is_popup or not isinstance(cl, LargeTableChangeList):
        return list(results(cl))
    try:
        cl.change_url_pattern  # noqa: B018 - reversed once, here
    except NoReverseMatch:  # an admin without change pages: Django's unlinked text
        return list(results(cl))
    cells = _Cells(cl)
    return [ResultList(None, [cells.row(result)]) for result in cl.result_list]


def result_list(cl: ChangeList) -> dict:
    """Django's ``result_list`` context, with the rows of ``page_rows``."""
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": page_rows(cl),
    }
