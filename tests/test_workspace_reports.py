"""Reports: the page, the CSV and the XLSX hold the same rows; suppliers are never
recognised as associations; gaps in priority-area coverage stand out."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from partners.reports import REPORTS, report_build
from planning.selectors import planning_year_label
from priorities.models import PriorityArea
from tests import factories
from tests.clients import VerifiedClient
from tests.workspace_world import build_world
from tiers.services import benefit_delivery_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(analyst):
    c = VerifiedClient()
    c.force_login(analyst)
    return c


@pytest.mark.parametrize("slug", list(REPORTS))
def test_report_page_csv_and_xlsx_carry_the_same_rows(slug, client, manager):
    build_world(owner=manager)
    report = report_build(slug=slug)
    page = client.get(reverse("workspace:report", args=[slug]))
    assert page.status_code == 200
    assert len(page.context["rows"]) == len(report.rows)

    csv_response = client.get(reverse("workspace:report_download", args=[slug, "csv"]))
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "attachment" in csv_response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(csv_response.getvalue().decode("utf-8-sig"))))
    assert rows[0] == report.columns
    assert len(rows) == len(report.rows) + 1

    xlsx_response = client.get(
        reverse("workspace:report_download", args=[slug, "xlsx"])
    )
    sheet = load_workbook(io.BytesIO(xlsx_response.getvalue())).active
    assert [c.value for c in sheet[1]] == report.columns
    assert sheet.max_row == len(report.rows) + 1


def test_unknown_report_or_format_is_not_found(client):
    assert client.get(reverse("workspace:report", args=["nope"])).status_code == 404
    url = reverse("workspace:report_download", args=["mous", "pdf"])
    assert client.get(url).status_code == 404


def test_annual_review_recognition_follows_the_benefit(client, manager):
    today = timezone.localdate()
    strategic = factories.AssociationFactory(tier=factories.tier("strategic-partner"))
    partner = factories.AssociationFactory(tier=factories.tier("partner"))
    supporter = factories.AssociationFactory(tier=factories.tier("official-supporter"))
    quiet = factories.AssociationFactory(tier=factories.tier("official-supporter"))
    supplier = factories.AssociationFactory(tier=factories.tier("supplier"))
    ended_last_year = factories.AssociationFactory(
        tier=factories.tier("official-supporter"),
        start=today - dt.timedelta(days=900),
        end=today - dt.timedelta(days=600),
    )
    recognition = supporter.tier.benefits.get(text="Recognition in CEOP Annual Review")
    prominent = strategic.tier.benefits.get(
        text="Prominent recognition in relevant CEOP publications"
    )
    for association, benefit in ((supporter, recognition), (strategic, prominent)):
        benefit_delivery_record(
            organisation=association.organisation,
            benefit=benefit,
            delivered_on=today,
            actor=manager,
            description="Named in the review",
        )

    report = report_build(slug="annual-review", year=planning_year_label(today))

    rows = {row[2]: row for row in report.rows}
    # The Annual Review's own recognition first, then the Strategic Partners'.
    recognised = sorted([supporter.organisation.name, quiet.organisation.name])
    assert [row[2] for row in report.rows] == [
        *recognised,
        strategic.organisation.name,
    ]
    assert rows[supporter.organisation.name][0] == recognition.text
    assert rows[supporter.organisation.name][-1] == (
        f"{today:%d/%m/%Y}: Named in the review"
    )
    assert rows[quiet.organisation.name][-1] == "Not yet"
    assert rows[strategic.organisation.name][0] == prominent.text
    assert "Named in the review" in rows[strategic.organisation.name][-1]
    # A Partner's "Recognition in relevant CEOP publications" is not the Annual
    # Review's; suppliers are never listed.
    for absent in (partner, supplier, ended_last_year):
        assert absent.organisation.name not in rows
    csv_text = (
        client.get(reverse("workspace:report_download", args=["annual-review", "csv"]))
        .getvalue()
        .decode("utf-8-sig")
    )
    assert supplier.organisation.name not in csv_text


def test_priority_coverage_marks_areas_without_agreed_support_as_gaps(manager):
    world = build_world(owner=manager)
    report = report_build(slug="priority-coverage")
    gaps = {row[0] for row in report.rows if row[-1] == "Gap"}
    numbers = set(PriorityArea.objects.values_list("number", flat=True))
    assert gaps == numbers - {world.priority_area.number}
    client = VerifiedClient()
    client.force_login(manager)
    dashboard = client.get("/", {"scope": "all"})
    assert len(dashboard.context["gaps"]) == len(gaps)
    assert "gap" in dashboard.content.decode().lower()


def test_reviews_report_counts_overdue_per_window(manager):
    world = build_world(owner=manager)
    world.review.due_on = timezone.localdate() - dt.timedelta(days=1)
    world.review.save()
    report = report_build(
        slug="reviews", year=world.review.milestone.planning_year.label
    )
    overdue = sum(row[4] for row in report.rows)
    assert overdue == 1


def test_csv_cells_cannot_start_a_spreadsheet_formula(client):
    factories.AssociationFactory(
        tier=factories.tier("official-supporter"),
        organisation=factories.OrganisationFactory(name="=HYPERLINK(1)"),
    )
    text = (
        client.get(reverse("workspace:report_download", args=["annual-review", "csv"]))
        .getvalue()
        .decode("utf-8-sig")
    )
    assert "'=HYPERLINK(1)" in text


@pytest.mark.parametrize("year", ["9999/00", "garbage", "", "0/1"])
def test_report_with_a_nonsense_year_shows_the_current_year(client, year):
    for slug in ("reviews", "annual-review"):
        response = client.get(reverse("workspace:report", args=[slug]), {"year": year})
        assert response.status_code == 200
        assert response.context["year"] == planning_year_label(timezone.localdate())


def test_partners_by_tier_keeps_suppliers_out_of_the_associated_total():
    factories.AssociationFactory(tier=factories.tier("partner"))
    factories.AssociationFactory(tier=factories.tier("supplier"))
    factories.OrganisationFactory()
    rows = {row[0]: row[-1] for row in report_build(slug="partners-by-tier").rows}
    assert rows["Partner"] == 1
    assert rows["Total associated"] == 1
    assert rows["Supplier/Contractor (not an association)"] == 1
    assert rows["No current level"] == 1


def test_partners_by_tier_counts_an_ended_association_as_no_level():
    today = timezone.localdate()
    factories.AssociationFactory(
        tier=factories.tier("partner"),
        start=today - dt.timedelta(days=400),
        end=today - dt.timedelta(days=10),
    )
    factories.AssociationFactory(tier=factories.tier("partner"))
    rows = {row[0]: row[-1] for row in report_build(slug="partners-by-tier").rows}
    assert rows["Partner"] == 1
    assert rows["No current level"] == 1
