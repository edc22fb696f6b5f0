"""Figures shared between requests: the dashboard's plots and the aggregate
reports, cached under one version that every committed change to what they
count bumps.

The version lives in the shared cache (Redis when configured) so that every
web process sees a change at once; the figures themselves are kept in each
process's own cache for at most a minute. A change is committed, then the
version is bumped (partners.signals, and the bulk writes that send no
signals): a request reads the version before the rows, so figures stored under
a version never predate it. When the shared cache fails, the figures are read
live.
"""

import hashlib
import time
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from partners.reports.base import logger

FIGURES_CACHE_SECONDS = 60
FIGURES_VERSION_KEY = "workspace:report-figures:version"

T = TypeVar("T")


def report_figures_version() -> int | None:
    """The figures' version in the shared cache; None when it cannot be read."""
    from django.core.cache import caches

    try:
        return caches["shared"].get(FIGURES_VERSION_KEY, 0)
    except Exception:  # the cache is an optimisation, never an outage
        logger.warning("Shared cache unavailable: report figures read live")
        return None


def report_figures_invalidate() -> None:
    """A change the figures count was committed: every process reads them afresh."""
    from django.core.cache import caches

    shared = caches["shared"]
    try:
        try:
            shared.incr(FIGURES_VERSION_KEY)
        except ValueError:  # not set yet, or lost by the cache
            # A new value no process can have used: not 1 again after a loss.
            shared.set(FIGURES_VERSION_KEY, time.time_ns(), None)
    except Exception:  # a save never fails on the cache
        logger.warning("Shared cache unavailable: report figures not invalidated")


# report_figures_cached reads the version itself unless given one.
_UNREAD = object()


def report_figures_cached(
    name: str, *, today: date, build: Callable[[], T], version=_UNREAD
) -> T:
    """``build()``'s figures, shared for a minute under the current version;
    built live when the cache fails. ``version``: read by the caller before
    anything ``build`` uses was read."""
    from django.core.cache import cache

    if version is _UNREAD:
        version = report_figures_version()
    if version is None:
        return build()
    digest = hashlib.sha256(name.encode()).hexdigest()[:32]
    key = f"workspace:figures:{digest}:{today.isoformat()}:{version}"
    try:
        figures = cache.get(key)
    except Exception:
        logger.warning("Cache unavailable: report figures read live")
        return build()
    if figures is None:
        figures = build()
        try:
            cache.set(key, figures, FIGURES_CACHE_SECONDS)
        except Exception:
            logger.warning("Cache unavailable: report figures not kept")
    return figures
