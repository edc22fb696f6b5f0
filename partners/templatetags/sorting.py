"""Column headers that sort a list when clicked, saying how it is sorted (aria-sort)."""

from django import template
from django.utils.html import format_html

register = template.Library()

# A column's sort keys (those of OrganisationFilter.sort) with the direction
# each one sorts; clicking a sorted column turns it the other way when it can.
COLUMNS: dict[str, list[tuple[str, str]]] = {
    "name": [("name", "ascending"), ("-name", "descending")],
    "tier": [("tier", "descending")],
    "owner": [("owner", "ascending")],
    "next_review": [("next_review", "ascending")],
}
DEFAULT_SORT = "name"
ICONS = {"ascending": "bi-sort-down-alt", "descending": "bi-sort-down"}


@register.simple_tag(takes_context=True)
def sortable_th(context, label: str, column: str, css_class: str = "") -> str:
    """A <th> whose link sorts by ``column``, keeping the other filters."""
    request = context["request"]
    current = request.GET.get("sort") or DEFAULT_SORT
    options = COLUMNS[column]
    keys = [key for key, _ in options]
    direction = dict(options).get(current)
    if direction is not None and len(keys) > 1:
        target = keys[(keys.index(current) + 1) % len(keys)]
    else:
        target = keys[0]
    query = request.GET.copy()
    query.pop("page", None)
    query["sort"] = target
    next_direction = dict(options)[target]
    return format_html(
        '<th scope="col"{}{}><a class="sort-link link-body-emphasis '
        'text-decoration-none" href="?{}">{}<span class="visually-hidden">, sort '
        '{}</span> <i class="bi {}" aria-hidden="true"></i></a></th>',
        format_html(' class="{}"', css_class) if css_class else "",
        format_html(' aria-sort="{}"', direction) if direction else "",
        query.urlencode(),
        label,
        next_direction,
        ICONS[direction] if direction else "bi-arrow-down-up text-body-tertiary",
    )
