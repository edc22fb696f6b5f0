"""A relationship manager takes an organisation from first contact to Strategic
Partner in the browser; a senior manager approves the moves; the dashboard shows it.

Every step goes through the workspace's own pages, as a person would: labels,
buttons and links found by their accessible names.
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from partners.models import DueDiligence, MoU, Organisation
from tests.browser.conftest import BROWSER_DB, sign_in
from tiers.models import Association, TierChange

pytestmark = [pytest.mark.browser, BROWSER_DB]

ORGANISATION = "Brightwater Online Safety Ltd"


def signed_mou_pdf() -> bytes:
    """A small, valid one-page PDF (its cross-reference offsets are exact)."""
    text = b"BT /F1 18 Tf 72 720 Td (Memorandum of Understanding - signed) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def exactly(label: str) -> re.Pattern:
    """A field's label, with or without the asterisk of a required field."""
    return re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$")


def uk(day) -> str:
    """What a date input takes from a script (the browser shows it the UK way)."""
    return day.isoformat()


def expect_message(page, text: str) -> None:
    """The success message shown after an action."""
    page.get_by_text(text).first.wait_for()


def record(page, what: str) -> None:
    """Open the organisation page's "Record…" menu and choose an item."""
    page.get_by_role("button", name="Record…").click()
    page.locator(".dropdown-menu.show").get_by_role("link", name=what).click()


def fill_all_evidence(page, evidence: str) -> None:
    fields = page.get_by_label(re.compile(r"^Evidence for: "))
    for index in range(fields.count()):
        fields.nth(index).fill(evidence)


def request_move(page, *, organisation_url: str, link: str, reason: str) -> None:
    page.goto(organisation_url)
    page.get_by_role("link", name=re.compile(r"Propose a level|Change level")).click()
    page.get_by_role("link", name=link).click()
    page.get_by_label("Reason").fill(reason)
    fill_all_evidence(page, "Agreed at the partnership meeting; minutes on file.")


def approve_move(page, *, reason: str) -> None:
    """From the senior manager's dashboard: open the waiting move and approve it."""
    page.goto("/")
    page.get_by_role("region", name=re.compile("Tier moves awaiting")).get_by_role(
        "link", name=ORGANISATION
    ).click()
    page.get_by_role("link", name=re.compile("Approve")).click()
    page.get_by_label("Reason").fill(reason)
    page.get_by_role("button", name="Approve move").click()
    expect_message(page, "Move approved.")


def test_manager_takes_an_organisation_to_strategic_partner_with_approval(
    page, page_problems, new_page, shot, manager, senior_manager, tmp_path: Path
):
    today = timezone.localdate()

    # The manager signs in and lands on the dashboard.
    sign_in(page, manager.username)
    page.get_by_role("heading", name="Dashboard").wait_for()
    shot(page, "dashboard-before")

    # Creates the organisation.
    page.get_by_role("link", name="Organisations", exact=True).click()
    page.get_by_role("link", name=re.compile("New organisation")).click()
    page.get_by_label(exactly("Name")).fill(ORGANISATION)
    page.get_by_label("Sector").select_option(label="Industry")
    page.get_by_label("Website").fill("brightwater.example")
    page.get_by_label("Description").fill("Builds safety tools for messaging apps.")
    shot(page, "organisation-form")
    page.get_by_role("button", name="Create organisation").click()
    expect_message(page, f"{ORGANISATION} created.")
    organisation = Organisation.objects.get(name=ORGANISATION)
    assert organisation.owner == manager
    organisation_url = page.url
    assert organisation_url.endswith(f"/organisations/{organisation.pk}/")

    # Records due diligence against every principle, then approves it.
    record(page, "Due diligence")
    page.get_by_label("Child protection procedures").select_option(
        label="Procedures in place"
    )
    page.get_by_label("Risk to CEOP's brand").select_option(label="Low")
    cards = page.locator("fieldset .card")
    assert cards.count() == 8
    for index in range(cards.count()):
        card = cards.nth(index)
        card.get_by_role("checkbox").check()
        card.get_by_label("Evidence").fill("Seen in their published policies.")
    shot(page, "due-diligence-form")
    page.get_by_role("button", name="Record assessment").click()
    expect_message(page, "Due diligence recorded.")
    page.get_by_role("link", name="Approve or reject").click()
    page.get_by_label(exactly("Approve")).check()
    page.get_by_label("Expires on").fill(uk(today + timedelta(days=365)))
    page.get_by_role("button", name="Record decision").click()
    expect_message(page, "Due diligence approved.")
    assert DueDiligence.objects.get(organisation=organisation).is_current_on(today)

    # Drafts an MoU, uploads the signed PDF and records the signature.
    page.goto(organisation_url)
    record(page, "Draft MoU")
    page.get_by_label("CEOP signatory").fill("Alex Morgan")
    page.get_by_label("Partner signatory").fill("Sam Patel")
    page.get_by_label("Both sides agree to market the partnership equally").check()
    page.get_by_role("button", name="Save draft").click()
    expect_message(page, "MoU drafted.")

    pdf = tmp_path / "signed-mou.pdf"
    pdf.write_bytes(signed_mou_pdf())
    page.get_by_role("link", name="Upload signed PDF").click()
    page.get_by_label("Signed MoU (PDF)").set_input_files(str(pdf))
    page.get_by_role("button", name="Upload", exact=True).click()
    expect_message(page, "Signed document uploaded.")

    page.get_by_role("link", name="Sign", exact=True).click()
    page.get_by_label("Signed on").fill(uk(today))
    page.get_by_label(exactly("Start")).fill(uk(today))
    page.get_by_label(exactly("End")).fill(uk(today + timedelta(days=3 * 365)))
    page.get_by_role("button", name="Record signature").click()
    expect_message(page, "MoU signed.")
    shot(page, "mou-signed")
    mou = MoU.objects.get(organisation=organisation)
    assert mou.status == MoU.Status.SIGNED
    assert mou.document.read().startswith(b"%PDF-")
    page.get_by_role("link", name="Download PDF").wait_for()

    # Starts a Partner association: proposed by the manager...
    request_move(
        page,
        organisation_url=organisation_url,
        link="Propose Partner",
        reason="Delivers training to our operational teams.",
    )
    page.get_by_text("MoU in force: yes").wait_for()
    shot(page, "partner-proposal")
    page.get_by_role("button", name="Ask for approval").click()
    expect_message(page, "Tier move requested")

    # ...and approved by a senior manager, signed in in another browser.
    senior = new_page()
    sign_in(senior, senior_manager.username)
    approve_move(senior, reason="Due diligence and MoU are in order.")
    current = Association.objects.get(organisation=organisation, end__isnull=True)
    assert current.tier.code == "partner"

    # The manager asks to move up to Strategic Partner.
    request_move(
        page,
        organisation_url=organisation_url,
        link="Move up to Strategic Partner",
        reason="Staff embedded in the Centre; delivers several objectives.",
    )
    # Each key characteristic shows its automatic check beside the evidence field.
    page.get_by_text("A signed MoU is in force: yes").wait_for()
    page.get_by_text("Ownership hierarchy recorded on the MoU: no").wait_for()
    shot(page, "strategic-request")
    page.get_by_role("button", name="Ask for approval").click()
    expect_message(page, "Tier move requested")
    page.get_by_text("Awaiting a senior manager's decision.").wait_for()
    change = TierChange.objects.get(
        organisation=organisation, status=TierChange.Status.PENDING
    )
    assert change.to_tier.code == "strategic-partner"

    # The senior manager sees it waiting on the dashboard and approves it.
    senior.goto("/")
    shot(senior, "senior-dashboard-pending")
    approve_move(senior, reason="Evidence reviewed at the partnership board.")
    shot(senior, "senior-approved")
    change.refresh_from_db()
    assert change.status == TierChange.Status.APPROVED
    assert change.decided_by == senior_manager

    # The manager's dashboard shows the organisation as a Strategic Partner.
    page.goto("/")
    mine = page.get_by_role("region", name=re.compile("My organisations"))
    row = mine.get_by_role("listitem").filter(has_text=ORGANISATION)
    row.get_by_text("Strategic Partner").wait_for()
    shot(page, "dashboard-after")
    current = Association.objects.get(organisation=organisation, end__isnull=True)
    assert current.tier.code == "strategic-partner"
    assert Association.objects.filter(organisation=organisation).count() == 2

    # The senior manager has nothing left to approve.
    senior.goto("/")
    senior.get_by_text("Nothing awaits approval.").wait_for()
    assert not page_problems, page_problems
