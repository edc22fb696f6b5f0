"""The lists people work with (organisations, reviews, tier moves, proposals):
saved views, export equal to the list, bulk actions through the single
actions' services, and every role's access."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from activities.models import Task
from ceop_crm.exceptions import ApplicationError
from ceop_crm.lists.models import SavedView
from partners import services
from partners.downloads.models import ReportDownload
from partners.downloads.services import report_download_build
from partners.downloads.writers import csv_cell
from partners.models import Organisation
from tests import factories
from tests.clients import VerifiedClient
from tests.workspace_world import build_world

pytestmark = pytest.mark.django_db

LISTS = {
    "organisations": "partners:organisation_list",
    "reviews": "planning:review_list",
    "tier-moves": "tiers:tier_change_list",
    "proposals": "partners:proposal_list",
}
# Each list filtered, sorted against its default and with some columns only.
QUERIES = {
    "organisations": {"sort": "-name", "cols": ["name", "owner", "next_review"]},
    "reviews": {"show": "all", "scope": "all", "sort": "-organisation"},
    "tier-moves": {"status": "all", "sort": "organisation", "cols": ["organisation"]},
    "proposals": {"status": "all", "sort": "title", "cols": ["title", "status"]},
}


def signed_in(user) -> VerifiedClient:
    client = VerifiedClient()
    client.force_login(user)
    return client


@pytest.fixture
def worlds(manager, senior_manager):
    mine = build_world(owner=manager)
    theirs = build_world(owner=senior_manager, name="Elsewhere Safety Trust")
    return mine, theirs


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


# --- Export equal to the list ----------------------------------------------------


@pytest.mark.parametrize("name", list(LISTS))
def test_export_holds_the_rows_order_and_columns_the_list_shows(name, worlds, analyst):
    client = signed_in(analyst)
    url = reverse(LISTS[name])
    shown = client.get(url, QUERIES[name])
    assert shown.status_code == 200
    headings = [h["label"] for h in shown.context["headers"]]
    cells = [[csv_cell(c.value) for c in row] for _, row in shown.context["rows"]]
    assert len(cells) >= 2
    exported = _csv(client.get(url, {**QUERIES[name], "format": "csv"}))
    assert exported[0] == headings
    assert exported[1:] == cells
    if "cols" in QUERIES[name]:
        assert len(headings) == len(QUERIES[name]["cols"])
    workbook = client.get(url, {**QUERIES[name], "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(workbook.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == headings
    assert [r[0] for r in rows[1:]] == [row[0] for row in exported[1:]]


def test_a_large_export_is_built_by_the_worker_with_the_same_rows(
    worlds, manager, settings
):
    settings.REPORT_DOWNLOAD_BACKGROUND_ROWS = 1
    client = signed_in(manager)
    url = reverse("partners:organisation_list")
    query = {"sort": "-name", "cols": ["name", "status"]}
    offer = client.get(url, {**query, "format": "csv"})
    assert offer.status_code == 200
    assert "Build the CSV file" in offer.content.decode()
    asked = client.post(
        url, {"query": "sort=-name&cols=name&cols=status&page=2", "format": "csv"}
    )
    download = ReportDownload.objects.get()
    assert asked["Location"] == reverse(
        "workspace:report_download_detail", args=[download.pk]
    )
    assert download.slug == "list-organisations"
    assert download.query == "sort=-name&cols=name&cols=status"
    progress = client.get(asked["Location"])
    assert '<h1 class="h3">Organisations: CSV</h1>' in progress.content.decode()
    assert report_download_build(download_id=download.pk)
    download.refresh_from_db()
    with download.file.open("rb") as f:
        built = list(csv.reader(io.StringIO(f.read().decode("utf-8-sig"))))
    settings.REPORT_DOWNLOAD_BACKGROUND_ROWS = 5000
    streamed = _csv(client.get(url, {**query, "format": "csv"}))
    assert built == streamed
    assert built[0] == ["Organisation", "Status"]
    names = [r[0] for r in built[1:]]
    assert names == sorted(names, reverse=True)
    # Only its owner downloads it.
    other = factories.UserFactory(username="other-manager")
    assert signed_in(other).get(
        reverse("workspace:report_download_file", args=[download.pk])
    ).status_code in (403, 404)


# --- Saved views ---------------------------------------------------------------------


def test_saved_views_per_person_and_list_with_one_default(
    worlds, manager, senior_manager
):
    client = signed_in(manager)
    save = reverse("lists:saved_view_save", args=["organisations"])
    client.post(save, {"name": "By owner", "query": "sort=owner&page=4&format=csv"})
    client.post(save, {"name": "Partners", "query": "tier=partner", "is_default": "1"})
    client.post(
        save, {"name": "Industry", "query": "sector=industry", "is_default": "1"}
    )
    views = SavedView.objects.filter(user=manager, list_name="organisations")
    assert list(views.filter(is_default=True).values_list("name", flat=True)) == [
        "Industry"
    ]
    assert views.get(name="By owner").query == "sort=owner"
    # The default opens when the list is opened with no query string...
    opened = client.get(reverse("partners:organisation_list"))
    assert opened.status_code == 302
    assert "sector=industry" in opened["Location"]
    page = client.get(opened["Location"])
    assert {v.name for v in page.context["saved_views"]} == {
        "By owner",
        "Partners",
        "Industry",
    }
    # ...not on another list, nor for another person.
    assert signed_in(manager).get(reverse("planning:review_list")).status_code == 200
    other = signed_in(senior_manager)
    assert other.get(reverse("partners:organisation_list")).status_code == 200
    listed = other.get(reverse("partners:organisation_list"), {"view": ""})
    assert listed.context["saved_views"] == []
    # Another person cannot delete it.
    view = views.get(name="Industry")
    other.post(reverse("lists:saved_view_delete", args=["organisations", view.pk]))
    assert SavedView.objects.filter(pk=view.pk).exists()
    client.post(reverse("lists:saved_view_delete", args=["organisations", view.pk]))
    assert not SavedView.objects.filter(pk=view.pk).exists()
    assert client.get(reverse("partners:organisation_list")).status_code == 200


def test_a_saved_view_of_an_unknown_list_is_404(manager):
    response = signed_in(manager).post(
        reverse("lists:saved_view_save", args=["nothing"]), {"name": "x"}
    )
    assert response.status_code == 404
    assert not SavedView.objects.exists()


# --- Bulk actions --------------------------------------------------------------------


def _bulk(client, name: str, rows, **data):
    return client.post(
        reverse("lists:bulk", args=[name]),
        {"row": [r.pk for r in rows], **data},
        follow=True,
    )


def test_bulk_owner_refuses_what_the_single_change_refuses(
    worlds, manager, senior_manager
):
    mine, theirs = worlds
    deputy = factories.UserFactory(username="new-owner")
    deputy.groups.add(*manager.groups.all())
    client = signed_in(manager)
    # The single change: a manager cannot hand away someone else's organisation.
    with pytest.raises(ApplicationError):
        services.organisation_update(
            organisation=theirs.organisation, actor=manager, deputy=deputy
        )
    response = _bulk(
        client,
        "organisations",
        [mine.organisation, theirs.organisation],
        action="deputy",
        person=deputy.pk,
    )
    text = response.content.decode()
    assert "Assign the deputy: done for 1 row" in text
    assert "Elsewhere Safety Trust" in text
    assert "Only the relationship owner" in text
    mine.organisation.refresh_from_db()
    theirs.organisation.refresh_from_db()
    assert mine.organisation.deputy == deputy
    assert theirs.organisation.deputy is None
    # With the history the single change records.
    last = mine.organisation.history.latest("history_date")
    assert last.history_user == manager
    assert last.deputy_id == deputy.pk


def test_bulk_owner_by_a_senior_manager(worlds, manager, senior_manager):
    mine, theirs = worlds
    _bulk(
        signed_in(senior_manager),
        "organisations",
        [mine.organisation, theirs.organisation],
        action="owner",
        person=manager.pk,
    )
    assert set(
        Organisation.objects.filter(
            pk__in=[mine.organisation.pk, theirs.organisation.pk]
        ).values_list("owner", flat=True)
    ) == {manager.pk}


def test_bulk_owner_needs_a_manager(worlds, manager, analyst):
    mine, _ = worlds
    response = _bulk(
        signed_in(manager),
        "organisations",
        [mine.organisation],
        action="owner",
        person=analyst.pk,
    )
    assert "Choose a relationship or senior manager." in response.content.decode()
    mine.organisation.refresh_from_db()
    assert mine.organisation.owner == manager


def test_bulk_add_task_refuses_organisations_one_does_not_run(worlds, manager):
    mine, theirs = worlds
    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    response = _bulk(
        signed_in(manager),
        "organisations",
        [mine.organisation, theirs.organisation],
        action="task",
        title="Call about the renewal",
        due_on=due,
    )
    text = response.content.decode()
    assert "refused for “Elsewhere Safety Trust”" in text
    task = Task.objects.get()
    assert task.organisation == mine.organisation
    assert task.assignee == manager
    assert task.title == "Call about the renewal"


def test_bulk_add_task_refuses_a_date_in_the_past_row_by_row(worlds, manager):
    mine, _ = worlds
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = _bulk(
        signed_in(manager),
        "organisations",
        [mine.organisation],
        action="task",
        title="Too late",
        due_on=yesterday,
    )
    assert "A new task is not due in the past." in response.content.decode()
    assert not Task.objects.exists()


def test_bulk_add_task_from_reviews_links_the_review(worlds, manager):
    mine, theirs = worlds
    due = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = _bulk(
        signed_in(manager),
        "reviews",
        [mine.review, theirs.review],
        action="task",
        title="Chase the self-assessment",
        due_on=due,
    )
    assert "done for 1 row" in response.content.decode()
    task = Task.objects.get()
    assert task.review == mine.review
    assert task.organisation == mine.organisation


def test_bulk_add_task_from_proposals(worlds, manager):
    mine, theirs = worlds
    due = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    _bulk(
        signed_in(manager),
        "proposals",
        [mine.proposal, theirs.proposal],
        action="task",
        title="Reply to the approach",
        due_on=due,
    )
    assert list(Task.objects.values_list("organisation", flat=True)) == [
        mine.organisation.pk
    ]


def test_tier_moves_offer_no_bulk_action(worlds, manager):
    response = signed_in(manager).post(
        reverse("lists:bulk", args=["tier-moves"]),
        {"row": [worlds[0].tier_change.pk], "action": "task"},
        follow=True,
    )
    assert "Tick at least one row and choose what to do." in response.content.decode()


# --- Access --------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(LISTS))
def test_analyst_reads_and_exports_but_has_no_bulk_action(name, worlds, analyst):
    client = signed_in(analyst)
    url = reverse(LISTS[name])
    page = client.get(url, QUERIES[name])
    assert page.status_code == 200
    assert 'name="row"' not in page.content.decode()
    assert page.context["bulk_actions"] == []
    assert client.get(url, {**QUERIES[name], "format": "csv"}).status_code == 200
    assert client.post(reverse("lists:bulk", args=[name]), {}).status_code == 403


@pytest.mark.parametrize("name", list(LISTS))
def test_partner_user_reaches_no_list(name, worlds, partner_user):
    client = signed_in(partner_user)
    url = reverse(LISTS[name])
    assert client.get(url).status_code == 403
    assert client.get(url, {"format": "csv"}).status_code == 403
    assert client.post(reverse("lists:bulk", args=[name]), {}).status_code == 403
    save = client.post(
        reverse("lists:saved_view_save", args=[name]), {"name": "mine", "query": ""}
    )
    assert save.status_code == 403
    assert not SavedView.objects.exists()


@pytest.mark.parametrize("name", list(LISTS))
def test_editors_are_offered_the_lists_bulk_actions(name, worlds, manager):
    page = signed_in(manager).get(reverse(LISTS[name]), QUERIES[name])
    offered = [a.key for a in page.context["bulk_actions"]]
    expected = {
        "organisations": ["owner", "deputy", "task"],
        "reviews": ["task"],
        "tier-moves": [],
        "proposals": ["task"],
    }
    assert offered == expected[name]


# --- Bad input -------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(LISTS))
def test_bad_input_to_a_list_answers_without_a_500_and_changes_nothing(
    name, worlds, manager
):
    client = signed_in(manager)
    client.raise_request_exception = False
    url = reverse(LISTS[name])
    for value in ("9" * 30, "-1", "zzz", "", "<b>"):
        page = client.get(
            url,
            {
                "sort": value,
                "cols": [value, "name"],
                "page": value,
                "status": value,
                "show": value,
                "scope": value,
                "format": value,
                "view": value,
            },
        )
        assert page.status_code == 200, value
        bulk = client.post(
            reverse("lists:bulk", args=[name]),
            {
                "row": [value, "9" * 25],
                "action": value or "task",
                "person": value,
                "due_on": value,
                "assignee": value,
                "title": value,
            },
        )
        assert bulk.status_code == 302, value
    assert not Task.objects.exists()
    assert (
        client.post(
            reverse("lists:saved_view_delete", args=[name, 10**18]), {"query": "\x01"}
        ).status_code
        == 302
    )
