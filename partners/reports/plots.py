"""The dashboard's plots, cached under a version key that each change bumps."""

from datetime import date

from partners.reports.base import logger
from partners.reports.coverage import priority_coverage
from partners.reports.levels import tier_sector_counts
from partners.reports.reviews import review_quarter_counts

PLOTS_CACHE_SECONDS = 60


PLOTS_VERSION_KEY = "workspace:dashboard-plots:version"


def _plots_version():
    """The plots' version in the shared cache (Redis when configured)."""
    from django.core.cache import caches

    try:
        return caches["shared"].get(PLOTS_VERSION_KEY, 0)
    except Exception:  # the cache is an optimisation, never an outage
        logger.warning("Shared cache unavailable: dashboard plots unversioned")
        return "unversioned"


def dashboard_plots_invalidate() -> None:
    """A change the plots count was committed: every process reads them afresh.

    Called on commit of a change to organisations, associations, reviews,
    contributions, proposals or priority areas (partners.signals).
    """
    from django.core.cache import caches

    shared = caches["shared"]
    try:
        try:
            shared.incr(PLOTS_VERSION_KEY)
        except ValueError:  # not set yet, or expired
            shared.set(PLOTS_VERSION_KEY, 1, None)
    except Exception:  # a save never fails on the cache
        logger.warning("Shared cache unavailable: dashboard plots not invalidated")


def dashboard_plots(*, today: date) -> dict:
    """The three dashboard plots' figures, shared for a minute.

    They aggregate whole tables, so every dashboard view would otherwise pay for
    them. A committed change to what they count bumps their version
    (dashboard_plots_invalidate), so they are never stale after a change; the
    minute only bounds how long an unused copy is kept. The report pages always
    read live figures.
    """
    from django.core.cache import cache

    key = f"workspace:dashboard-plots:{today.isoformat()}:{_plots_version()}"
    plots = cache.get(key)
    if plots is None:
        plots = {
            "tiers": tier_sector_counts(today=today),
            "quarters": review_quarter_counts(today=today),
            "coverage": priority_coverage(today=today),
        }
        cache.set(key, plots, PLOTS_CACHE_SECONDS)
    return plots
