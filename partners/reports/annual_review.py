"""The Annual Review recognition list, following the benefits."""

from collections import Counter
from datetime import date

from partners.click_through import links_annual_review
from partners.reports.base import Report, _fill

# --- Annual Review recognition list --------------------------------------------


# The benefits whose recognition the Annual Review gives, in the strategy's
# words: an Official Supporter's "Recognition in CEOP Annual Review" and a
# Strategic Partner's "Prominent recognition in relevant CEOP publications".
ANNUAL_REVIEW_BENEFITS = (
    "Recognition in CEOP Annual Review",
    "Prominent recognition in relevant CEOP publications",
)


def report_annual_review(*, today: date, year: str | None = None, **_) -> Report:
    """Who the Annual Review recognises: the organisations whose level, at any time
    in the year, is entitled to a recognition benefit, with what was delivered."""
    from partners.downloads.sources import report_rows_annual_review

    source = report_rows_annual_review(today, year)
    label, start, end = source.period
    report = Report(
        slug="annual-review",
        title=source.title,
        description="Recognition follows the benefit: first the organisations "
        "entitled to “Recognition in CEOP Annual Review”, then the Strategic "
        "Partners entitled to “Prominent recognition in relevant CEOP "
        f"publications”, at any time in the planning year ({start:%-d %b %Y} to "
        f"{end:%-d %b %Y}), with the deliveries of that benefit in the year. "
        "Suppliers and contractors are not associations and are never listed. "
        "The figures count the organisations listed at each level.",
        columns=source.columns,
        options={"year": label},
    )
    _fill(report, source)
    keys = list(source.row_keys())
    # Each level's organisations, in the order the rows list the levels.
    per_level = Counter((code, name) for _org, code, name in keys)
    report.options["summary"] = [
        (code, name, n) for (code, name), n in per_level.items()
    ]
    links_annual_review(report, keys=keys)
    return report
