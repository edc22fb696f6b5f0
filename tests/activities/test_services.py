import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from activities import services
from activities.models import Activity, Task
from ceop_crm.exceptions import ApplicationError
from tests import factories

pytestmark = pytest.mark.django_db


def record(actor, organisation, **fields):
    fields.setdefault("kind", Activity.Kind.CALL)
    fields.setdefault("occurred_at", timezone.now() - dt.timedelta(hours=1))
    fields.setdefault("summary", "Talked through the quarter's referrals.")
    return services.activity_record(actor=actor, organisation=organisation, **fields)


def test_activity_record_with_follow_up_creates_the_task(manager, organisation):
    due = timezone.localdate() + dt.timedelta(days=3)
    activity = record(
        manager, organisation, follow_up_title="Send minutes", follow_up_due=due
    )
    task = Task.objects.get()
    assert task.activity == activity
    assert (task.title, task.due_on, task.assignee) == ("Send minutes", due, manager)
    assert list(activity.participants.all()) == [manager]
    assert activity.history.get().history_user == manager


def test_activity_record_refuses_a_manager_who_does_not_run_the_organisation(
    manager, other_organisation
):
    with pytest.raises(PermissionDenied):
        record(manager, other_organisation)
    assert not Activity.objects.exists()


def test_analyst_records_nothing(analyst, organisation):
    with pytest.raises(PermissionDenied):
        record(analyst, organisation)


def test_senior_manager_records_for_any_organisation(
    senior_manager, other_organisation
):
    assert record(senior_manager, other_organisation).pk


def test_activity_in_the_future_is_refused(manager, organisation):
    with pytest.raises(ApplicationError) as error:
        record(manager, organisation, occurred_at=timezone.now() + dt.timedelta(days=2))
    assert "occurred_at" in error.value.message_dict


def test_contact_of_another_organisation_is_refused(manager, organisation):
    stranger = factories.ContactFactory()
    with pytest.raises(ApplicationError) as error:
        record(manager, organisation, contacts=[stranger])
    assert "contacts" in error.value.message_dict


def test_issue_of_another_organisation_is_refused(manager, organisation):
    issue = factories.RelationshipIssueFactory()
    with pytest.raises(ApplicationError) as error:
        record(manager, organisation, issue=issue)
    assert "issue" in error.value.message_dict


def test_participant_must_be_staff(manager, organisation, partner_user):
    with pytest.raises(ApplicationError) as error:
        record(manager, organisation, participants=[partner_user])
    assert "participants" in error.value.message_dict


def test_follow_up_without_due_date_saves_nothing(manager, organisation):
    with pytest.raises(ApplicationError) as error:
        record(manager, organisation, follow_up_title="Call back")
    assert "follow_up_due" in error.value.message_dict
    assert not Activity.objects.exists()
    assert not Task.objects.exists()


def test_follow_up_due_without_a_title_is_refused(manager, organisation):
    with pytest.raises(ApplicationError) as error:
        record(manager, organisation, follow_up_due=timezone.localdate())
    assert "follow_up_title" in error.value.message_dict


def test_task_goes_to_a_manager_not_an_analyst(make_task, analyst):
    with pytest.raises(ApplicationError) as error:
        make_task(assignee=analyst)
    assert "assignee" in error.value.message_dict


def test_new_task_is_not_due_in_the_past(make_task):
    with pytest.raises(ApplicationError) as error:
        make_task(due_on=timezone.localdate() - dt.timedelta(days=1))
    assert "due_on" in error.value.message_dict


def test_task_complete_is_recorded_in_the_history(make_task, manager):
    task = make_task()
    services.task_complete(task=task, actor=manager)
    task.refresh_from_db()
    assert task.status == Task.Status.DONE
    assert task.completed_by == manager
    latest = task.history.first()
    assert (latest.history_user, latest.history_change_reason) == (manager, "Completed")
    with pytest.raises(ApplicationError):
        services.task_complete(task=task, actor=manager)


def test_assignee_completes_a_task_of_an_organisation_they_do_not_run(
    senior_manager, other_organisation, manager
):
    task = services.task_create(
        actor=senior_manager,
        organisation=other_organisation,
        title="Check the logo use",
        due_on=timezone.localdate(),
        assignee=manager,
    )
    services.task_complete(task=task, actor=manager)
    assert Task.objects.get().status == Task.Status.DONE


def test_someone_else_cannot_complete_the_task(make_task, db):
    from django.contrib.auth.models import Group

    from ceop_crm.roles import RELATIONSHIP_MANAGER

    other = factories.UserFactory(username="other-manager")
    other.groups.add(Group.objects.get(name=RELATIONSHIP_MANAGER))
    task = make_task()
    with pytest.raises(PermissionDenied):
        services.task_complete(task=task, actor=other)
    assert Task.objects.get().status == Task.Status.OPEN


def test_task_reassign_is_recorded_in_the_history(make_task, senior_manager, manager):
    task = make_task()
    services.task_reassign(task=task, assignee=senior_manager, actor=manager)
    latest = Task.objects.get().history.first()
    assert latest.assignee_id == senior_manager.pk
    assert (latest.history_user, latest.history_change_reason) == (
        manager,
        "Reassigned",
    )


def test_task_reassign_refuses_an_analyst(make_task, analyst, manager):
    task = make_task()
    with pytest.raises(ApplicationError):
        services.task_reassign(task=task, assignee=analyst, actor=manager)
    assert Task.objects.get().assignee == manager


def test_done_task_is_not_reassigned(make_task, senior_manager, manager):
    task = make_task()
    services.task_complete(task=task, actor=manager)
    with pytest.raises(ApplicationError):
        services.task_reassign(task=task, assignee=senior_manager, actor=manager)
