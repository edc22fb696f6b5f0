"""Admin shows activities and tasks with their history and writes nothing."""

import pytest
from django.urls import reverse

from activities.models import Task

pytestmark = pytest.mark.django_db


def test_admin_reads_tasks_and_their_history_but_cannot_add_change_or_delete(
    admin_client, make_task
):
    task = make_task()
    assert (
        admin_client.get(reverse("admin:activities_task_changelist")).status_code == 200
    )
    assert (
        admin_client.get(
            reverse("admin:activities_task_history", args=[task.pk])
        ).status_code
        == 200
    )
    assert admin_client.get(reverse("admin:activities_task_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:activities_task_change", args=[task.pk]),
        {"title": "Changed past the rules"},
    )
    assert response.status_code == 403
    assert (
        admin_client.post(
            reverse("admin:activities_task_delete", args=[task.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Task.objects.get().title == task.title


def test_admin_activity_list(admin_client):
    assert (
        admin_client.get(reverse("admin:activities_activity_changelist")).status_code
        == 200
    )
