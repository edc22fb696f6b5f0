"""Writes and rules of activities and follow-up tasks.

Relationship managers write for the organisations they own or deputise for,
senior managers for all (``may_edit_organisation``, as every other write);
analysts and partner users write nothing. A task's assignee may also complete
it. Every change goes through ``_save`` so the history records who did it.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from activities.models import Activity, Task
from activities.selectors import assignable_users
from ceop_crm.access import may_edit_organisation
from ceop_crm.exceptions import ApplicationError, full_clean
from ceop_crm.roles import can_edit, is_staff_member
from partners.models import Organisation

Actor = AbstractBaseUser

NOT_YOURS = (
    "Only the relationship owner, the deputy or a senior manager can record "
    "activities and tasks for this organisation."
)


def _save(obj: Any, actor: Actor) -> Any:
    obj._history_user = actor
    full_clean(obj)
    obj.save()
    return obj


def _require_editor(actor: Actor, organisation: Organisation) -> None:
    if not may_edit_organisation(actor, organisation):
        raise PermissionDenied(NOT_YOURS)


def _same_organisation(organisation: Organisation, **linked: Any) -> None:
    """Whatever an activity or task is linked to belongs to its organisation."""
    errors = {
        name: ["This belongs to another organisation."]
        for name, obj in linked.items()
        if obj is not None and obj.organisation_id != organisation.pk
    }
    if errors:
        raise ApplicationError(errors)


def _check_assignee(assignee: AbstractBaseUser | None) -> None:
    if assignee is None:
        raise ApplicationError({"assignee": ["Choose who the task is for."]})
    if not assignable_users().filter(pk=assignee.pk).exists():
        raise ApplicationError(
            {"assignee": ["A task goes to an active relationship or senior manager."]}
        )


@transaction.atomic
def activity_record(
    *,
    actor: Actor,
    organisation: Organisation,
    kind: str,
    occurred_at: dt.datetime,
    summary: str,
    participants: Iterable[AbstractBaseUser] = (),
    contacts: Iterable = (),
    mou=None,
    review=None,
    proposal=None,
    issue=None,
    follow_up_title: str = "",
    follow_up_due: dt.date | None = None,
    follow_up_assignee: AbstractBaseUser | None = None,
) -> Activity:
    """Log a call, meeting, email or note, with an optional follow-up task."""
    _require_editor(actor, organisation)
    if occurred_at is None:
        raise ApplicationError({"occurred_at": ["Say when it took place."]})
    if timezone.localtime(occurred_at).date() > timezone.localdate():
        raise ApplicationError(
            {"occurred_at": ["An activity is logged once it has taken place."]}
        )
    contacts = list(contacts)
    participants = list(participants)
    _same_organisation(organisation, mou=mou, review=review, proposal=proposal)
    _same_organisation(organisation, issue=issue)
    if any(c.organisation_id != organisation.pk for c in contacts):
        raise ApplicationError(
            {"contacts": ["Only contacts of this organisation can be named."]}
        )
    if any(not is_staff_member(p) or not p.is_active for p in participants):
        raise ApplicationError(
            {"participants": ["Only active CEOP staff take part for CEOP."]}
        )
    follow_up_title = (follow_up_title or "").strip()
    if (follow_up_due or follow_up_assignee) and not follow_up_title:
        raise ApplicationError(
            {"follow_up_title": ["Give the follow-up a title, or leave it all empty."]}
        )
    activity = _save(
        Activity(
            organisation=organisation,
            kind=kind,
            occurred_at=occurred_at,
            summary=summary,
            mou=mou,
            review=review,
            proposal=proposal,
            issue=issue,
            recorded_by=actor,
        ),
        actor,
    )
    activity.participants.set(participants or [actor])
    activity.contacts.set(contacts)
    if follow_up_title:
        try:
            task_create(
                actor=actor,
                organisation=organisation,
                title=follow_up_title,
                due_on=follow_up_due,
                assignee=follow_up_assignee or actor,
                activity=activity,
            )
        except ApplicationError as error:
            raise _as_follow_up(error) from error
    return activity


def _as_follow_up(error: ApplicationError) -> ApplicationError:
    """A task's field errors named after the activity form's follow-up fields."""
    if not hasattr(error, "error_dict"):
        return error
    names = {
        "title": "follow_up_title",
        "due_on": "follow_up_due",
        "assignee": "follow_up_assignee",
    }
    return ApplicationError(
        {
            names.get(name, name): messages
            for name, messages in error.message_dict.items()
        }
    )


@transaction.atomic
def task_create(
    *,
    actor: Actor,
    organisation: Organisation,
    title: str,
    due_on: dt.date | None,
    assignee: AbstractBaseUser | None,
    activity: Activity | None = None,
    review=None,
    issue=None,
) -> Task:
    """A follow-up task; it may come from an activity, a review or an issue."""
    _require_editor(actor, organisation)
    if due_on is None:
        raise ApplicationError({"due_on": ["Give the task a due date."]})
    if due_on < timezone.localdate():
        raise ApplicationError({"due_on": ["A new task is not due in the past."]})
    _check_assignee(assignee)
    _same_organisation(organisation, activity=activity, review=review, issue=issue)
    task = Task(
        organisation=organisation,
        title=(title or "").strip(),
        due_on=due_on,
        assignee=assignee,
        activity=activity,
        review=review,
        issue=issue,
        created_by=actor,
    )
    return _save(task, actor)


def _may_act_on(actor: Actor, task: Task) -> bool:
    if not can_edit(actor):
        return False
    return task.assignee_id == actor.pk or may_edit_organisation(
        actor, task.organisation
    )


@transaction.atomic
def task_complete(*, task: Task, actor: Actor) -> Task:
    """Mark a task done; its assignee or whoever runs the organisation may."""
    task = (
        Task.objects.select_for_update().select_related("organisation").get(pk=task.pk)
    )
    if not _may_act_on(actor, task):
        raise PermissionDenied(
            "Only the task's assignee, the relationship owner, the deputy or a "
            "senior manager can complete it."
        )
    if not task.is_open:
        raise ApplicationError("This task is done already.")
    task.status = Task.Status.DONE
    task.completed_at = timezone.now()
    task.completed_by = actor
    task._change_reason = "Completed"
    return _save(task, actor)


@transaction.atomic
def task_reassign(
    *, task: Task, assignee: AbstractBaseUser | None, actor: Actor
) -> Task:
    """Hand an open task to another manager; recorded in the history."""
    task = (
        Task.objects.select_for_update().select_related("organisation").get(pk=task.pk)
    )
    _require_editor(actor, task.organisation)
    if not task.is_open:
        raise ApplicationError("A task that is done is not reassigned.")
    _check_assignee(assignee)
    if assignee.pk == task.assignee_id:
        raise ApplicationError({"assignee": ["The task is theirs already."]})
    task.assignee = assignee
    task._change_reason = "Reassigned"
    return _save(task, actor)
