"""A list's cells are written in Python (ceop_crm.lists.cells): the page renders
the same number of templates however many rows it shows, and each cell's
markup escapes what people typed and marks what needs marking."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Task
from ceop_crm.lists import cells
from ceop_crm.lists.spec import Cell
from tests import factories
from tests.clients import VerifiedClient
from tests.workspace_world import build_many, build_world

pytestmark = pytest.mark.django_db

LISTS = {
    "partners:organisation_list": {},
    "planning:review_list": {"show": "all", "scope": "all"},
    "tiers:tier_change_list": {"status": "all"},
    "partners:proposal_list": {"status": "all"},
    "activities:task_list": {"status": "all"},
}


def signed_in(user) -> VerifiedClient:
    client = VerifiedClient()
    client.force_login(user)
    return client


def _templates_and_rows(client, url_name: str) -> tuple[int, int]:
    response = client.get(reverse(url_name), LISTS[url_name])
    assert response.status_code == 200
    return len(response.templates), len(response.context["rows"])


def _tasks(organisations, user) -> None:
    today = timezone.localdate()
    Task.objects.bulk_create(
        Task(
            organisation=org,
            title=f"Follow up {i}",
            due_on=today + dt.timedelta(days=i - 2),
            assignee=user,
            created_by=user,
        )
        for i, org in enumerate(organisations)
    )


@pytest.mark.parametrize("url_name", list(LISTS))
def test_a_list_renders_as_many_templates_for_one_row_as_for_many(
    url_name, manager, senior_manager, django_capture_on_commit_callbacks
):
    """No template per cell or per row: a page of many rows renders the same
    templates as a page of one (an {% include %} per cell would add hundreds)."""
    client = signed_in(senior_manager)
    world = build_world(owner=manager)
    _tasks([world.organisation], senior_manager)
    few_templates, few_rows = _templates_and_rows(client, url_name)

    # Committed, as between two requests: the counts shared between requests
    # are read afresh (partners.reports.figures).
    with django_capture_on_commit_callbacks(execute=True):
        many = build_many(count=6, owner=manager)
        for org in many:
            build_world(owner=manager, name=f"{org.name} Trust")
        _tasks(many, senior_manager)
    many_templates, many_rows = _templates_and_rows(client, url_name)

    assert many_rows > few_rows >= 1
    assert many_templates == few_templates


def test_what_people_typed_is_escaped_in_every_list(manager, senior_manager):
    name = '<script>alert("x")</script> & Sons'
    world = build_world(owner=manager, name=name)
    _tasks([world.organisation], senior_manager)
    Task.objects.update(title="<b>Call back</b>")
    client = signed_in(senior_manager)
    for url_name, params in LISTS.items():
        body = client.get(reverse(url_name), params).content.decode()
        assert "<script>alert" not in body, url_name
        assert "<b>Call back</b>" not in body, url_name
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Sons" in body


def test_an_organisation_row_marks_its_level_risk_and_overdue_reviews(
    manager, senior_manager
):
    world = build_world(owner=manager)
    org = world.organisation
    org.mous.update(status="terminated")
    world.review.__class__.objects.filter(pk=world.review.pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=3)
    )
    body = signed_in(senior_manager).get(reverse("partners:organisation_list"))
    html = body.content.decode()
    row = html[html.index(f'href="/organisations/{org.pk}/"') :]
    row = row[: row.index("</tr>")]
    assert '<span class="badge badge-tier badge-tier-partner">Partner</span>' in row
    assert 'title="No MoU in force"' in row
    assert "At risk</span>" in row
    assert '<span class="badge text-bg-danger">1 overdue</span>' in row
    assert '<span class="badge text-bg-danger">Terminated</span>' in row


def test_a_task_due_before_today_and_open_reads_overdue(manager):
    today = timezone.localdate()
    org = factories.OrganisationFactory(owner=manager)
    task = Task(organisation=org, title="Call", due_on=today - dt.timedelta(days=1))
    task.status = Task.Status.OPEN
    render = next(c.render for c in _task_columns() if c.key == "due_on")
    assert "overdue" in render(task, task.due_on, today)
    task.status = Task.Status.DONE
    assert "overdue" not in render(task, task.due_on, today)
    task.status = Task.Status.OPEN
    assert "overdue" not in render(task, today, today)


def _task_columns():
    from activities.lists import TASKS

    return TASKS.columns


def test_a_plain_cell_shows_a_dash_a_short_date_or_the_escaped_text():
    today = dt.date(2026, 11, 30)
    assert "—" in cells.plain(None, None, today)
    assert "—" in cells.plain(None, "", today)
    assert cells.plain(None, dt.date(2026, 2, 1), today) == "01/02/2026"
    assert cells.plain(None, 0, today) == "0"
    assert cells.plain(None, "<i>", today) == "&lt;i&gt;"


def test_the_first_cell_is_the_row_heading_and_classes_are_kept():
    html = cells.row_cells(
        None,
        [
            Cell("a", "One", "wide", None),
            Cell("b", "Two", "", None),
            Cell("c", "Three", "d-none", None),
        ],
        dt.date(2026, 11, 30),
    )
    assert html == (
        '<th scope="row" class="fw-normal wide">One</th>'
        '<td>Two</td><td class="d-none">Three</td>'
    )
