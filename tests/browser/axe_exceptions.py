"""The axe findings accepted on purpose, each with its reason (reviewed in code review).

A finding is accepted when its rule id is listed here for a route name that
matches (fnmatch pattern, "*" for every page) and, when given, its element's
selector contains `target`. Anything else axe reports fails
tests/browser/test_every_page.py. Keep this list short: fix the page instead
wherever the page is ours.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Exception_:
    rule: str
    routes: str
    reason: str
    target: str = ""


# Django's admin (django.contrib.admin 5.x templates and widgets), not our markup:
# overriding these widgets would fork Django's admin for pages only
# administrators use. Its styles are fitted in static/css/admin.css instead
# (target sizes, underlined links, wide inlines).
EXCEPTIONS: list[Exception_] = [
    Exception_(
        "label",
        "admin:*",
        "Django's tabular inlines label each input by its column header (<th>), "
        "and its split date and time widget by one <label> and the words "
        "'Date:' and 'Time:'; axe asks for a <label> on each input.",
    ),
    Exception_(
        "select-name",
        "admin:*",
        "Django's tabular inlines: each <select> is named by its column header.",
    ),
    Exception_(
        "aria-input-field-name",
        "admin:*",
        "Django's autocomplete fields use its bundled Select2, whose combobox "
        "<span> carries no name of its own (the field's <label> is beside it).",
    ),
    Exception_(
        "aria-prohibited-attr",
        "admin:*",
        "Django's filter_horizontal widget puts aria-label on a decorative "
        "<span> help icon; the filter input beside it is labelled.",
        target="search-label-icon",
    ),
]


def accepted(rule: str, route: str, target: str) -> Exception_ | None:
    from fnmatch import fnmatch

    for exception in EXCEPTIONS:
        if (
            exception.rule == rule
            and fnmatch(route, exception.routes)
            and exception.target in target
        ):
            return exception
    return None
