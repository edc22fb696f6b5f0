"""Paths reversed once per script prefix, for pages that link many rows.

A list or report page links each of its rows (and the dashboard a hundred and
more figures) to a handful of URL patterns: each pattern is reversed once per
script prefix and remembered, and a row's id is put into it.
"""

import functools
from collections.abc import Callable

from django.urls import get_script_prefix, reverse

# Stands for the id in a pattern reversed once (every such route takes an int).
_PK = 987654321


@functools.lru_cache(maxsize=128)
def _path(name: str, prefix: str) -> str:
    return reverse(name)


@functools.lru_cache(maxsize=128)
def _pk_pattern(name: str, prefix: str) -> str:
    return reverse(name, args=[_PK])


def path_of(name: str) -> str:
    """``reverse(name)``, once per script prefix."""
    return _path(name, get_script_prefix())


def pk_path(name: str) -> Callable[[int], str]:
    """``pk -> reverse(name, args=[pk])`` for a route that takes an int id."""
    pattern = _pk_pattern(name, get_script_prefix())
    return lambda pk: pattern.replace(str(_PK), str(int(pk)), 1)
