"""A partner user signs in to the portal, submits a self-assessment and proposes
support; the relationship manager then sees both in the workspace.

Every step goes through the pages as a person would: labels, buttons and links
found by their accessible names.
"""

import pytest

from partners.models import Proposal
from planning.models import SelfAssessment
from tests.browser.conftest import BROWSER_DB, PASSWORD, sign_in
from tests.portal.conftest import make_partner_world

pytestmark = [pytest.mark.browser, BROWSER_DB]

ANSWERS = {
    "Progress": "We supported two joint investigations this quarter.",
    "Benefits your organisation received": "Early access to CEOP research.",
    "Benefits your organisation gave CEOP": "Forensic engineers two days a month.",
    "What could be better": "Quicker feedback on our referrals.",
}


def test_partner_submits_self_assessment_and_proposes_support_manager_sees_both(
    page, new_page, page_problems, shot, manager
):
    world = make_partner_world("Juniper Safety Ltd")
    world.organisation.owner = manager
    world.organisation.save()

    # The partner signs in on the portal's own sign-in page.
    page.goto("/portal/sign-in/")
    page.get_by_label("Username").fill(world.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Juniper Safety Ltd").wait_for()
    page.get_by_role("heading", name="Open actions").wait_for()
    shot(page, "home")

    # Self-assessment: a draft first, then the submission.
    page.get_by_role("link", name="Start").first.click()
    page.get_by_label("Progress").fill("A first thought.")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Your draft is saved").wait_for()
    for label, answer in ANSWERS.items():
        page.get_by_label(label).fill(answer)
    page.get_by_role("button", name="Submit to CEOP").click()
    page.get_by_text("Your self-assessment has been submitted").wait_for()
    assert page.get_by_role("button", name="Submit to CEOP").count() == 0
    shot(page, "self-assessment-submitted")

    # Support: propose against a priority area.
    page.get_by_role("link", name="Support", exact=True).click()
    page.get_by_role("link", name="Propose support").first.click()
    page.get_by_label("A short title for your offer").fill("Hash set engineering")
    page.get_by_label("Kind of support").select_option(label="Technical capability")
    page.get_by_label("What you offer").fill("Two engineers for six months.")
    page.get_by_label(
        "2. Help enhance the development and delivery of a national hash set database"
    ).check()
    page.get_by_role("button", name="Send to CEOP").click()
    page.get_by_text("Awaiting triage").first.wait_for()
    shot(page, "proposal-sent")

    assessment = SelfAssessment.objects.get(review__organisation=world.organisation)
    assert assessment.status == SelfAssessment.Status.SUBMITTED
    proposal = Proposal.objects.get(title="Hash set engineering")
    assert proposal.source == Proposal.Source.PORTAL

    # The relationship manager sees both in the workspace.
    staff = new_page()
    sign_in(staff, manager.username)
    staff.goto(f"/reviews/{assessment.review_id}/")
    staff.get_by_text(ANSWERS["Progress"]).wait_for()
    staff.get_by_text("Submitted").first.wait_for()
    shot(staff, "manager-review")
    staff.goto("/proposals/")
    staff.get_by_role("link", name="Hash set engineering").wait_for()
    shot(staff, "manager-proposals")

    assert not page_problems, page_problems
