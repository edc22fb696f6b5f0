"""The API of activities and tasks: staff only, writes through the services."""

import datetime as dt

import pytest
from django.utils import timezone

from activities.models import Activity, Task
from tests.clients import VerifiedAPIClient

pytestmark = pytest.mark.django_db


def api(user) -> VerifiedAPIClient:
    client = VerifiedAPIClient()
    client.force_login(user)
    return client


def activity_payload(organisation, **extra):
    data = {
        "organisation": organisation.pk,
        "kind": "email",
        "occurred_at": timezone.now().isoformat(),
        "summary": "Sent the draft MoU",
        "follow_up_title": "Chase the signature",
        "follow_up_due": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
    }
    data.update(extra)
    return data


def test_manager_logs_an_activity_with_follow_up(manager, organisation):
    response = api(manager).post(
        "/api/v1/activities/", activity_payload(organisation), format="json"
    )
    assert response.status_code == 201, response.json()
    assert len(response.json()["tasks"]) == 1
    assert Task.objects.get().title == "Chase the signature"


def test_bad_input_is_a_400_with_field_errors_and_nothing_saved(manager, organisation):
    response = api(manager).post(
        "/api/v1/activities/",
        activity_payload(organisation, follow_up_due=None),
        format="json",
    )
    assert response.status_code == 400
    assert "follow_up_due" in response.json()
    assert not Activity.objects.exists()


def test_manager_cannot_log_for_an_organisation_they_do_not_run(
    manager, other_organisation
):
    response = api(manager).post(
        "/api/v1/activities/", activity_payload(other_organisation), format="json"
    )
    assert response.status_code == 403
    assert not Activity.objects.exists()


def test_analyst_reads_but_writes_nothing(analyst, manager, organisation, make_task):
    make_task()
    client = api(analyst)
    assert client.get("/api/v1/tasks/").json()["count"] == 1
    assert (
        client.post(
            "/api/v1/activities/", activity_payload(organisation), format="json"
        ).status_code
        == 403
    )
    task = Task.objects.get()
    assert client.post(f"/api/v1/tasks/{task.pk}/complete/").status_code == 403


def test_partner_user_gets_403_everywhere(partner_user, manager, make_task):
    task = make_task()
    client = api(partner_user)
    for url in (
        "/api/v1/activities/",
        "/api/v1/tasks/",
        f"/api/v1/tasks/{task.pk}/",
    ):
        assert client.get(url).status_code == 403
    assert client.post(f"/api/v1/tasks/{task.pk}/complete/").status_code == 403


def test_complete_and_reassign_through_the_api(manager, senior_manager, make_task):
    task = make_task()
    client = api(manager)
    response = client.post(
        f"/api/v1/tasks/{task.pk}/reassign/", {"assignee": senior_manager.pk}
    )
    assert response.status_code == 200
    assert response.json()["assignee"] == senior_manager.pk
    response = api(senior_manager).post(f"/api/v1/tasks/{task.pk}/complete/")
    assert response.json()["status"] == "done"
    again = api(senior_manager).post(f"/api/v1/tasks/{task.pk}/complete/")
    assert again.status_code == 400


def test_create_task_refuses_an_analyst_assignee(manager, analyst, organisation):
    response = api(manager).post(
        "/api/v1/tasks/",
        {
            "organisation": organisation.pk,
            "title": "Call back",
            "due_on": timezone.localdate().isoformat(),
            "assignee": analyst.pk,
        },
    )
    assert response.status_code == 400
    assert "assignee" in response.json()
