"""The workspace's activities and tasks: every role, htmx form, dashboard, budgets."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from activities import services
from activities.models import Activity, Task
from tests import factories
from tests.clients import VerifiedClient

pytestmark = pytest.mark.django_db


def signed_in(user) -> VerifiedClient:
    client = VerifiedClient()
    client.force_login(user)
    return client


def form_data(**extra):
    data = {
        "kind": "call",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "summary": "Agreed the next quarter's referrals.",
        "follow_up_title": "Send the minutes",
        "follow_up_due": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
    }
    data.update(extra)
    return data


def test_manager_logs_a_call_with_follow_up_through_htmx(manager, organisation):
    url = reverse("activities:activity_create", args=[organisation.pk])
    response = signed_in(manager).post(url, form_data(), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Call logged." in body
    assert "Send the minutes" in body
    task = Task.objects.get()
    assert (task.assignee, task.activity.kind) == (manager, "call")


def test_htmx_form_shows_errors_beside_the_field_and_saves_nothing(
    manager, organisation
):
    url = reverse("activities:activity_create", args=[organisation.pk])
    response = signed_in(manager).post(
        url, form_data(follow_up_due=""), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Give the task a due date." in response.content.decode()
    assert not Activity.objects.exists()


def test_form_without_javascript_redirects_to_the_organisation(manager, organisation):
    url = reverse("activities:activity_create", args=[organisation.pk])
    response = signed_in(manager).post(url, form_data())
    assert response.status_code == 302
    assert response["Location"].endswith(
        f"/organisations/{organisation.pk}/#activities"
    )


@pytest.mark.parametrize("role", ["analyst", "other_manager", "partner_user"])
def test_who_may_not_log_an_activity(role, request, organisation):
    if role == "other_manager":
        user = request.getfixturevalue("manager")
        organisation.owner = factories.UserFactory()
        organisation.save()
    else:
        user = request.getfixturevalue(role)
    url = reverse("activities:activity_create", args=[organisation.pk])
    assert signed_in(user).post(url, form_data()).status_code == 403
    assert not Activity.objects.exists()


def test_anonymous_goes_to_sign_in(client, organisation):
    url = reverse("activities:activity_create", args=[organisation.pk])
    assert client.post(url, form_data()).status_code == 302
    assert not Activity.objects.exists()


def test_organisation_page_shows_activities_to_staff_and_the_form_to_editors(
    manager, analyst, organisation
):
    services.activity_record(
        actor=manager,
        organisation=organisation,
        kind="meeting",
        occurred_at=timezone.now(),
        summary="Quarterly meeting at their office",
    )
    url = reverse("partners:organisation_detail", args=[organisation.pk])
    page = signed_in(manager).get(url).content.decode()
    assert "Quarterly meeting at their office" in page
    assert "Log a call, meeting, email or note" in page
    read_only = signed_in(analyst).get(url).content.decode()
    assert "Quarterly meeting at their office" in read_only
    assert "Log a call, meeting, email or note" not in read_only


def test_timeline_filters_by_kind(manager, organisation):
    services.activity_record(
        actor=manager,
        organisation=organisation,
        kind="note",
        occurred_at=timezone.now(),
        summary="Spoke to their head of trust and safety",
    )
    factories.RelationshipIssueFactory(organisation=organisation, title="Late data")
    url = reverse("partners:organisation_detail", args=[organisation.pk])
    only = signed_in(manager).get(url, {"kind": "Activity"}).context["timeline"]
    assert [e["kind"] for e in only] == ["Activity"]
    everything = signed_in(manager).get(url).context["timeline"]
    assert {e["kind"] for e in everything} == {"Activity", "Issue"}


def test_partner_portal_never_shows_activities(partner_user, manager):
    organisation = partner_user.portal_membership.organisation
    organisation.owner = manager
    organisation.save()
    services.activity_record(
        actor=manager,
        organisation=organisation,
        kind="call",
        occurred_at=timezone.now(),
        summary="Confidential: brand risk discussed",
    )
    client = signed_in(partner_user)
    for url in ("/portal/", "/portal/organisation/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "Confidential: brand risk" not in response.content.decode()
    page = reverse("partners:organisation_detail", args=[organisation.pk])
    assert client.get(page).status_code == 403


def test_dashboard_my_tasks_overdue_today_and_this_week(manager, make_task):
    today = timezone.localdate()
    make_task(title="Due today", due_on=today)
    later = make_task(title="Later", due_on=today + dt.timedelta(days=60))
    overdue = make_task(title="Overdue one", due_on=today)
    Task.objects.filter(pk=overdue.pk).update(due_on=today - dt.timedelta(days=1))
    response = signed_in(manager).get("/")
    tasks = response.context["my_tasks"]
    assert [t.title for t in tasks["overdue"]] == ["Overdue one"]
    assert [t.title for t in tasks["today"]] == ["Due today"]
    assert later not in tasks["week"]
    assert "Overdue one" in response.content.decode()


def test_complete_from_the_dashboard(manager, make_task):
    task = make_task(due_on=timezone.localdate())
    response = signed_in(manager).post(
        reverse("activities:task_complete", args=[task.pk]), {"next": "/#my-tasks"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/#my-tasks"
    assert Task.objects.get().status == Task.Status.DONE


def test_complete_ignores_a_next_on_another_host(manager, make_task):
    task = make_task()
    response = signed_in(manager).post(
        reverse("activities:task_complete", args=[task.pk]),
        {"next": "https://evil.example/"},
    )
    assert "evil" not in response["Location"]


def test_analyst_cannot_complete_or_reassign(analyst, make_task):
    task = make_task()
    client = signed_in(analyst)
    assert (
        client.post(reverse("activities:task_complete", args=[task.pk])).status_code
        == 403
    )
    assert (
        client.get(reverse("activities:task_reassign", args=[task.pk])).status_code
        == 403
    )
    assert Task.objects.get().status == Task.Status.OPEN


def test_reassign_form(manager, senior_manager, make_task):
    task = make_task()
    url = reverse("activities:task_reassign", args=[task.pk])
    response = signed_in(manager).post(url, {"assignee": senior_manager.pk})
    assert response.status_code == 302
    assert Task.objects.get().assignee == senior_manager


def test_log_from_the_dashboard_offers_only_ones_own_organisations(
    manager, organisation, other_organisation
):
    client = signed_in(manager)
    url = reverse("activities:activity_log")
    form = client.get(url).context["form"]
    assert list(form.fields["organisation"].queryset) == [organisation]
    response = client.post(url, form_data(organisation=other_organisation.pk))
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    response = client.post(url, form_data(organisation=organisation.pk))
    assert response.status_code == 302
    assert Activity.objects.get().organisation == organisation


@pytest.mark.parametrize("rows", [10, 200])
def test_organisation_page_budget_with_activities_and_tasks(
    rows, manager, organisation, django_assert_max_num_queries
):
    for n in range(rows):
        services.activity_record(
            actor=manager,
            organisation=organisation,
            kind="note",
            occurred_at=timezone.now(),
            summary=f"Note {n}",
            follow_up_title=f"Task {n}",
            follow_up_due=timezone.localdate(),
        )
    client = signed_in(manager)
    url = reverse("partners:organisation_detail", args=[organisation.pk])
    client.get(url)
    with django_assert_max_num_queries(25):
        response = client.get(url)
    assert response.content.decode().count("Task ") >= rows


@pytest.mark.parametrize("rows", [10, 200])
def test_dashboard_budget_with_tasks(
    rows, manager, make_task, django_assert_max_num_queries
):
    for n in range(rows):
        make_task(title=f"Task {n}", due_on=timezone.localdate())
    client = signed_in(manager)
    client.get("/")
    with django_assert_max_num_queries(23):
        response = client.get("/")
    assert len(response.context["my_tasks"]["today"]) == rows


def test_htmx_log_refreshes_the_timeline_newest_first(manager, organisation):
    factories.RelationshipIssueFactory(
        organisation=organisation,
        title="Late referrals",
        raised_on=timezone.localdate() - dt.timedelta(days=2),
    )
    url = reverse("activities:activity_create", args=[organisation.pk])
    response = signed_in(manager).post(url, form_data(), HTTP_HX_REQUEST="true")
    timeline = response.context["timeline"]
    assert [e["kind"] for e in timeline[:2]] == ["Activity", "Issue"]
    assert "Agreed the next quarter" in timeline[0]["text"]
    body = response.content.decode()
    assert 'id="timeline-events" hx-swap-oob="innerHTML"' in body
    assert "Call logged. It is now in the timeline." in body


@pytest.mark.parametrize(
    ("kind", "shown", "note"),
    [
        ("Activity", ["Activity"], "It is now in the timeline."),
        ("Issue", ["Issue"], "The timeline shows only Issue."),
    ],
)
def test_htmx_log_keeps_the_timeline_kind_filter(
    kind, shown, note, manager, organisation
):
    factories.RelationshipIssueFactory(organisation=organisation)
    url = reverse("activities:activity_create", args=[organisation.pk])
    response = signed_in(manager).post(
        f"{url}?kind={kind}", form_data(), HTTP_HX_REQUEST="true"
    )
    assert [e["kind"] for e in response.context["timeline"]] == shown
    assert note in response.content.decode()
    # The form posts with the filter again next time.
    assert f"{url}?kind={kind}" in response.content.decode()


def test_the_short_form_as_offered_logs_an_activity_without_a_follow_up(
    manager, organisation
):
    """The form's own initial values, with a summary and no follow-up, are accepted."""
    url = reverse("activities:activity_create", args=[organisation.pk])
    client = signed_in(manager)
    form = client.get(
        reverse("partners:organisation_detail", args=[organisation.pk])
    ).context["activity_form"]
    data = {
        name: field.widget.format_value(form[name].value()) or ""
        for name, field in form.fields.items()
        if form[name].value() not in (None, "")
    }
    data["summary"] = "A short note."
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert "Call logged." in response.content.decode()
    assert Activity.objects.get().tasks.count() == 0


def test_an_error_is_tied_to_its_field_for_assistive_technology(manager, organisation):
    """The short form's fields (templates/partials/form_fields.html): the
    field in error is marked invalid, names its message, and the message sits
    beside it; a field without error is left alone."""
    import re

    url = reverse("activities:activity_create", args=[organisation.pk])
    html = (
        signed_in(manager)
        .post(url, form_data(follow_up_due=""), HTTP_HX_REQUEST="true")
        .content.decode()
    )
    [due] = re.findall(r'<input[^>]*id="id_follow_up_due"[^>]*>', html)
    assert 'aria-invalid="true"' in due
    assert 'aria-describedby="id_follow_up_due_error"' in due
    assert "is-invalid" in due
    message = re.search(
        r'<div id="id_follow_up_due_error" class="invalid-feedback d-block">'
        r"<strong>([^<]*)</strong>",
        html,
    )
    assert message
    assert "Give the task a due date." in message.group(1)
    [summary] = re.findall(r'<textarea[^>]*id="id_summary"[^>]*>', html)
    assert "is-invalid" not in summary
    assert "aria-invalid" not in summary
    [kind] = re.findall(r'<select[^>]*id="id_kind"[^>]*>', html)
    assert 'class="form-select"' in kind
