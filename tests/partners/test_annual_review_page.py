"""The Annual Review's page reads only the rows it shows: its figures per level
are one aggregate query that agrees with the whole list, and its queries do not
grow with the associations of the year; the download still holds every row."""

import csv
import datetime as dt
import io
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners.reports import report_build
from tests import factories
from tests.clients import VerifiedClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(analyst):
    c = VerifiedClient()
    c.force_login(analyst)
    c.get("/")  # the session and the role cache out of the counts
    return c


def _days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def _year_of_moves() -> dict[str, int]:
    """Associations of this year: plain ones at each recognised level, an
    organisation moved within a level (two associations, listed once) and one
    moved between levels (listed at both); a Partner and a supplier, never
    listed."""
    supporter = factories.tier("official-supporter")
    strategic = factories.tier("strategic-partner")
    for _ in range(3):
        factories.AssociationFactory(tier=supporter, start=_days_ago(100))
    factories.AssociationFactory(tier=strategic, start=_days_ago(90))
    moved_within = factories.OrganisationFactory(name="Moved within")
    factories.AssociationFactory(
        organisation=moved_within,
        tier=supporter,
        start=_days_ago(200),
        end=_days_ago(150),
    )
    factories.AssociationFactory(
        organisation=moved_within, tier=supporter, start=_days_ago(149)
    )
    moved_up = factories.OrganisationFactory(name="Moved up")
    factories.AssociationFactory(
        organisation=moved_up, tier=supporter, start=_days_ago(200), end=_days_ago(120)
    )
    factories.AssociationFactory(
        organisation=moved_up, tier=strategic, start=_days_ago(119)
    )
    factories.AssociationFactory(tier=factories.tier("partner"))
    factories.AssociationFactory(tier=factories.tier("supplier"))
    return {supporter.name: 5, strategic.name: 2}


def test_annual_review_figures_count_the_whole_list_once_per_level():
    expected = _year_of_moves()
    whole = report_build(slug="annual-review")
    listed = Counter(row[1] for row in whole.rows)
    assert listed == expected
    names = [row[2] for row in whole.rows]
    assert names.count("Moved within") == 1
    assert names.count("Moved up") == 2
    page = report_build(slug="annual-review", limit=3)
    figures = {name: n for name, n, _url in page.options["summary"]}
    assert figures == dict(listed)
    # In the order the rows list the levels: the Annual Review's own first.
    assert [name for name, _n, _u in page.options["summary"]] == list(listed)
    assert page.options["total_rows"] == len(whole.rows) == 7
    # Cut anywhere, the page holds the whole list's first rows, in its order.
    for limit in (1, 3, 5, 6, 7, 50):
        assert (
            report_build(slug="annual-review", limit=limit).rows == (whole.rows[:limit])
        )


def test_annual_review_moved_within_a_level_shows_its_first_association():
    _year_of_moves()
    row = next(
        r for r in report_build(slug="annual-review").rows if r[2] == "Moved within"
    )
    assert (row[4], row[5]) == (_days_ago(200), _days_ago(150))


def test_annual_review_page_holds_at_most_the_limit_and_the_download_all(
    client, monkeypatch
):
    monkeypatch.setattr("partners.views.reports.ROWS_ON_PAGE", 3)
    _year_of_moves()
    page = client.get(reverse("workspace:report", args=["annual-review"]))
    assert page.status_code == 200
    assert len(page.context["report"].rows) == 3
    assert len(page.context["rows"]) == 3
    assert page.context["total_rows"] == 7
    assert page.context["truncated"]
    assert "7 rows; the first 3 are shown" in page.content.decode()
    download = client.get(
        reverse("workspace:report_download", args=["annual-review", "csv"])
    )
    rows = list(csv.reader(io.StringIO(download.getvalue().decode("utf-8-sig"))))
    assert len(rows) == 1 + 7


def test_annual_review_page_reads_only_its_rows_deliveries(client, manager):
    from tiers.services import benefit_delivery_record

    supporter = factories.tier("official-supporter")
    recognition = supporter.benefits.get(text="Recognition in CEOP Annual Review")
    for name in ("A first", "B second"):
        association = factories.AssociationFactory(
            tier=supporter,
            organisation=factories.OrganisationFactory(name=name),
            start=_days_ago(100),
        )
        benefit_delivery_record(
            organisation=association.organisation,
            benefit=recognition,
            delivered_on=_days_ago(1),
            actor=manager,
            description=f"Named: {name}",
        )
    page = report_build(slug="annual-review", limit=1)
    assert page.rows[0][2] == "A first"
    assert page.rows[0][-1].endswith("Named: A first")
    whole = report_build(slug="annual-review")
    assert whole.rows[1][-1].endswith("Named: B second")


def _associations(count: int) -> None:
    supporter = factories.tier("official-supporter")
    strategic = factories.tier("strategic-partner")
    for i in range(count):
        factories.AssociationFactory(
            tier=supporter if i % 2 else strategic, start=_days_ago(100)
        )


def _page_queries(client, total: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("workspace:report", args=["annual-review"]))
    assert page.status_code == 200
    assert page.context["total_rows"] == total
    return len(captured.captured_queries)


@pytest.mark.parametrize("rows_on_page", [5, 500])
def test_annual_review_page_queries_the_same_for_10_and_200(
    client, monkeypatch, rows_on_page, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("partners.views.reports.ROWS_ON_PAGE", rows_on_page)
    # Committed, so the figures per level are read afresh each time.
    with django_capture_on_commit_callbacks(execute=True):
        _associations(10)
    at_10 = _page_queries(client, 10)
    with django_capture_on_commit_callbacks(execute=True):
        _associations(190)
    assert _page_queries(client, 200) == at_10


def test_annual_review_figures_are_shared_until_a_change_commits(
    client, django_capture_on_commit_callbacks
):
    _associations(4)
    assert _page_queries(client, 4)
    # Not committed: the figures and rows shared stay.
    _associations(1)
    assert _page_queries(client, 4)
    with django_capture_on_commit_callbacks(execute=True):
        _associations(1)
    assert _page_queries(client, 6)


def test_annual_review_rows_are_shared_until_a_change_commits(
    client, manager, django_capture_on_commit_callbacks
):
    """The page's rows are kept as its figures are: a delivery recorded shows
    once it commits, and read again the page reads no association or
    delivery."""
    from tiers.services import benefit_delivery_record

    supporter = factories.tier("official-supporter")
    recognition = supporter.benefits.get(text="Recognition in CEOP Annual Review")
    association = factories.AssociationFactory(
        tier=supporter,
        organisation=factories.OrganisationFactory(name="A first"),
        start=_days_ago(100),
    )

    def delivered() -> str:
        page = client.get(reverse("workspace:report", args=["annual-review"]))
        assert page.status_code == 200
        return page.context["report"].rows[0][-1]

    def record(description: str) -> None:
        benefit_delivery_record(
            organisation=association.organisation,
            benefit=recognition,
            delivered_on=_days_ago(1),
            actor=manager,
            description=description,
        )

    before = delivered()
    with django_capture_on_commit_callbacks(execute=False):
        record("Unsaid")
    assert delivered() == before
    with CaptureQueriesContext(connection) as captured:
        delivered()
    statements = " ".join(q["sql"] for q in captured.captured_queries)
    for table in ("tiers_association", "tiers_benefitdelivery"):
        assert f'FROM "{table}"' not in statements, table

    with django_capture_on_commit_callbacks(execute=True):
        record("Said")
    assert "Said" in delivered()
