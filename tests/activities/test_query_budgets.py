"""Query budgets of the pages that make a task from a review or an issue, and of
the htmx quick log's answer (the panel and the timeline read again): the same
ceiling at 10 and at 200 rows of the organisation's activities, tasks and issues
(tests/test_workspace_queries.py counts the other pages)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from activities import services
from activities.models import Activity, Task
from planning.models import Review
from tests import factories
from tests.clients import VerifiedClient
from tests.workspace_world import build_world

pytestmark = pytest.mark.django_db

# Each count includes the session's verified device (django-otp). Measured: 6
# and 43 at both sizes. The quick log's answer holds the writes (the activity,
# its task, their audit entries) and the panel and timeline read again.
TASK_FORM_QUERIES = 6
QUICK_LOG_QUERIES = 43


@pytest.fixture(params=[10, 200], ids=["10-rows", "200-rows"])
def world(request, manager):
    world = build_world(owner=manager)
    organisation = world.review.organisation
    Review.objects.filter(pk=world.review.pk).update(
        status="completed",
        completed_on=timezone.localdate(),
        recommendation="move_up",
    )
    for n in range(request.param):
        services.activity_record(
            actor=manager,
            organisation=organisation,
            kind="note",
            occurred_at=timezone.now() - dt.timedelta(hours=n),
            summary=f"Note {n}",
            follow_up_title=f"Task {n}",
            follow_up_due=timezone.localdate(),
        )
        factories.RelationshipIssueFactory(organisation=organisation)
    world.rows = request.param
    return world


def _signed_in(user) -> VerifiedClient:
    client = VerifiedClient()
    client.force_login(user)
    client.get("/")  # the session and the role cache, out of the count
    return client


@pytest.mark.parametrize("source", ["review", "issue"])
def test_task_from_a_review_or_an_issue_form_query_count_does_not_grow(
    source, world, manager, django_assert_max_num_queries
):
    pk = (world.review if source == "review" else world.issue).pk
    url = reverse(f"activities:{source}_task_create", args=[pk])
    client = _signed_in(manager)
    with django_assert_max_num_queries(TASK_FORM_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["form"].initial["title"]


def test_quick_log_answer_query_count_does_not_grow(
    world, manager, django_assert_max_num_queries
):
    organisation = world.review.organisation
    url = reverse("activities:activity_create", args=[organisation.pk])
    client = _signed_in(manager)
    data = {
        "kind": "call",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "summary": "Agreed the next quarter's referrals.",
        "follow_up_title": "Send the minutes",
        "follow_up_due": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
    }
    with django_assert_max_num_queries(QUICK_LOG_QUERIES):
        response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "It is now in the timeline." in response.content.decode()
    assert Activity.objects.filter(organisation=organisation).count() == world.rows + 1
    assert Task.objects.filter(organisation=organisation).count() == world.rows + 1
    # The timeline sent again holds the organisation's rows.
    assert len(response.context["timeline"]) >= 10


def test_the_activity_forms_options_are_read_without_a_server_side_cursor(
    manager,
):
    """The contacts and the people a follow-up can go to are read by one plain
    query each (ceop_crm.forms.ReadChoiceIterator): Django's own options read
    through a server-side cursor, on PostgreSQL a DECLARE, FETCH and CLOSE."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world = build_world(owner=manager)
    client = VerifiedClient()
    client.force_login(manager)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(
            reverse("partners:organisation_detail", args=[world.organisation.pk])
        )
    assert page.status_code == 200
    form = page.context["activity_form"]
    contacts = [label for _value, label in form.fields["contacts"].choices]
    assert contacts == sorted(c.name for c in world.organisation.contacts.all())
    assert next(v for v, _ in form.fields["follow_up_assignee"].choices) == ""
    assert not [q for q in captured.captured_queries if "DECLARE" in q["sql"]]
