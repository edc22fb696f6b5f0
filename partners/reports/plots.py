"""The dashboard's plots, shared between requests as the report figures are."""

from datetime import date

from partners.reports.coverage import priority_coverage
from partners.reports.figures import report_figures_cached
from partners.reports.levels import tier_sector_counts
from partners.reports.reviews import review_quarter_counts


def dashboard_plots(*, today: date) -> dict:
    """The three dashboard plots' figures (partners.reports.figures).

    They aggregate whole tables, so every dashboard view would otherwise pay for
    them; a committed change to what they count bumps the figures' version, so
    they are never stale after a change.
    """
    return report_figures_cached(
        "dashboard-plots",
        today=today,
        build=lambda: {
            "tiers": tier_sector_counts(today=today),
            "quarters": review_quarter_counts(today=today),
            "coverage": priority_coverage(today=today),
        },
    )
