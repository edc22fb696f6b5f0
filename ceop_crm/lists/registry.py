"""Every list people work with, by name (the saved views' ``list_name``).

Named by import path, read when first asked for: each spec lives with its app,
which imports this package, not the other way round.
"""

from functools import cache

from django.http import Http404
from django.utils.module_loading import import_string

from ceop_crm.lists.spec import ListSpec

LISTS = {
    "tasks": "activities.lists.TASKS",
    "organisations": "partners.lists.ORGANISATIONS",
    "proposals": "partners.lists.PROPOSALS",
    "reviews": "planning.lists.REVIEWS",
    "tier-moves": "tiers.lists.TIER_MOVES",
}


@cache
def list_spec(name: str) -> ListSpec:
    """The list of that name (Http404 when there is none)."""
    if name not in LISTS:
        raise Http404("No such list.")
    return import_string(LISTS[name])
