"""The Annual Review recognition list, following the benefits."""

from datetime import date

from partners.click_through import links_annual_review
from partners.reports.base import Report
from partners.reports.figures import report_figures_cached, report_figures_version

# --- Annual Review recognition list --------------------------------------------


# The benefits whose recognition the Annual Review gives, in the strategy's
# words: an Official Supporter's "Recognition in CEOP Annual Review" and a
# Strategic Partner's "Prominent recognition in relevant CEOP publications".
ANNUAL_REVIEW_BENEFITS = (
    "Recognition in CEOP Annual Review",
    "Prominent recognition in relevant CEOP publications",
)


def report_annual_review(
    *, today: date, year: str | None = None, limit: int | None = None, **_
) -> Report:
    """Who the Annual Review recognises: the organisations whose level, at any time
    in the year, is entitled to a recognition benefit, with what was delivered.

    With ``limit`` (a page), only the first rows are read; the figures per level
    are one aggregate query, and their sum is the number of rows.
    """
    from partners.downloads.sources import ANNUAL_REVIEW_COLUMNS, AnnualReviewListing

    # Read before the listing reads the benefits and the year: the rows and
    # the figures are kept under it, never a newer one, and agree.
    version = report_figures_version()
    listing = AnnualReviewListing(today, year)
    label, start, end = listing.period
    report = Report(
        slug="annual-review",
        title=f"Annual Review {label}: recognition list",
        description="Recognition follows the benefit: first the organisations "
        "entitled to “Recognition in CEOP Annual Review”, then the Strategic "
        "Partners entitled to “Prominent recognition in relevant CEOP "
        f"publications”, at any time in the planning year ({start:%-d %b %Y} to "
        f"{end:%-d %b %Y}), with the deliveries of that benefit in the year. "
        "Suppliers and contractors are not associations and are never listed. "
        "The figures count the organisations listed at each level.",
        columns=ANNUAL_REVIEW_COLUMNS,
        options={"year": label},
    )
    # Its rows too, for a page (a download reads them all, once): every table
    # they read is one partners.signals names.
    rows = (
        listing.rows(limit)
        if limit is None
        else report_figures_cached(
            f"annual-review-rows:{label}:{start}:{end}:{limit}",
            today=today,
            build=lambda: list(listing.rows(limit)),
            version=version,
        )
    )
    keys = []
    for row_keys, (row, _highlight) in rows:
        keys.append(row_keys)
        report.rows.append(row)
    # A figure per level over the whole year: shared as the report figures are.
    summary = report_figures_cached(
        f"annual-review-summary:{label}:{start}:{end}",
        today=today,
        build=listing.summary,
        version=version,
    )
    if limit is not None:
        # Each organisation is listed once per level: the figures add up to the rows.
        report.options["total_rows"] = sum(n for _code, _name, n in summary)
    report.options["summary"] = summary
    links_annual_review(report, keys=keys)
    return report
