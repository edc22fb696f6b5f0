"""Tasks in the reminder sweep and in the calendar feed."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Group

from activities import services
from ceop_crm import mail as outbox
from ceop_crm.roles import RELATIONSHIP_MANAGER
from planning.models import Reminder
from planning.services import calendar_feed_token_issue, reminders_sweep
from tests import factories
from tests.activities.conftest import LONDON

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 9, 14)


def at(day: dt.date, hour: int = 9):
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    monkeypatch.setattr(outbox, "task_enqueue", lambda task, *args: False)


@pytest.fixture
def task(manager, organisation):
    with time_machine.travel(at(DAY), tick=False):
        return services.task_create(
            actor=manager,
            organisation=organisation,
            title="Send the minutes",
            due_on=DAY + dt.timedelta(days=1),
            assignee=manager,
        )


def steps(user) -> list[str]:
    return sorted(
        Reminder.objects.filter(recipient=user, subject_type="task").values_list(
            "step", flat=True
        )
    )


def sweep(day: dt.date, hour: int = 9) -> None:
    with time_machine.travel(at(day, hour), tick=False):
        reminders_sweep()


def test_task_due_then_overdue_each_once_however_often_the_sweep_runs(task, manager):
    sweep(DAY)
    assert steps(manager) == []
    sweep(DAY + dt.timedelta(days=1))
    sweep(DAY + dt.timedelta(days=1), hour=15)
    assert steps(manager) == ["task_due"]
    reminder = Reminder.objects.get(recipient=manager)
    assert reminder.title == "Northwind Safety: task due today"
    assert reminder.url.endswith(f"/organisations/{task.organisation_id}/#tasks")
    for later in range(2, 5):
        sweep(DAY + dt.timedelta(days=later))
    assert steps(manager) == ["task_due", "task_overdue"]


def test_a_missed_due_day_is_caught_up_as_overdue(task, manager):
    sweep(DAY + dt.timedelta(days=3))
    assert steps(manager) == ["task_overdue"]


def test_done_task_is_not_reminded(task, manager):
    with time_machine.travel(at(DAY), tick=False):
        services.task_complete(task=task, actor=manager)
    sweep(DAY + dt.timedelta(days=1))
    assert steps(manager) == []


def test_reassigned_task_reaches_the_new_assignee_once(task, manager):
    sweep(DAY + dt.timedelta(days=1))
    other = factories.UserFactory(username="second-manager")
    other.groups.add(Group.objects.get(name=RELATIONSHIP_MANAGER))
    with time_machine.travel(at(DAY + dt.timedelta(days=1), 10), tick=False):
        services.task_reassign(task=task, assignee=other, actor=manager)
    sweep(DAY + dt.timedelta(days=1), hour=11)
    sweep(DAY + dt.timedelta(days=1), hour=12)
    assert steps(other) == ["task_due"]
    assert steps(manager) == ["task_due"]


def test_open_task_is_in_the_assignees_calendar_feed_only(
    client, task, manager, senior_manager
):
    _, secret = calendar_feed_token_issue(user=manager)
    body = client.get(f"/calendar/{secret}.ics").content.decode()
    assert "Task due: Send the minutes (Northwind Safety)" in body
    assert "DTSTART;VALUE=DATE:20260915" in body
    _, other = calendar_feed_token_issue(user=senior_manager)
    assert (
        "Send the minutes" not in client.get(f"/calendar/{other}.ics").content.decode()
    )
    services.task_complete(task=task, actor=manager)
    assert (
        "Send the minutes" not in client.get(f"/calendar/{secret}.ics").content.decode()
    )


def test_partner_calendar_never_shows_tasks(client, task, partner_user, organisation):
    membership = partner_user.portal_membership
    membership.organisation = organisation
    membership.save()
    _, secret = calendar_feed_token_issue(user=partner_user)
    response = client.get(f"/calendar/{secret}.ics")
    assert response.status_code == 200
    assert "Send the minutes" not in response.content.decode()
