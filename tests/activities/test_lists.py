"""The task list: filters, sort, saved views, export equal to the list, bulk actions."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from activities import services
from activities.models import Task
from ceop_crm.lists.models import SavedView
from tests.clients import VerifiedClient

pytestmark = pytest.mark.django_db

URL = "/tasks/"
BULK = "/lists/tasks/bulk/"


def signed_in(user) -> VerifiedClient:
    client = VerifiedClient()
    client.force_login(user)
    return client


@pytest.fixture
def tasks(make_task, senior_manager, other_organisation):
    today = timezone.localdate()
    mine = [
        make_task(title="Bravo call back", due_on=today + dt.timedelta(days=3)),
        make_task(title="Alpha send minutes", due_on=today),
    ]
    theirs = services.task_create(
        actor=senior_manager,
        organisation=other_organisation,
        title="Charlie check logo",
        due_on=today + dt.timedelta(days=1),
        assignee=senior_manager,
    )
    return mine, theirs


def titles(response) -> list[str]:
    return [task.title for task, _ in response.context["rows"]]


def test_filters_and_sortable_headers(manager, tasks):
    client = signed_in(manager)
    assert titles(client.get(URL, {"assignee": "me"})) == [
        "Alpha send minutes",
        "Bravo call back",
    ]
    response = client.get(URL, {"sort": "-title"})
    assert titles(response) == [
        "Charlie check logo",
        "Bravo call back",
        "Alpha send minutes",
    ]
    header = next(h for h in response.context["headers"] if h["key"] == "title")
    assert header["aria_sort"] == "descending"
    assert "sort=title" in header["url"]


def test_export_is_exactly_what_the_list_shows(manager, tasks):
    client = signed_in(manager)
    params = {"assignee": "me", "sort": "-due_on", "cols": ["title", "due_on"]}
    shown = client.get(URL, params)
    exported = client.get(URL, {**params, "format": "csv"})
    assert exported["Content-Type"].startswith("text/csv")
    # Streamed, as the reports' downloads are.
    body = b"".join(exported.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["Task", "Due"]
    assert [r[0] for r in rows[1:]] == titles(shown)
    assert [h["label"] for h in shown.context["headers"]] == rows[0]
    xlsx = client.get(URL, {**params, "format": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_saved_view_with_one_default_opens_by_itself(manager, tasks):
    client = signed_in(manager)
    save = reverse("lists:saved_view_save", args=["tasks"])
    client.post(
        save, {"name": "Mine by title", "query": "assignee=me&sort=title&page=3"}
    )
    client.post(
        save, {"name": "Mine due first", "query": "assignee=me", "is_default": "1"}
    )
    client.post(save, {"name": "Everything", "query": "status=all", "is_default": "1"})
    assert list(
        SavedView.objects.filter(user=manager, is_default=True).values_list(
            "name", flat=True
        )
    ) == ["Everything"]
    assert SavedView.objects.get(name="Mine by title").query == "assignee=me&sort=title"
    response = client.get(URL)
    assert response.status_code == 302
    assert "status=all" in response["Location"]


def test_saved_views_are_ones_own(manager, senior_manager, tasks):
    signed_in(manager).post(
        reverse("lists:saved_view_save", args=["tasks"]),
        {"name": "Mine", "query": "assignee=me"},
    )
    view = SavedView.objects.get()
    other = signed_in(senior_manager)
    assert other.get(URL, {"status": "open"}).context["saved_views"] == []
    other.post(reverse("lists:saved_view_delete", args=["tasks", view.pk]))
    assert SavedView.objects.filter(pk=view.pk).exists()


def test_saved_view_needs_a_name(manager):
    signed_in(manager).post(
        reverse("lists:saved_view_save", args=["tasks"]), {"name": " "}
    )
    assert not SavedView.objects.exists()


def test_bulk_complete(manager, tasks):
    mine, _ = tasks
    response = signed_in(manager).post(
        BULK,
        {"action": "complete", "row": [t.pk for t in mine]},
    )
    assert response.status_code == 302
    assert set(Task.objects.filter(status="done").values_list("pk", flat=True)) == {
        t.pk for t in mine
    }


def test_bulk_refuses_what_the_single_action_refuses_and_changes_nothing(
    manager, tasks
):
    mine, theirs = tasks
    client = signed_in(manager)
    single = client.post(reverse("activities:task_complete", args=[theirs.pk]))
    assert single.status_code == 403
    response = client.post(
        BULK,
        {"action": "complete", "row": [mine[0].pk, theirs.pk]},
        follow=True,
    )
    assert "Nothing was changed" in response.content.decode()
    assert not Task.objects.filter(status="done").exists()


def test_bulk_reassign_to_an_analyst_is_refused(manager, analyst, tasks):
    mine, _ = tasks
    signed_in(manager).post(
        BULK,
        {"action": "reassign", "assignee": analyst.pk, "row": [mine[0].pk]},
    )
    assert Task.objects.get(pk=mine[0].pk).assignee == manager


def test_analyst_reads_the_list_but_cannot_act(analyst, tasks):
    client = signed_in(analyst)
    response = client.get(URL, {"status": "open"})
    assert response.status_code == 200
    assert 'name="row"' not in response.content.decode()
    mine, _ = tasks
    bulk = client.post(BULK, {"action": "complete", "row": [mine[0].pk]})
    assert bulk.status_code == 403


def test_partner_user_gets_403(partner_user):
    assert signed_in(partner_user).get(URL).status_code == 403


@pytest.mark.parametrize("rows", [10, 200])
def test_task_list_budget(rows, manager, make_task, django_assert_max_num_queries):
    for n in range(rows):
        make_task(title=f"Task {n}")
    client = signed_in(manager)
    client.get(URL, {"status": "open"})
    with django_assert_max_num_queries(10):
        response = client.get(URL, {"status": "open"})
    assert len(response.context["rows"]) == min(rows, 50)
