"""Where a report's figure or a dashboard bar leads: the filtered list behind it.

Kept apart from the reports (partners/reports/ computes the figures); this only
turns a figure's coordinates into a list's query string, with the filters that
list offers (partners/filters.py, planning/filters.py, the proposal list's
priority area), so the list shows exactly the rows the figure counts. A figure
of nought links nowhere: there is no row behind it.
"""

from urllib.parse import urlencode

from ceop_crm.paths import path_of, pk_path
from partners.models import Proposal
from partners.reports.base import NO_LEVEL, Report
from tiers.models import TierLevel


def _url(name: str, **params) -> str:
    # Reversed once (ceop_crm.paths): the dashboard links a hundred and more
    # of its figures to a handful of lists.
    base = path_of(name)
    return f"{base}?{urlencode(params)}" if params else base


def organisation_list_url(**params) -> str:
    return _url("partners:organisation_list", **params)


def review_list_url(**params) -> str:
    # Everyone's reviews, every state: the report counts them all.
    return _url("planning:review_list", show="all", scope="all", **params)


def tier_sector_urls(*, tiers: list[str], sectors: list[str]) -> list[list[str]]:
    """For each sector, for each tier (by name, as the plot has them), its list."""
    codes = dict(TierLevel.objects.values_list("name", "code"))
    codes[NO_LEVEL] = "none"
    return [
        [organisation_list_url(tier=codes[t], sector=s) for t in tiers] for s in sectors
    ]


def review_window_urls(*, year: str, windows: list[str]) -> dict[str, dict[str, str]]:
    """For each window of the reviews report, for each of its columns, its list."""
    outcomes = ("due", "on_time", "late", "overdue", "upcoming")
    return {
        w: {o: review_list_url(year=year, window=w, outcome=o) for o in outcomes}
        for w in windows
    }


def coverage_urls(*, area_pk: int) -> dict[str, str]:
    """A priority area's coverage figures: its support, its organisations, its
    proposals awaiting triage."""
    detail = pk_path("priorities:priority_area_detail")(area_pk)
    return {
        "area": detail,
        "support": detail,
        "active": f"{detail}?support=now",
        "organisations": organisation_list_url(supports=area_pk),
        "proposals_open": _url(
            "partners:proposal_list",
            status=Proposal.Status.SUBMITTED,
            priority_area=area_pk,
        ),
    }


# --- The report pages' links, cell by cell -----------------------------------

# A page of a long report links hundreds of rows: each URL is the pattern's,
# reversed once, with the row's id put in (ceop_crm.paths.pk_path).


def _link_nonzero(report: Report, row: int, column: int, url: str) -> None:
    if report.rows[row][column]:
        report.links[(row, column)] = url


def links_partners_by_tier(report: Report, *, sectors: list[str]) -> None:
    """Each level's figure per sector and its total; the associated total."""
    codes = dict(TierLevel.objects.values_list("name", "code"))
    codes[NO_LEVEL] = "none"
    for i, row in enumerate(report.rows):
        label = row[0]
        if label == "Total associated":
            params = {"associated": "true"}
        else:
            name = label.removesuffix(" (not an association)")
            params = {"tier": codes[name]}
        for c, sector in enumerate(sectors, start=1):
            _link_nonzero(report, i, c, organisation_list_url(**params, sector=sector))
        _link_nonzero(report, i, len(sectors) + 1, organisation_list_url(**params))


def links_reviews(report: Report) -> None:
    """Each window's reviews due, on time, late, overdue and not yet due."""
    year = report.options["year"]
    urls = review_window_urls(year=year, windows=[row[0] for row in report.rows])
    outcomes = ("due", "on_time", "late", "overdue", "upcoming")
    for i, row in enumerate(report.rows):
        for c, outcome in enumerate(outcomes, start=1):
            _link_nonzero(report, i, c, urls[row[0]][outcome])


def links_priority_coverage(report: Report, *, area_pks: list[int]) -> None:
    """Each area's support, support now, organisations and open proposals."""
    columns = {1: "area", 2: "support", 3: "active", 4: "organisations"}
    columns[5] = "proposals_open"
    for i, pk in enumerate(area_pks):
        urls = coverage_urls(area_pk=pk)
        report.links[(i, 1)] = urls["area"]
        for c, key in columns.items():
            if c > 1:
                _link_nonzero(report, i, c, urls[key])


def links_organisations(report: Report, *, organisation_pks: list[int]) -> None:
    """Each organisation's page, and its overdue reviews."""
    organisation_url = pk_path("partners:organisation_detail")
    for i, pk in enumerate(organisation_pks):
        report.links[(i, 0)] = organisation_url(pk)
        _link_nonzero(report, i, 9, review_list_url(outcome="overdue", organisation=pk))


def links_mous(report: Report, *, keys: list[tuple[int, int]]) -> None:
    """Each row's organisation and MoU; each state's figure, the organisations
    holding an MoU in that state."""
    organisation_url = pk_path("partners:organisation_detail")
    mou_url = pk_path("partners:mou_detail")
    for i, (organisation_pk, mou_pk) in enumerate(keys):
        report.links[(i, 0)] = organisation_url(organisation_pk)
        report.links[(i, 1)] = mou_url(mou_pk)
    report.options["summary"] = [
        (label, n, organisation_list_url(mou_status=status) if n else None)
        for status, label, n in report.options["summary"]
    ]


def links_annual_review(report: Report, *, keys: list[tuple[int, str, str]]) -> None:
    """Each row's organisation; each level's figure, the organisations
    associated at that level in the year."""
    year = report.options["year"]
    organisation_url = pk_path("partners:organisation_detail")
    for i, (organisation_pk, *_level) in enumerate(keys):
        report.links[(i, 2)] = organisation_url(organisation_pk)
    report.options["summary"] = [
        (label, n, organisation_list_url(tier=code, in_year=year) if n else None)
        for code, label, n in report.options["summary"]
    ]


def links_contacts(report: Report, *, keys: list[tuple[int, int]]) -> None:
    """Each contact's organisation (keys: organisation, contact)."""
    organisation_url = pk_path("partners:organisation_detail")
    for i, (organisation_pk, _contact_pk) in enumerate(keys):
        report.links[(i, 0)] = organisation_url(organisation_pk)
