"""Small things that cost people time in their first hour, each checked here.

Sorting the organisation list by its headers, the reviews list opening on
"Mine", due diligence starting with no answer, the organisation page saying why
it has no actions, portal sign-in in any letter case, the self-assessment email
linking to the review, and XLSX sheet names cut between words. (Native date
inputs: tests/workspace_forms/test_dates.py.)
"""

import io
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from openpyxl import load_workbook

from ceop_crm import roles
from ceop_crm.models import OutboundEmail
from partners.sheet_names import xlsx_sheet_title
from planning.services import self_assessment_submit
from tests import factories
from tests.clients import VerifiedClient
from tests.workspace_world import build_world

pytestmark = pytest.mark.django_db


def _client(user) -> VerifiedClient:
    client = VerifiedClient()
    client.force_login(user)
    return client


def _headers(page: str) -> dict[str, str]:
    """Each sortable header's label and its <th> opening tag and link."""
    return {
        label: th
        for th, label in re.findall(
            r'(<th scope="col"[^>]*><a class="sort-link[^"]*" href="[^"]*">)([^<]+)',
            page,
        )
    }


# --- The organisation list sorts by its column headers ---------------------------


def test_the_organisation_list_sorts_by_clicking_its_headers(analyst):
    for name in ("Bravo Works", "Alpha Works", "Charlie Works"):
        factories.OrganisationFactory(name=name)
    client = _client(analyst)
    url = reverse("partners:organisation_list")

    page = client.get(url, {"sector": "industry", "page": "1"}).content.decode()
    headers = _headers(page)
    assert set(headers) == {
        "Organisation",
        "Level",
        "Owner",
        "Next review",
        "Overdue reviews",
        "Changed",
    }
    # Sorted by name by default: the header says so and its link turns it round,
    # keeping the filters and leaving the page number behind.
    assert 'aria-sort="ascending"' in headers["Organisation"]
    assert "sort=-name" in headers["Organisation"]
    assert "sector=industry" in headers["Organisation"]
    assert "page=" not in headers["Organisation"]
    assert "aria-sort" not in headers["Owner"]

    href = re.search(r'href="([^"]+)"', headers["Organisation"]).group(1)
    page = client.get(url + href.replace("&amp;", "&")).content.decode()
    names = re.findall(r'class="fw-semibold" href="[^"]+">([^<]+) Works<', page)
    assert names == ["Charlie", "Bravo", "Alpha"]
    assert 'aria-sort="descending"' in _headers(page)["Organisation"]

    owner_sorted = _headers(client.get(url, {"sort": "owner"}).content.decode())
    assert 'aria-sort="ascending"' in owner_sorted["Owner"]
    assert "aria-sort" not in owner_sorted["Organisation"]


# --- The reviews list opens on "Mine" ---------------------------------------------


def test_the_reviews_list_opens_on_mine_for_someone_with_organisations(manager):
    build_world(owner=manager)
    others = build_world(
        owner=factories.UserFactory(username="someone-else"), name="Other Trust"
    )
    response = _client(manager).get(reverse("planning:review_list"), {"show": "all"})
    assert response.context["mine"] is True
    rows = list(response.context["page"].object_list)
    assert rows
    assert others.organisation.name not in {r.organisation.name for r in rows}
    everyone = _client(manager).get(
        reverse("planning:review_list"), {"show": "all", "scope": "all"}
    )
    assert everyone.context["mine"] is False
    assert others.organisation.name in everyone.content.decode()


def test_the_reviews_list_opens_on_everyones_for_an_analyst(manager, analyst):
    build_world(owner=manager)
    response = _client(analyst).get(reverse("planning:review_list"))
    assert response.context["mine"] is False


# --- Due diligence starts with no answer chosen ------------------------------------


def test_due_diligence_starts_with_no_answer_chosen(manager):
    world = build_world(owner=manager)
    url = reverse("partners:due_diligence_create", args=[world.organisation.pk])
    page = _client(manager).get(url).content.decode()
    for name in ("child_protection", "brand_risk"):
        select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group()
        assert re.findall(r"<option[^>]*selected[^>]*>([^<]*)<", select) == ["Choose…"]
    response = _client(manager).post(url, {"assessed_on": "2026-01-05"})
    errors = response.context["form"].errors
    assert "Choose what the organisation has in place." in errors["child_protection"]
    assert "Choose the risk to CEOP's brand." in errors["brand_risk"]


# --- The organisation page says why it has no actions --------------------------------


def test_a_non_owner_sees_why_there_are_no_actions_and_who_owns_it(manager):
    world = build_world(owner=manager)
    deputy = factories.UserFactory(username="deputy-joint", first_name="Dana")
    world.organisation.deputy = deputy
    world.organisation.save()
    other = factories.UserFactory(username="other-rm")
    other.groups.add(Group.objects.get(name=roles.RELATIONSHIP_MANAGER))
    url = reverse("partners:organisation_detail", args=[world.organisation.pk])

    page = _client(other).get(url).content.decode()
    note = re.search(r'id="why-no-actions">(.*?)</p>', page, re.S).group(1)
    assert "only its relationship owner" in note
    assert manager.get_full_name() in note
    assert deputy.get_full_name() in note
    assert "senior manager" in note

    analyst = factories.UserFactory(username="analyst-why")
    analyst.groups.add(Group.objects.get(name=roles.ANALYST))
    note = re.search(
        r'id="why-no-actions">(.*?)</p>',
        _client(analyst).get(url).content.decode(),
        re.S,
    ).group(1)
    assert "changes none" in note
    assert manager.get_full_name() in note

    assert 'id="why-no-actions"' not in _client(manager).get(url).content.decode()


# --- Portal sign-in in any letter case ----------------------------------------------


def test_the_portal_sign_in_accepts_the_email_in_any_letter_case():
    membership = factories.PortalMembershipFactory(
        user__username="ada@partner.example", user__email="ada@partner.example"
    )
    url = reverse("portal:login")
    response = VerifiedClient().post(
        url, {"username": "  Ada@Partner.EXAMPLE ", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    wrong = VerifiedClient().post(
        url, {"username": "ADA@partner.example", "password": "wrong-horse"}
    )
    assert wrong.status_code == 200
    assert membership.user.username == "ada@partner.example"


# --- The self-assessment email links to the review -------------------------------------


def test_the_self_assessment_email_links_the_manager_to_the_review(manager):
    world = build_world(owner=manager)
    partner = factories.PortalMembershipFactory(organisation=world.organisation).user
    self_assessment_submit(
        review=world.review,
        actor=partner,
        progress="Two joint investigations.",
        benefits_received="Early research.",
        benefits_given="Engineers.",
        improvements="Faster feedback.",
    )
    email = OutboundEmail.objects.get(template="self_assessment_submitted")
    link = settings.SITE_URL.rstrip("/") + reverse(
        "planning:review_detail", args=[world.review.pk]
    )
    assert link in email.body_text
    assert f'href="{link}"' in email.body_html


# --- XLSX sheet names are not cut mid-word --------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "Reviews 2026/27: due, done and overdue per quarter",
            "Reviews 2026-27 due, done",
        ),
        ("Annual Review 2026/27: recognition list", "Annual Review 2026-27"),
        ("Partners by tier and sector", "Partners by tier and sector"),
        ("What? [draft] *", "What draft"),
        ("A" * 40, "A" * 31),
    ],
)
def test_sheet_names_are_cut_between_words(title, expected):
    assert xlsx_sheet_title(title) == expected


def test_the_reviews_report_downloads_with_a_sheet_named_in_whole_words(analyst):
    response = _client(analyst).get(
        reverse("workspace:report_download", args=["reviews", "xlsx"])
    )
    assert response.status_code == 200
    title = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.title
    assert title.startswith("Reviews ")
    assert title.endswith(" due, done")
