import pytest
from django.urls import reverse

from ceop_crm.exceptions import ApplicationError
from ceop_crm.models import OutboundEmail
from planning.models import Review, SelfAssessment
from planning.services import self_assessment_save_draft, self_assessment_submit

pytestmark = pytest.mark.django_db

ANSWERS = {
    "progress": "Two joint investigations supported.",
    "benefits_received": "Early access to research.",
    "benefits_given": "Forensic engineers for two days a month.",
    "improvements": "Quicker feedback on referrals.",
}


def _url(world) -> str:
    return reverse("portal:self_assessment", kwargs={"review_pk": world.review.pk})


def test_partner_saves_a_draft_then_submits_and_it_becomes_read_only(
    client, world_a, manager, frozen_today
):
    world_a.organisation.owner = manager
    world_a.organisation.save()
    client.force_login(world_a.user)

    response = client.post(_url(world_a), {"progress": "Half done", "save": "1"})
    assert response.status_code == 302
    assessment = SelfAssessment.objects.get(review=world_a.review)
    assert assessment.status == SelfAssessment.Status.DRAFT
    assert assessment.progress == "Half done"
    assert "Save draft" in client.get(_url(world_a)).content.decode()

    response = client.post(_url(world_a), {**ANSWERS, "submit": "1"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == SelfAssessment.Status.SUBMITTED
    assert assessment.submitted_by == world_a.user
    assert assessment.benefits_given == ANSWERS["benefits_given"]
    assert assessment.history.latest().history_user == world_a.user
    email = OutboundEmail.objects.get(template="self_assessment_submitted")
    assert email.to == [manager.email]
    assert "/notifications/preferences/" in email.body_text

    page = client.get(_url(world_a)).content.decode()
    assert "Submit to CEOP" not in page
    assert ANSWERS["improvements"] in page

    response = client.post(
        _url(world_a), {**ANSWERS, "progress": "Changed", "save": "1"}
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.progress == ANSWERS["progress"]


def test_submitting_with_an_unanswered_question_keeps_the_draft_as_it_was(
    client, world_a, frozen_today
):
    client.force_login(world_a.user)
    client.post(_url(world_a), {"progress": "First draft", "save": "1"})
    answers = {**ANSWERS, "improvements": "  "}
    response = client.post(_url(world_a), {**answers, "submit": "1"})
    assert response.status_code == 200
    assert response.context["form"].errors["improvements"] == [
        "Answer this question before submitting."
    ]
    assessment = SelfAssessment.objects.get(review=world_a.review)
    assert assessment.status == SelfAssessment.Status.DRAFT
    assert assessment.progress == "First draft"


def test_self_assessment_of_a_cancelled_review_is_refused(world_a):
    Review.objects.filter(pk=world_a.review.pk).update(
        status=Review.Status.CANCELLED, cancelled_reason="The association ended."
    )
    with pytest.raises(ApplicationError, match="cancelled"):
        self_assessment_save_draft(review=world_a.review, actor=world_a.user, **ANSWERS)
    assert not SelfAssessment.objects.exists()


def test_a_submitted_self_assessment_cannot_be_submitted_again(world_a):
    self_assessment_submit(review=world_a.review, actor=world_a.user, **ANSWERS)
    with pytest.raises(ApplicationError, match="submitted"):
        self_assessment_submit(review=world_a.review, actor=world_a.user, **ANSWERS)


def test_overlong_answer_is_refused_beside_the_field(client, world_a):
    client.force_login(world_a.user)
    response = client.post(_url(world_a), {"progress": "x" * 5001, "save": "1"})
    assert response.status_code == 200
    assert response.context["form"].errors["progress"]
    assert not SelfAssessment.objects.exists()


def test_self_assessment_list_and_home_show_what_is_due(client, world_a, frozen_today):
    client.force_login(world_a.user)
    page = client.get(reverse("portal:self_assessment_list")).content.decode()
    assert _url(world_a) in page
    home = client.get(reverse("portal:home"))
    assert world_a.review in home.context["home"].self_assessments_due


def test_self_assessment_whose_author_was_deleted_still_shows(
    client, world_a, manager, frozen_today
):
    from tests import factories

    colleague = factories.PortalMembershipFactory(
        organisation=world_a.organisation, user__username="colleague"
    ).user
    self_assessment_submit(review=world_a.review, actor=colleague, **ANSWERS)
    colleague.delete()
    client.force_login(world_a.user)
    response = client.get(_url(world_a))
    assert response.status_code == 200
    page = response.content.decode()
    assert "by your organisation" in page
    assert ANSWERS["progress"] in page
    client.force_login(manager)
    staff_page = client.get(reverse("planning:review_detail", args=[world_a.review.pk]))
    assert staff_page.status_code == 200
    assert ANSWERS["progress"] in staff_page.content.decode()
