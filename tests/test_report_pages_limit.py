"""A report page reads only the rows it shows: the long reports (MoUs, contacts)
are limited in the database and count the rest, so the page costs the same at
100,000 organisations as at 1,000; the downloads still hold every row."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from ceop_crm.privacy.models import ReadLogEntry, ReadLogRecord
from partners.reports import report_build
from tests import factories
from tests.clients import VerifiedClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def few_rows_on_page(monkeypatch):
    monkeypatch.setattr("partners.views.reports.ROWS_ON_PAGE", 3)


def _logged_contacts(kind_what: str) -> int:
    entry = ReadLogEntry.objects.filter(what__contains=kind_what).latest("pk")
    return ReadLogRecord.objects.filter(entry=entry).count()


def test_contacts_page_reads_and_logs_only_the_contacts_it_shows(
    analyst, few_rows_on_page
):
    organisation = factories.OrganisationFactory()
    factories.ContactFactory.create_batch(5, organisation=organisation)
    client = VerifiedClient()
    client.force_login(analyst)
    page = client.get(reverse("workspace:report", args=["contacts"]))
    assert page.status_code == 200
    assert len(page.context["rows"]) == 3
    assert page.context["total_rows"] == 5
    assert page.context["truncated"]
    assert _logged_contacts("(page)") == 3
    download = client.get(
        reverse("workspace:report_download", args=["contacts", "csv"])
    )
    assert download.status_code == 200
    assert _logged_contacts("(csv download)") == 5


def test_long_reports_page_reads_its_rows_with_a_limit():
    """The page's rows, keys and logged contacts are read with a LIMIT (a plan
    for a few rows), never a cursor over the whole table cut short."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    organisation = factories.OrganisationFactory()
    factories.ContactFactory.create_batch(4, organisation=organisation)
    factories.MoUFactory(organisation=organisation)
    for slug in ("contacts", "mous"):
        with CaptureQueriesContext(connection) as queries:
            report_build(slug=slug, limit=3)
        reads = [
            q["sql"]
            for q in queries.captured_queries
            if ("partners_contact" in q["sql"] or "partners_mou" in q["sql"])
            and "ORDER BY" in q["sql"]
            # not the summary's figures
            and "COUNT(" not in q["sql"]
        ]
        assert reads, slug
        # Each read of rows is limited to what the page still needs.
        limits = [re.search(r"LIMIT (\d+)$", sql) for sql in reads]
        assert all(m and int(m.group(1)) <= 3 for m in limits), reads


def test_mou_report_limited_keeps_the_order_of_the_whole_report():
    today = timezone.localdate()
    for index, (status, end) in enumerate(
        [
            ("signed", today + dt.timedelta(days=300)),
            ("draft", None),
            ("signed", today + dt.timedelta(days=20)),
            ("expired", today - dt.timedelta(days=5)),
            ("draft", today + dt.timedelta(days=3)),
        ]
    ):
        factories.MoUFactory(
            organisation=factories.OrganisationFactory(),
            status=status,
            end=end,
            title=f"MoU {index}",
        )
    whole = report_build(slug="mous")
    for limit in (1, 2, 3, 4, 5, 6):
        page = report_build(slug="mous", limit=limit)
        assert page.rows == whole.rows[:limit]
        assert page.options["total_rows"] == len(whole.rows) == 5
    # By state in the order of MoU.Status, soonest end first, no end last.
    assert [row[1] for row in whole.rows] == [
        "MoU 4",
        "MoU 1",
        "MoU 2",
        "MoU 0",
        "MoU 3",
    ]


def test_contacts_page_logs_the_contacts_it_shows_not_the_first_stored(
    analyst, few_rows_on_page
):
    # Stored first, listed last: the page lists by organisation name.
    late = factories.ContactFactory.create_batch(
        3, organisation=factories.OrganisationFactory(name="Zeta Trust")
    )
    early = factories.ContactFactory.create_batch(
        3, organisation=factories.OrganisationFactory(name="Alpha Trust")
    )
    client = VerifiedClient()
    client.force_login(analyst)
    page = client.get(reverse("workspace:report", args=["contacts"]))
    assert page.context["rows"][0][1][0][0] == "Alpha Trust"
    entry = ReadLogEntry.objects.filter(what__contains="(page)").latest("pk")
    logged = set(
        ReadLogRecord.objects.filter(entry=entry).values_list("object_id", flat=True)
    )
    assert logged == {c.pk for c in early}
    assert not logged & {c.pk for c in late}


def _mou_page_queries(client, total: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("workspace:report", args=["mous"]))
    assert page.status_code == 200
    assert page.context["total_rows"] == total
    return len(captured.captured_queries)


def test_mou_page_queries_the_same_for_10_and_200_mous(
    analyst, few_rows_on_page, django_capture_on_commit_callbacks
):
    client = VerifiedClient()
    client.force_login(analyst)
    client.get("/")  # the session and the role cache out of the counts
    for status in ("draft", "negotiation", "signed", "expired", "terminated"):
        factories.MoUFactory.create_batch(2, status=status)
    at_10 = _mou_page_queries(client, 10)
    # Committed, as the figures shared between requests are read afresh after
    # a commit (partners.reports.figures): both pages count their MoUs.
    with django_capture_on_commit_callbacks(execute=True):
        factories.MoUFactory.create_batch(190, status="draft")
    assert _mou_page_queries(client, 200) == at_10
