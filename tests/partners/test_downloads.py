"""Report downloads: CSV streamed row by row with the report's own content, XLSX
from openpyxl's write-only workbook, and past the threshold a file the worker
builds for the one user who asked, with its progress and a private link."""

import csv
import datetime as dt
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ceop_crm.privacy.models import ReadLogEntry
from partners.downloads import services as download_services
from partners.downloads.models import ReportDownload
from partners.downloads.tasks import report_download_build_task
from partners.reports import REPORTS, report_build, report_csv, report_xlsx
from tests import factories
from tests.clients import VerifiedClient
from tests.workspace_world import build_world

pytestmark = pytest.mark.django_db


def _client(user) -> VerifiedClient:
    client = VerifiedClient()
    client.force_login(user)
    return client


@pytest.fixture
def rich_world(manager):
    """Several organisations, MoUs in every state with ties on their end dates,
    contacts with equal names, so the streamed order is tested, not luck."""
    world = build_world(owner=manager)
    today = timezone.localdate()
    for n in range(6):
        org = factories.OrganisationFactory(name=f"Harbour Trust {n}", owner=manager)
        factories.ContactFactory(organisation=org, name="Sam Lee", is_primary=n % 2)
        factories.ContactFactory(organisation=org, name="=HYPERLINK(1)")
        factories.MoUFactory(
            organisation=org,
            status=["draft", "signed", "expired"][n % 3],
            end=None if n == 3 else today + dt.timedelta(days=30 * (n % 2)),
        )
    return world


def _download(client, slug: str, fmt: str, **params):
    return client.get(reverse("workspace:report_download", args=[slug, fmt]), params)


@pytest.mark.parametrize("slug", list(REPORTS))
def test_csv_download_streams_exactly_the_report(slug, rich_world, analyst):
    response = _download(_client(analyst), slug, "csv")
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    expected = report_csv(report_build(slug=slug))
    assert response.getvalue() == expected.content
    assert response["Content-Disposition"] == expected["Content-Disposition"]


@pytest.mark.parametrize("slug", list(REPORTS))
def test_xlsx_download_holds_the_reports_cells(slug, rich_world, analyst):
    response = _download(_client(analyst), slug, "xlsx")
    assert response.status_code == 200
    got = load_workbook(io.BytesIO(response.getvalue())).active
    want = load_workbook(
        io.BytesIO(report_xlsx(report_build(slug=slug)).content)
    ).active
    assert [[c.value for c in r] for r in got.iter_rows()] == [
        [c.value for c in r] for r in want.iter_rows()
    ]
    assert got.freeze_panes == "A2"


def test_streamed_csv_keeps_formula_cells_quoted(rich_world, analyst):
    body = _download(_client(analyst), "contacts", "csv").getvalue().decode("utf-8-sig")
    names = [row[1] for row in csv.reader(io.StringIO(body))]
    assert "'=HYPERLINK(1)" in names
    assert "=HYPERLINK(1)" not in names


def test_under_the_threshold_nothing_is_recorded_for_the_worker(rich_world, analyst):
    _download(_client(analyst), "contacts", "csv")
    assert not ReportDownload.objects.exists()


@pytest.fixture
def small_threshold(settings):
    settings.REPORT_DOWNLOAD_BACKGROUND_ROWS = 3


def _ask(client, slug="contacts", fmt="csv", **params) -> ReportDownload:
    url = reverse("workspace:report_download", args=[slug, fmt])
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    response = client.post(url)
    assert response.status_code == 302
    download = ReportDownload.objects.latest("pk")
    assert response["Location"] == reverse(
        "workspace:report_download_detail", args=[download.pk]
    )
    return download


def test_past_the_threshold_a_get_offers_the_worker_and_sends_no_file(
    rich_world, analyst, small_threshold
):
    response = _download(_client(analyst), "contacts", "csv")
    assert response.status_code == 200
    assert not response.streaming
    page = response.content.decode()
    assert 'method="post"' in page
    assert "Build the CSV file" in page
    assert not ReportDownload.objects.exists()
    # The report page offers the same forms instead of links.
    report_page = _client(analyst).get(reverse("workspace:report", args=["contacts"]))
    assert report_page.context["build_in_background"] is True


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_worker_builds_the_file_and_only_its_owner_downloads_it(
    fmt, rich_world, analyst, manager, partner_user, small_threshold
):
    client = _client(analyst)
    download = _ask(client, fmt=fmt)
    assert download.status == ReportDownload.Status.PENDING
    assert download.requested_by == analyst

    # Not ready: the page polls, the file is not there.
    page = client.get(reverse("workspace:report_download_detail", args=[download.pk]))
    assert 'hx-trigger="every 2s"' in page.content.decode()
    file_url = reverse("workspace:report_download_file", args=[download.pk])
    assert client.get(file_url).status_code == 404

    # The task's own body, as the worker runs it; a second run does nothing.
    assert report_download_build_task(download.pk) is True
    assert report_download_build_task(download.pk) is False
    download.refresh_from_db()
    assert download.status == ReportDownload.Status.DONE
    assert download.progress == 100
    assert (
        download.rows_done
        == download.rows_total
        == len(report_build(slug="contacts").rows)
    )
    # A private file, outside any URL: the storage refuses to make one.
    with pytest.raises(ValueError, match="no URL"):
        download.file.url  # noqa: B018

    partial = client.get(
        reverse("workspace:report_download_detail", args=[download.pk]),
        HTTP_HX_REQUEST="true",
    )
    body = partial.content.decode()
    assert "hx-trigger" not in body
    assert file_url in body

    response = client.get(file_url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    expected = report_build(slug="contacts")
    if fmt == "csv":
        assert response.getvalue() == report_csv(expected).content
    else:
        sheet = load_workbook(io.BytesIO(response.getvalue())).active
        assert sheet.max_row == len(expected.rows) + 1
    # Personal data: the download of the file is in the read log.
    entry = ReadLogEntry.objects.filter(kind=ReadLogEntry.Kind.CONTACT_EXPORT).latest(
        "pk"
    )
    assert entry.user == analyst
    assert fmt in entry.what

    # Another member of staff, a partner user, nobody: no page and no file.
    for other in (manager,):
        other_client = _client(other)
        assert other_client.get(file_url).status_code == 404
        assert (
            other_client.get(
                reverse("workspace:report_download_detail", args=[download.pk])
            ).status_code
            == 404
        )
    assert _client(partner_user).get(file_url).status_code == 403
    assert (
        _client(partner_user)
        .post(reverse("workspace:report_download", args=["contacts", fmt]))
        .status_code
        == 403
    )
    anonymous = VerifiedClient().get(file_url)
    assert anonymous.status_code == 302


def test_the_progress_bar_counts_rows_as_the_worker_writes_them(
    rich_world, analyst, small_threshold, monkeypatch
):
    monkeypatch.setattr(download_services, "PROGRESS_EVERY", 2)
    download = _ask(_client(analyst), slug="mous")
    seen = []
    original = download_services.ReportDownload.objects.filter

    def watch(*args, **kwargs):
        row = ReportDownload.objects.values("rows_done", "rows_total").get(
            pk=download.pk
        )
        seen.append((row["rows_done"], row["rows_total"]))
        return original(*args, **kwargs)

    monkeypatch.setattr(download_services.ReportDownload.objects, "filter", watch)
    download_services.report_download_build(download_id=download.pk)
    monkeypatch.undo()
    done = [d for d, total in seen if total]
    assert done == sorted(done)
    assert any(0 < d < seen[-1][1] for d, _ in seen)


def test_a_download_whose_message_was_lost_is_built_by_the_sweep(
    rich_world, analyst, small_threshold
):
    download = _ask(_client(analyst), slug="mous", fmt="xlsx")
    result = download_services.report_downloads_sweep()
    assert result == {"built": 1, "expired": 0}
    download.refresh_from_db()
    assert download.status == ReportDownload.Status.DONE
    path = download.file.path
    # A day later the file, which may hold personal data, is gone.
    later = timezone.now() + dt.timedelta(days=1, minutes=1)
    assert download_services.report_downloads_sweep(now=later) == {
        "built": 0,
        "expired": 1,
    }
    assert not ReportDownload.objects.filter(pk=download.pk).exists()
    import os

    assert not os.path.exists(path)


def test_a_year_that_is_not_one_asks_for_the_current_year(
    rich_world, analyst, small_threshold
):
    download = _ask(_client(analyst), slug="annual-review", year="nonsense")
    assert download.year == report_build(slug="annual-review").options["year"]


def test_an_unknown_report_or_format_is_not_found(analyst, small_threshold):
    client = _client(analyst)
    for slug, fmt in (("nope", "csv"), ("contacts", "pdf")):
        url = reverse("workspace:report_download", args=[slug, fmt])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert not ReportDownload.objects.exists()


def test_the_progress_page_reads_in_a_fixed_number_of_queries(
    rich_world, analyst, small_threshold, django_assert_max_num_queries
):
    client = _client(analyst)
    download = _ask(client)
    url = reverse("workspace:report_download_detail", args=[download.pk])
    client.get(url)
    with django_assert_max_num_queries(8):
        assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200
