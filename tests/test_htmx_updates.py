"""Every htmx update is told to screen readers (issue 16).

Each page carries one polite live region, #htmx-announcer (templates/base.html),
that no swap replaces; static/js/htmx-announce.js writes into it the words of
the new content's [data-announce] element after each swap, and moves the focus
when the swap took it away. These tests hold every swap of the templates to
that: a new hx-get or hx-post fails `test_every_htmx_swap_is_listed` until its
answer is checked here. The browser side (keys only, focus, the region's text)
is tests/browser/test_htmx_updates.py.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from ceop_crm.privacy.models import SubjectAccessExport
from partners.imports.models import ImportJob
from planning.models import Reminder
from tests.clients import VerifiedClient
from tests.page_walk import sample_world
from tests.test_workspace_access import add_report_download

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
HX_REQUEST = re.compile(r"\bhx-(get|post)=")

# Template holding an hx-get or hx-post -> how its answer is announced.
SWAPS = {
    "notifications/partials/row.html": "data-announce: marked read or unread",
    "staff/activities/_panel.html": "data-announce: logged, or the fields to correct",
    "staff/activities/task_list.html": "#list-count, a live region kept",
    "staff/lists/_simple_filters.html": "#list-count, a live region kept",
    "staff/imports/_progress.html": "data-announce: the import's state",
    "staff/partners/organisation_list.html": "#list-count, a live region kept",
    "staff/partners/organisation_detail.html": "data-announce: history loaded",
    "staff/reports/partials/download_progress.html": "data-announce: its state",
    "staff/privacy/partials/export_progress.html": "data-announce: its state",
    "staff/base.html": "data-announce: the search's counts",
}


class _Announced(HTMLParser):
    """The words of each [data-announce] element, and the live regions."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self.regions: list[dict] = []
        self._open: list[int] = []  # indexes into words still collecting text
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if attributes.get("aria-live") or attributes.get("role") == "status":
            self.regions.append(attributes)
        if "data-announce" in attributes:
            self.words.append(attributes["data-announce"] or "")
            if not attributes["data-announce"]:
                self._open.append(len(self.words) - 1)

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag in ("span", "p", "div", "caption", "ul"):
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for index in self._open:
            self.words[index] += data


def announced(response) -> list[str]:
    parser = _Announced()
    parser.feed(response.content.decode())
    return [" ".join(words.split()) for words in parser.words if words.strip()]


def test_every_htmx_swap_is_listed():
    found = {
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if HX_REQUEST.search(path.read_text())
    }
    assert found == set(SWAPS)


def test_every_layout_has_one_polite_announcer(client, manager, partner_user):
    pages = [(None, "/accounts/login/"), (None, "/get-involved/")]
    pages += [(manager, "/"), (partner_user, "/portal/")]
    for user, address in pages:
        if user:
            client.force_login(user)
        parser = _Announced()
        parser.feed(client.get(address).content.decode())
        announcers = [r for r in parser.regions if r.get("id") == "htmx-announcer"]
        assert announcers == [
            {
                "id": "htmx-announcer",
                "class": "visually-hidden",
                "role": "status",
                "aria-live": "polite",
                "aria-atomic": "true",
            }
        ], address


@pytest.fixture
def sample():
    sample = sample_world()
    add_report_download(sample.world, actor=sample.users["manager"])
    return sample


def _as(sample, role: str) -> VerifiedClient:
    client = VerifiedClient()
    client.force_login(sample.users[role])
    return client


HTMX = {"HX-Request": "true"}


def test_marking_a_notification_read_says_so(sample):
    client = _as(sample, "manager")
    reminder = Reminder.objects.get(recipient=sample.users["manager"])
    url = reverse("notification_read", args=[reminder.pk])
    response = client.post(url, headers=HTMX)
    assert announced(response) == [f"Marked as read: {reminder.title}. 0 unread."]
    response = client.post(url, {"unread": "1"}, headers=HTMX)
    assert announced(response) == [f"Marked as unread: {reminder.title}. 1 unread."]
    # The focus goes on to the next notification's button (htmx-announce.js).
    assert b'data-focus-after-swap="next"' in response.content
    assert b"data-swap-focus>Mark read</button>" in response.content


def test_logging_an_activity_says_so_or_names_the_fields(sample):
    client = _as(sample, "manager")
    url = reverse("activities:activity_create", args=[sample.world.organisation.pk])
    response = client.post(url, {"kind": "call", "summary": ""}, headers=HTMX)
    assert announced(response) == ["Not logged: 2 fields to correct."]
    response = client.post(
        url,
        {"kind": "call", "occurred_at": "2026-05-04T10:30", "summary": "Spoke."},
        headers=HTMX,
    )
    [words] = announced(response)
    assert words.lower().startswith(("logged", "activity logged", "call logged"))


def _list_count(response) -> str:
    """The text of the list's count, the live region its filters keep."""
    match = re.search(r'<p id="list-count"[^>]*>(.*?)</p>', response.content.decode())
    assert match, "no #list-count"
    return " ".join(match.group(1).split())


def test_filtering_tasks_says_how_many(sample):
    client = _as(sample, "manager")
    response = client.get(reverse("activities:task_list") + "?q=zzz", headers=HTMX)
    assert _list_count(response) == "0 tasks."


def test_import_progress_says_its_state(sample):
    client = _as(sample, "senior")
    job = ImportJob.objects.filter(status="done").get()
    response = client.get(reverse("partners:import_progress", args=[job.pk]))
    assert announced(response) == [
        f"Import finished: {job.created} created, {job.updated} updated, "
        f"{job.skipped} unchanged, {job.failed} failed"
    ]


def test_download_and_export_progress_say_their_state(sample):
    client = _as(sample, "manager")
    download = sample.world.report_download
    response = client.get(
        reverse("workspace:report_download_detail", args=[download.pk]), headers=HTMX
    )
    assert "Download: ready to download" in announced(response)
    client = _as(sample, "dpo")
    export = SubjectAccessExport.objects.get()
    response = client.get(reverse("privacy:export_detail", args=[export.pk]))
    assert any(
        words.startswith("Subject access export: ready to download")
        for words in announced(response)
    )


def test_searching_says_how_many_of_each(sample):
    client = _as(sample, "manager")
    response = client.get(reverse("search:search") + "?q=Brightwater", headers=HTMX)
    [words] = announced(response)
    assert re.match(r"^\d+ organisations?", words), words


def test_the_history_says_it_has_loaded(sample):
    client = _as(sample, "manager")
    url = reverse("partners:organisation_history", args=[sample.world.organisation.pk])
    [words] = announced(client.get(url, headers=HTMX))
    assert re.match(r"^History loaded: \d+ changes?\.$", words), words


@pytest.mark.parametrize(
    "url_name",
    [
        "partners:organisation_list",
        "planning:review_list",
        "tiers:tier_change_list",
        "partners:proposal_list",
        "activities:task_list",
    ],
)
def test_each_list_count_stays_one_live_region(sample, url_name):
    client = _as(sample, "manager")
    response = client.get(reverse(url_name) + "?q=Bright")
    parser = _Announced()
    parser.feed(response.content.decode())
    [count] = [r for r in parser.regions if r.get("id") == "list-count"]
    assert (count["role"], count["aria-live"]) == ("status", "polite")
    # The form swaps #list-results and only the text of #list-count (innerHTML).
    assert b'hx-select-oob="#list-count:innerHTML"' in response.content
