"""Where a dashboard figure leads: the filtered organisation list behind it.

Kept apart from the reports (partners/reports.py computes the figures); this
only turns a figure's coordinates into the list's query string, with the same
filters the list offers (partners/filters.py), so the list shows exactly the
rows the figure counts.
"""

from urllib.parse import urlencode

from django.urls import reverse

from partners.reports import NO_LEVEL
from tiers.models import TierLevel


def tier_sector_urls(*, tiers: list[str], sectors: list[str]) -> list[list[str]]:
    """For each sector, for each tier (by name, as the plot has them), its list."""
    codes = dict(TierLevel.objects.values_list("name", "code"))
    codes[NO_LEVEL] = "none"
    base = reverse("partners:organisation_list")
    return [
        [f"{base}?{urlencode({'tier': codes[t], 'sector': s})}" for t in tiers]
        for s in sectors
    ]
