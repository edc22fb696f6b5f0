"""Template filters of the staff workspace."""

import datetime as dt
import functools
from html import escape as html_escape

from django import template
from django.conf import settings
from django.utils.formats import date_format, localize
from django.utils.html import (
    conditional_escape,
    escape,
    format_html,
)
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()


@register.filter
def person(user, empty: str = "—") -> str:
    """A user's full name, else username; `empty` when there is no user."""
    if user is None:
        return empty
    return user.get_full_name() or user.get_username()


@register.filter
def is_number(value) -> bool:
    """For right-aligning figures in report tables."""
    return isinstance(value, int | float) and not isinstance(value, bool)


@functools.lru_cache(maxsize=8192)
def _date_text(value: dt.date, first: bool, language: str | None) -> str:
    """A report's date as the workspace writes it (escaped): formatting a date
    costs more than the rest of its row, and a report's dates repeat from one
    request to the next. Keyed by the language, as the format is."""
    return escape(localize(value) if first else date_format(value))


@functools.lru_cache(maxsize=8192)
def _number_text(value: int, language: str | None, grouped: bool) -> str:
    """A report's whole number as the workspace writes it: localising one runs
    the number format's settings each time, and a report's figures repeat.
    Keyed by the language and whether thousands are grouped, as the format is."""
    return conditional_escape(localize(value))


def _escaped(text: str) -> str:
    """``conditional_escape`` of a string, without its wrapper for lazy text."""
    if hasattr(text, "__html__"):
        return text.__html__()
    return html_escape(text)


def _cell_text(cell, first: bool, language: str | None) -> str:
    """A report cell's text as ``{{ cell }}`` writes it (localised, escaped)."""
    kind = type(cell)
    if kind is str:
        return html_escape(cell)
    if kind is int:
        return _number_text(cell, language, settings.USE_THOUSAND_SEPARATOR)
    if kind is dt.date:
        return _date_text(cell, first, language)
    if isinstance(cell, dt.datetime):
        return escape(localize(cell) if first else date_format(cell))
    if isinstance(cell, str):
        return _escaped(cell)
    return conditional_escape(localize(cell))


def _report_cell(cell, url: str | None, first: bool, language: str | None) -> str:
    inner = _cell_text(cell, first, language)
    if url:
        inner = f'<a href="{_escaped(url)}">{inner}</a>'
    if first:
        return f'<th scope="row" class="fw-normal">{inner}</th>'
    if is_number(cell):
        return f'<td class="text-end">{inner}</td>'
    return f"<td>{inner}</td>"


_HIGHLIGHT = ' class="row-highlight"'


@register.simple_tag
def report_rows(rows) -> str:
    """A report table's rows, each ``(highlight, [(cell, url), ...])``: the first
    cell a row heading, a figure aligned right, a date as the workspace shows
    dates, each with its link if it has one.

    Built here rather than by template tags: a page of a long report has
    thousands of cells, and the tags and lookups of each cost more than the
    rows' queries. Every text and link is escaped as it is written.
    """
    language = get_language()
    return mark_safe(  # noqa: S308 - every cell's text and link escaped above
        "\n".join(
            "  <tr{}>{}</tr>".format(
                _HIGHLIGHT if highlight else "",
                "".join(
                    _report_cell(cell, url, index == 0, language)
                    for index, (cell, url) in enumerate(cells)
                ),
            )
            for highlight, cells in rows
        )
    )


def move_label_text(change) -> str:
    """How a tier move reads; never association wording for a supplier."""
    target = change.to_tier
    if target is None:
        return "End of the association"
    if not target.is_association:
        if change.direction == "start":
            return f"Recorded as {target.name}"
        return f"Change to {target.name} (not an association)"
    return {
        "start": f"New association as {target.name}",
        "up": f"Move up to {target.name}",
        "down": f"Move down to {target.name}",
        "same": f"Renewal as {target.name}",
    }.get(change.direction, f"Move to {target.name}")


@register.filter
def move_label(change) -> str:
    return move_label_text(change)


# Rows of long lists render these in Python: an {% include %} per cell costs
# more than the rest of the row. The markup is that of the partials of the same
# name (templates/staff/partials/tier_badge.html and mou_state.html).

MOU_STATE_BADGES = {
    "draft": ("text-bg-secondary", "Draft"),
    "negotiation": ("text-bg-info", "In negotiation"),
    "expired": ("text-bg-warning", "Expired"),
    "terminated": ("text-bg-danger", "Terminated"),
    "signed": ("text-bg-light border", "Signed, not in force"),
}


@register.simple_tag
def tier_badge(code, name) -> str:
    """A level of association; suppliers are labelled as such, never as partners."""
    if not code:
        return mark_safe(
            '<span class="badge text-bg-light border">No current level</span>'
        )
    if code == "supplier":
        return format_html(
            '<span class="badge badge-tier badge-tier-{}"><i class="bi bi-receipt" '
            'aria-hidden="true"></i> {} <span class="visually-hidden">'
            "(not an association)</span></span>",
            code,
            name,
        )
    return format_html(
        '<span class="badge badge-tier badge-tier-{}">{}</span>', code, name
    )


@register.simple_tag
def mou_state(org) -> str:
    """An organisation row's MoU: in force (with its end), else the latest status."""
    if org.mou_in_force_end:
        return format_html(
            '<span class="badge text-bg-success">Signed</span> '
            '<span class="small text-nowrap">to {}</span>',
            date_format(org.mou_in_force_end),
        )
    badge = MOU_STATE_BADGES.get(org.latest_mou_status)
    if badge is None:
        return mark_safe('<span class="text-body-secondary small">None</span>')
    return format_html('<span class="badge {}">{}</span>', *badge)


@register.filter
def may_edit(user, organisation) -> bool:
    """`{% if user|may_edit:org %}`: offer a write link only to who may follow it."""
    from ceop_crm.access import may_edit_organisation

    return may_edit_organisation(user, organisation)
