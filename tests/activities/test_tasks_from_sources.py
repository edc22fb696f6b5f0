"""A task made from a review's recommendation or from a relationship issue:
prefilled, linked both ways, and only by those who run the organisation."""

import datetime as dt
from html import escape

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Task
from planning.models import Review
from tests import factories
from tests.clients import VerifiedClient
from tests.workspace_world import build_world

pytestmark = pytest.mark.django_db


def signed_in(user) -> VerifiedClient:
    client = VerifiedClient()
    client.force_login(user)
    return client


@pytest.fixture
def world(manager):
    world = build_world(owner=manager)
    Review.objects.filter(pk=world.review.pk).update(
        status="completed",
        completed_on=timezone.localdate(),
        recommendation="move_up",
    )
    world.review.refresh_from_db()
    return world


def _sources(world):
    return {
        "review": (
            reverse("activities:review_task_create", args=[world.review.pk]),
            reverse("planning:review_detail", args=[world.review.pk]),
            world.review,
        ),
        "issue": (
            reverse("activities:issue_task_create", args=[world.issue.pk]),
            reverse("partners:issue_detail", args=[world.issue.pk]),
            world.issue,
        ),
    }


def _due() -> str:
    return (timezone.localdate() + dt.timedelta(days=5)).isoformat()


@pytest.mark.parametrize("source", ["review", "issue"])
def test_owner_makes_a_prefilled_task_that_links_back(source, world, manager):
    make_url, source_url, record = _sources(world)[source]
    client = signed_in(manager)
    # The source's page offers it.
    assert make_url in client.get(source_url).content.decode()
    form = client.get(make_url).context["form"]
    expected_title = {
        "review": "Act on the review's recommendation: Move up a level",
        "issue": f"Follow up the issue: {world.issue.title}",
    }[source]
    assert form.initial["title"] == expected_title
    assert form.initial["due_on"] == timezone.localdate() + dt.timedelta(days=7)

    response = client.post(
        make_url,
        {"title": expected_title, "due_on": _due(), "assignee": manager.pk},
    )
    assert response.status_code == 302
    assert response["Location"] == source_url
    task = Task.objects.get()
    assert task.organisation == world.organisation
    assert getattr(task, source) == record
    assert task.history.count() == 1
    # The source lists it; the task, on the organisation's page, links back.
    assert escape(expected_title) in client.get(source_url).content.decode()
    org_page = client.get(
        reverse("partners:organisation_detail", args=[world.organisation.pk])
    ).content.decode()
    assert f'href="{source_url}"' in org_page


@pytest.mark.parametrize("source", ["review", "issue"])
def test_a_senior_manager_may_make_one_for_any_organisation(
    source, world, senior_manager
):
    make_url, _source_url, _record = _sources(world)[source]
    response = signed_in(senior_manager).post(
        make_url,
        {"title": "Call them", "due_on": _due(), "assignee": senior_manager.pk},
    )
    assert response.status_code == 302
    assert Task.objects.get().created_by == senior_manager


@pytest.mark.parametrize("role", ["analyst", "other_manager", "partner_user"])
@pytest.mark.parametrize("source", ["review", "issue"])
def test_who_may_not_make_a_task_from_a_review_or_issue(source, role, request, world):
    if role == "other_manager":
        user = factories.UserFactory(is_staff=True)
        from django.contrib.auth.models import Group

        from ceop_crm import roles

        user.groups.add(Group.objects.get(name=roles.RELATIONSHIP_MANAGER))
    else:
        user = request.getfixturevalue(role)
    make_url, source_url, _record = _sources(world)[source]
    client = signed_in(user)
    assert client.get(make_url).status_code == 403
    response = client.post(
        make_url, {"title": "Not mine", "due_on": _due(), "assignee": user.pk}
    )
    assert response.status_code == 403
    assert not Task.objects.exists()
    if role != "partner_user":
        # The page shows no way to make one.
        assert make_url not in client.get(source_url).content.decode()


def test_a_task_without_a_due_date_is_refused_beside_the_field(world, manager):
    make_url, _source_url, _record = _sources(world)["issue"]
    response = signed_in(manager).post(
        make_url, {"title": "Call them", "due_on": "", "assignee": manager.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["due_on"]
    assert not Task.objects.exists()
