"""A list's cells as HTML, written in Python.

A page of a list has a few hundred cells; rendering a template (an
``{% include %}`` and a chain of ``{% if key == ... %}``) for each cost more
than the rest of the page. A column declares how its cell reads
(``Column.render``, a function of the row, the column's value and today);
these are the pieces those functions are made of, each writing the markup the
templates wrote. Text is escaped as the templates escaped it.
"""

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from ceop_crm.paths import pk_path

DASH = mark_safe('<span class="text-body-secondary">—</span>')


def text(value: Any) -> SafeString:
    """``{{ value }}``: localised and escaped."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return conditional_escape(localize(value))


def as_is(row, value, today) -> SafeString:
    """A cell of the value as text, even when empty."""
    return text(value)


def date(value: dt.date | None, fmt: str | None = None) -> str:
    """``{{ value|date }}`` (or ``|date:fmt``): a datetime in local time, no
    date an empty string."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, fmt)


def plain(row, value, today) -> SafeString:
    """A cell with nothing of its own: a dash when empty, a date as 01/02/2026,
    anything else as text."""
    if value is None or value == "":
        return DASH
    if isinstance(value, dt.date):
        return conditional_escape(date(value, "d/m/Y"))
    return text(value)


def small_date(row, value, today) -> SafeString:
    return format_html('<span class="small text-nowrap">{}</span>', date(value))


def link(url_name: str, pk_of, *, css: str = "", anchor: str = ""):
    """A cell linking to the row's page: ``url_name`` with the pk ``pk_of(row)``."""

    def render(row, value, today) -> SafeString:
        # The pattern reversed once, not once per row (ceop_crm.paths).
        url = pk_path(url_name)(pk_of(row)) + anchor
        if css:
            return format_html('<a class="{}" href="{}">{}</a>', css, url, value)
        return format_html('<a href="{}">{}</a>', url, value)

    return render


def badge(css_by_value: dict[str, str], default: str, key=lambda row: row.status):
    """A status as a coloured badge: the class for ``key(row)``, else ``default``."""

    def render(row, value, today) -> SafeString:
        return format_html(
            '<span class="badge {}">{}</span>',
            css_by_value.get(key(row), default),
            value,
        )

    return render


def row_cells(row, cells, today) -> SafeString:
    """The row's cells (``ListSpec.cells``), the first a row heading, each
    through its column's ``render`` (``plain`` when it has none).

    Each cell's HTML is safe already (built by ``format_html`` or escaped) and
    its class is declared in code, so they are joined without escaping again.
    """
    parts = []
    for index, cell in enumerate(cells):
        html = (cell.render or plain)(row, cell.value, today)
        css = f' class="{cell.css}"' if cell.css else ""
        if index == 0:
            css = f' class="fw-normal {cell.css}"' if cell.css else ' class="fw-normal"'
            parts.append(f'<th scope="row"{css}>{html}</th>')
        else:
            parts.append(f"<td{css}>{html}</td>")
    return mark_safe("".join(parts))  # noqa: S308 - safe parts, declared classes
