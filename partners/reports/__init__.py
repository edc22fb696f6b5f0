"""The workspace's reports and the dashboard's plots, by subject; each report is built the same way for its page, its downloads and the scheduled emails."""

from partners.reports.annual_review import (  # noqa: F401
    ANNUAL_REVIEW_BENEFITS,
    report_annual_review,
)
from partners.reports.base import (  # noqa: F401
    ACTIVE_SUPPORT,
    AGREED_SUPPORT,
    NO_LEVEL,
    Report,
    ReportSpec,
    _fill,
    _year,
    logger,
    year_choices,
)
from partners.reports.coverage import (  # noqa: F401
    priority_coverage,
    report_priority_coverage,
)
from partners.reports.figures import (  # noqa: F401
    FIGURES_CACHE_SECONDS,
    FIGURES_VERSION_KEY,
    report_figures_cached,
    report_figures_invalidate,
    report_figures_version,
)
from partners.reports.levels import (  # noqa: F401
    report_partners_by_tier,
    tier_sector_counts,
)
from partners.reports.lists import (  # noqa: F401
    report_contacts,
    report_mous,
)
from partners.reports.plots import dashboard_plots  # noqa: F401
from partners.reports.registry import (  # noqa: F401
    REPORTS,
    _filename,
    _report_organisations,
    report_build,
    report_csv,
    report_xlsx,
)
from partners.reports.reviews import (  # noqa: F401
    report_reviews,
    review_quarter_counts,
)
