"""Who a task may go to (activities.selectors.assignable_people) is read once
and shared between requests until a change to a person or a role commits: a
manager who leaves, or loses the role, is no longer offered."""

import pytest
from django.contrib.auth.models import Group

from activities.forms import ActivityForm
from activities.lists import TaskFilterForm
from ceop_crm import roles
from tests.conftest import _staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_caches")]


def _offered(manager, organisation) -> dict[str, list[str]]:
    form = ActivityForm(organisation=organisation, user=manager)
    tasks = TaskFilterForm()
    return {
        "activity form": [
            str(label) for _, label in form.fields["follow_up_assignee"].choices
        ],
        "task list": [str(label) for _, label in tasks.fields["assignee"].choices],
    }


def test_a_person_who_leaves_or_loses_the_role_is_no_longer_offered(
    manager, organisation, django_capture_on_commit_callbacks
):
    leaver = _staff(roles.RELATIONSHIP_MANAGER, "leaver")
    leaver.first_name, leaver.last_name = "Lee", "Ver"
    leaver.save()
    mover = _staff(roles.RELATIONSHIP_MANAGER, "mover")
    moving = mover.get_full_name() or mover.get_username()
    for offered in _offered(manager, organisation).values():
        assert {"Lee Ver", moving} <= set(offered)

    # Not committed: what is shared stays.
    with django_capture_on_commit_callbacks(execute=False):
        leaver.is_active = False
        leaver.save()
    assert "Lee Ver" in _offered(manager, organisation)["activity form"]

    with django_capture_on_commit_callbacks(execute=True):
        leaver.is_active = False
        leaver.save()
        mover.groups.remove(Group.objects.get(name=roles.RELATIONSHIP_MANAGER))
    for where, offered in _offered(manager, organisation).items():
        assert "Lee Ver" not in offered, where
        assert moving not in offered, where
