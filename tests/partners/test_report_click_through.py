"""Every figure of every report page, and every bar of the dashboard's plots,
leads to a list that shows exactly the rows the figure counts.

Each figure's rows are worked out here from the records themselves (not from
the report's queries), and the list its link opens must hold the same ids:
dropping a filter from a list, or a parameter from a link, fails a test.
"""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from partners import models as pm
from partners.reports import AGREED_SUPPORT, NO_LEVEL
from planning import models as plm
from planning.selectors import planning_year_label
from priorities.models import PriorityArea
from tests import factories
from tests.clients import VerifiedClient
from tests.workspace_world import build_many
from tiers.models import Association

pytestmark = pytest.mark.django_db

ACTIVE = ("agreed", "delivering")


@pytest.fixture
def client(analyst):
    cache.clear()
    client = VerifiedClient()
    client.force_login(analyst)
    yield client
    cache.clear()


def _listed(client, url: str) -> set[int]:
    """The ids a linked list shows (every row fits on its first page here)."""
    response = client.get(url)
    assert response.status_code == 200, url
    context = response.context
    if "page" in context:
        page = context["page"]
        assert page.paginator.num_pages == 1, url
        ids = {row.pk for row in page.object_list}
        assert page.paginator.count == len(ids), url
        return ids
    return {c.pk for c in context["contributions"]}


def _report_cells(client, slug: str, **params):
    response = client.get(reverse("workspace:report", args=[slug]), params)
    assert response.status_code == 200
    return response.context["report"], response.context["rows"]


def _check(client, figure, url, expected: set[int], where: str) -> None:
    """A figure's link opens exactly its rows; a nought links nowhere."""
    assert figure == len(expected), where
    if not figure:
        assert url is None, where
        return
    assert url, f"{where}: a figure without a link"
    assert _listed(client, url) == expected, where


# --- Partners by tier and sector ------------------------------------------------


def test_partners_by_tier_every_figure_opens_its_organisations(client, manager):
    build_many(count=12, owner=manager)
    factories.OrganisationFactory(sector="academic")  # no level
    sectors = [code for code, _ in pm.Sector.choices]
    level = {
        a.organisation_id: a.tier
        for a in Association.objects.filter(end__isnull=True).select_related("tier")
    }

    def row_of(org) -> set[str]:
        tier = level.get(org.pk)
        if tier is None:
            return {NO_LEVEL}
        if tier.is_association:
            return {tier.name, "Total associated"}
        return {f"{tier.name} (not an association)"}

    organisations = list(pm.Organisation.objects.all())
    _report, rows = _report_cells(client, "partners-by-tier")
    checked = 0
    for _highlight, cells in rows:
        label = cells[0][0]
        members = [o for o in organisations if label in row_of(o)]
        for column, (figure, url) in enumerate(cells[1:], start=1):
            if column <= len(sectors):
                sector = sectors[column - 1]
                expected = {o.pk for o in members if o.sector == sector}
            else:
                expected = {o.pk for o in members}
            _check(client, figure, url, expected, f"{label} / column {column}")
            checked += 1 if figure else 0
    assert checked > 10


# --- Reviews per quarter --------------------------------------------------------


def _window(review: plm.Review) -> str:
    if review.milestone.kind == plm.MilestoneKind.ANNUAL_MONITORING:
        return "Annual"
    return f"Q{review.milestone.quarter or 0}"


def _outcomes(review: plm.Review, today: dt.date) -> set[str]:
    if review.status == plm.Review.Status.CANCELLED:
        return set()
    found = {"due"}
    if review.status == plm.Review.Status.COMPLETED:
        found.add("on_time" if review.completed_on <= review.due_on else "late")
    elif review.due_on < today:
        found.add("overdue")
    else:
        found.add("upcoming")
    return found


def _reviews_of_every_outcome(manager) -> None:
    build_many(count=8, owner=manager)
    today = timezone.localdate()
    # Reviews of the year the reports show by default.
    reviews = list(
        plm.Review.objects.filter(
            milestone__planning_year__label=planning_year_label(today)
        ).order_by("pk")
    )
    assert len(reviews) > 8
    on_time, late, overdue, cancelled = reviews[0], reviews[1], reviews[2], reviews[3]
    plm.Review.objects.filter(pk=on_time.pk).update(
        status="completed", completed_on=F("due_on")
    )
    plm.Review.objects.filter(pk=late.pk).update(
        status="completed", completed_on=F("due_on") + dt.timedelta(days=3)
    )
    plm.Review.objects.filter(pk=overdue.pk).update(due_on=today - dt.timedelta(days=1))
    plm.Review.objects.filter(pk=cancelled.pk).update(
        status="cancelled", cancelled_reason="The association ended."
    )


def test_reviews_report_every_figure_opens_its_reviews(client, manager):
    _reviews_of_every_outcome(manager)
    today = timezone.localdate()
    report, rows = _report_cells(client, "reviews")
    year = report.options["year"]
    reviews = list(
        plm.Review.objects.filter(milestone__planning_year__label=year).select_related(
            "milestone"
        )
    )
    outcomes = ["due", "on_time", "late", "overdue", "upcoming"]
    seen = set()
    for _highlight, cells in rows:
        window = cells[0][0]
        for column, outcome in enumerate(outcomes, start=1):
            figure, url = cells[column]
            expected = {
                r.pk
                for r in reviews
                if _window(r) == window and outcome in _outcomes(r, today)
            }
            _check(client, figure, url, expected, f"{window} / {outcome}")
            if figure:
                seen.add(outcome)
    # Every kind of figure was followed at least once.
    assert seen == set(outcomes)


def test_review_list_refuses_a_bad_filter_without_an_error_page(client):
    response = client.get(
        reverse("planning:review_list"), {"year": "1066/67", "outcome": "lost"}
    )
    assert response.status_code == 200
    assert response.context["extra_form"].errors
    assert b"invalid-feedback" in response.content
    # Each message is the one its select box names for assistive technology.
    html = response.content.decode()
    for name in ("year", "outcome"):
        assert f'aria-describedby="id_{name}_error"' in html
        assert f'<div id="id_{name}_error" class="invalid-feedback' in html


# --- Priority-area coverage -----------------------------------------------------


def test_priority_coverage_every_figure_opens_its_rows(client, manager):
    organisations = build_many(count=6, owner=manager)
    first_area = pm.Contribution.objects.first().priority_areas.first()
    for status in ("completed", "delivering", "proposed"):
        factories.ContributionFactory(
            organisation=organisations[1], status=status
        ).priority_areas.add(first_area)
    declined = factories.ProposalFactory(organisation=organisations[2])
    pm.Proposal.objects.filter(pk=declined.pk).update(
        status="declined", decline_reason="Not now."
    )
    declined.priority_areas.add(first_area)
    _report, rows = _report_cells(client, "priority-coverage")
    contributions = list(pm.Contribution.objects.prefetch_related("priority_areas"))
    proposals = list(pm.Proposal.objects.prefetch_related("priority_areas"))
    checked = 0
    for (_highlight, cells), area in zip(
        rows, PriorityArea.objects.order_by("number"), strict=True
    ):
        assert cells[1][1] == reverse("priorities:priority_area_detail", args=[area.pk])
        in_area = [c for c in contributions if area in c.priority_areas.all()]
        support = {c.pk for c in in_area if c.status in AGREED_SUPPORT}
        active = {c.pk for c in in_area if c.status in ACTIVE}
        orgs = {c.organisation_id for c in in_area if c.status in AGREED_SUPPORT}
        waiting = {
            p.pk
            for p in proposals
            if p.status == "submitted" and area in p.priority_areas.all()
        }
        for column, expected in ((2, support), (3, active), (4, orgs), (5, waiting)):
            figure, url = cells[column]
            _check(client, figure, url, expected, f"area {area.number} / {column}")
            checked += 1 if figure else 0
    assert checked >= 4 * 6


# --- Organisations --------------------------------------------------------------


def test_organisations_report_links_each_organisation_and_its_overdue_reviews(
    client, manager
):
    _reviews_of_every_outcome(manager)
    today = timezone.localdate()
    report, rows = _report_cells(client, "organisations")
    overdue_column = report.columns.index("Overdue reviews")
    by_name = {o.name: o for o in pm.Organisation.objects.all()}
    followed = 0
    for _highlight, cells in rows:
        organisation = by_name[cells[0][0]]
        assert cells[0][1] == reverse(
            "partners:organisation_detail", args=[organisation.pk]
        )
        expected = set(
            plm.Review.objects.filter(
                organisation=organisation, status="scheduled", due_on__lt=today
            ).values_list("pk", flat=True)
        )
        figure, url = cells[overdue_column]
        _check(client, figure, url, expected, organisation.name)
        followed += figure
    assert followed >= 1


# --- The dashboard's plots ------------------------------------------------------


def test_dashboard_review_and_coverage_figures_open_their_rows(client, manager):
    _reviews_of_every_outcome(manager)
    today = timezone.localdate()
    response = client.get("/?scope=all")
    year = response.context["year_label"]
    reviews = list(
        plm.Review.objects.filter(milestone__planning_year__label=year).select_related(
            "milestone"
        )
    )
    outcomes = ["due", "on_time", "late", "overdue", "upcoming"]
    followed = 0
    for window, figures in response.context["review_table"]:
        for (figure, url), outcome in zip(figures, outcomes, strict=True):
            expected = {
                r.pk
                for r in reviews
                if _window(r) == window and outcome in _outcomes(r, today)
            }
            _check(client, figure, url, expected, f"dashboard {window} / {outcome}")
            followed += figure
    assert followed
    # The plot's segments lead where the table's figures do.
    data = response.context["chart_data"]
    windows = data["reviews"]["labels"]
    table = dict(response.context["review_table"])
    for d, outcome in enumerate(["on_time", "late", "overdue", "upcoming"]):
        for w, window in enumerate(windows):
            figure, url = table[window][outcomes.index(outcome)]
            if figure:
                assert data["reviews"]["urls"][d][w] == url

    contributions = list(pm.Contribution.objects.prefetch_related("priority_areas"))
    for row, _area_url, figures in response.context["coverage_table"]:
        in_area = [
            c
            for c in contributions
            if row["pk"] in {a.pk for a in c.priority_areas.all()}
        ]
        expected = (
            {c.pk for c in in_area if c.status in ACTIVE},
            {c.pk for c in in_area if c.status in AGREED_SUPPORT},
            {c.organisation_id for c in in_area if c.status in AGREED_SUPPORT},
        )
        for (figure, url), rows in zip(figures, expected, strict=True):
            _check(client, figure, url, rows, f"dashboard area {row['number']}")
        i = [r["pk"] for r, _, _ in response.context["coverage_table"]].index(row["pk"])
        if row["active"]:
            assert data["coverage"]["urls"][i] == figures[0][1]


# --- MoUs, the Annual Review, contacts ------------------------------------------


def _summary(report) -> dict[str, tuple[int, str | None]]:
    return {label: (n, url) for label, n, url in report.options["summary"]}


def test_mous_report_states_open_their_organisations_and_rows_their_mous(
    client, manager
):
    organisations = build_many(count=6, owner=manager)
    # A second MoU for one organisation, and MoUs in other states.
    factories.MoUFactory(organisation=organisations[0], status="draft", signed_on=None)
    factories.MoUFactory(organisation=organisations[1], status="draft", signed_on=None)
    factories.MoUFactory(
        organisation=organisations[1], status="negotiation", signed_on=None
    )
    expired = factories.MoUFactory(organisation=organisations[2])
    pm.MoU.objects.filter(pk=expired.pk).update(status="expired")
    report, rows = _report_cells(client, "mous")
    mous = list(pm.MoU.objects.all())
    labels = dict(pm.MoU.Status.choices)
    summary = _summary(report)
    assert len(summary) >= 4
    for status, label in labels.items():
        expected = {m.organisation_id for m in mous if m.status == status}
        figure, url = summary.get(label, (0, None))
        _check(client, figure, url, expected, f"MoUs {status}")
    # Each row leads to its organisation and its MoU.
    assert len(rows) == len(mous)
    by_pk = {m.pk: m for m in mous}
    seen = set()
    for _highlight, cells in rows:
        (name, org_url), (title, mou_url) = cells[0], cells[1]
        mou = by_pk[int(mou_url.rstrip("/").rsplit("/", 1)[1])]
        assert mou_url == reverse("partners:mou_detail", args=[mou.pk])
        assert (mou.title, mou.organisation.name) == (title, name)
        assert org_url == reverse(
            "partners:organisation_detail", args=[mou.organisation_id]
        )
        seen.add(mou.pk)
    assert seen == set(by_pk)


def test_annual_review_levels_open_the_organisations_of_the_year(
    client, manager, django_capture_on_commit_callbacks
):
    organisations = build_many(count=8, owner=manager)
    report, _rows = _report_cells(client, "annual-review")
    year = report.options["year"]
    first = int(year.split("/")[0])
    start, end = dt.date(first, 4, 1), dt.date(first + 1, 3, 31)
    strategic = factories.tier("strategic-partner")
    supporter = factories.tier("official-supporter")
    # Committed, as a person's change is: the figures per level are shared
    # until then (partners/reports/figures.py).
    with django_capture_on_commit_callbacks(execute=True):
        # Official Supporter earlier in the year, then moved: listed at both levels.
        moved = organisations[0]  # a Strategic Partner (build_many)
        Association.objects.filter(organisation=moved).update(
            start=start + dt.timedelta(days=60)
        )
        factories.AssociationFactory(
            organisation=moved,
            tier=supporter,
            start=start - dt.timedelta(days=300),
            end=start + dt.timedelta(days=59),
        )
        # Ended before the year began: not listed.
        gone = factories.OrganisationFactory()
        factories.AssociationFactory(
            organisation=gone,
            tier=strategic,
            start=start - dt.timedelta(days=400),
            end=start - dt.timedelta(days=1),
        )
    report, rows = _report_cells(client, "annual-review", year=year)
    summary = _summary(report)
    listed = {}
    for a in Association.objects.select_related("tier", "organisation"):
        if a.start <= end and (a.end is None or a.end >= start):
            listed.setdefault(a.tier.name, set()).add(a.organisation_id)
    # The levels whose benefits the Annual Review gives, and only those.
    assert set(summary) == {strategic.name, supporter.name}
    for name, (figure, url) in summary.items():
        _check(client, figure, url, listed[name], f"level {name}")
    assert moved.pk in listed[supporter.name]
    assert moved.pk in listed[strategic.name]
    assert gone.pk not in set().union(*listed.values())
    # Each row leads to its organisation.
    names = dict(pm.Organisation.objects.values_list("pk", "name"))
    for _highlight, cells in rows:
        name, url = cells[2]
        pk = int(url.rstrip("/").rsplit("/", 1)[1])
        assert url == reverse("partners:organisation_detail", args=[pk])
        assert names[pk] == name


def test_contacts_report_rows_open_their_organisation_and_the_read_is_logged(
    client, manager
):
    organisations = build_many(count=4, owner=manager)
    factories.ContactFactory(organisation=organisations[0], name="Second Person")
    from ceop_crm.privacy.models import ReadLogEntry

    before = ReadLogEntry.objects.count()
    _report, rows = _report_cells(client, "contacts")
    assert ReadLogEntry.objects.count() == before + 1
    contacts = list(pm.Contact.objects.select_related("organisation"))
    assert len(rows) == len(contacts)
    expected = sorted((c.name, c.organisation_id) for c in contacts)
    got = []
    for _highlight, cells in rows:
        url = cells[0][1]
        pk = int(url.rstrip("/").rsplit("/", 1)[1])
        assert url == reverse("partners:organisation_detail", args=[pk])
        got.append((cells[1][0], pk))
    assert sorted(got) == expected


def test_organisation_list_refuses_a_bad_year_or_mou_state_without_an_error_page(
    client,
):
    response = client.get(
        reverse("partners:organisation_list"),
        {"in_year": "last year", "mou_status": "lost"},
    )
    assert response.status_code == 200
    errors = response.context["filter"].errors
    assert set(errors) == {"in_year", "mou_status"}
