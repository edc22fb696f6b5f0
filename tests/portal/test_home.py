import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from planning.models import SelfAssessment
from tests import factories
from tiers.models import Benefit, BenefitDelivery, KeyCharacteristic

pytestmark = pytest.mark.django_db


def test_home_shows_tier_characteristics_met_benefits_mou_and_reviews(
    client, world_a, frozen_today
):
    client.force_login(world_a.user)
    response = client.get(reverse("portal:home"))
    home = response.context["home"]
    page = response.content.decode()
    tier = world_a.organisation.associations.get().tier
    assert home.association.tier == tier
    assert tier.definition in page
    texts = [c.text for c, _ in home.characteristics]
    assert texts == list(
        KeyCharacteristic.objects.filter(tier=tier).values_list("text", flat=True)
    )
    met = {c.automatic_check: result for c, result in home.characteristics}
    assert met["mou_in_force"] is True  # the signed MoU around TODAY
    assert "Not yet met" in page or "Judged at review" in page
    assert [row.benefit.text for row in home.benefits] == list(
        Benefit.objects.filter(tier=tier).values_list("text", flat=True)
    )
    assert home.benefits[0].deliveries  # the delivery of the fixture
    assert "Alpha Systems benefit delivered" in page
    assert home.mou == world_a.mou
    assert reverse("portal:mou_document", kwargs={"mou_pk": world_a.mou.pk}) in page
    assert world_a.review in home.next_reviews
    assert world_a.review.due_on.strftime("%-d %b %Y") in page


def test_signed_mou_downloads_through_the_portal_not_a_media_url(client, world_a):
    client.force_login(world_a.user)
    response = client.get(
        reverse("portal:mou_document", kwargs={"mou_pk": world_a.mou.pk})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    home = client.get(reverse("portal:home")).content.decode()
    assert "/media/" not in home


def test_submitted_self_assessment_leaves_the_open_actions(
    client, world_a, frozen_today
):
    SelfAssessment.objects.create(
        review=world_a.review, status=SelfAssessment.Status.SUBMITTED
    )
    client.force_login(world_a.user)
    home = client.get(reverse("portal:home")).context["home"]
    assert world_a.review not in home.self_assessments_due


def _grow(world, n: int) -> None:
    association = world.organisation.associations.get()
    benefit = Benefit.objects.filter(tier=association.tier).first()
    BenefitDelivery.objects.bulk_create(
        BenefitDelivery(
            organisation=world.organisation,
            association=association,
            benefit=benefit,
            delivered_on=factories.TODAY - dt.timedelta(days=i),
        )
        for i in range(n)
    )
    for i in range(n // 5):
        mou = factories.MoUFactory(
            organisation=world.organisation,
            status="draft",
            signed_on=None,
            start=None,
            end=None,
            title=f"Draft {i}",
        )
        mou.document.save("draft.pdf", ContentFile(b"%PDF"), save=True)
    for _ in range(n):
        factories.ProposalFactory(organisation=world.organisation)
        factories.ContributionFactory(organisation=world.organisation)


@pytest.mark.parametrize("size", [2, 40])
@pytest.mark.parametrize(
    ("url_name", "budget"),
    [
        ("portal:home", 19),
        # The contributions' other organisations (joint support): one more.
        ("portal:support", 14),
        ("portal:self_assessment_list", 10),
        ("portal:organisation", 8),
        ("portal:brand", 9),
        ("portal:notifications", 9),
    ],
)
def test_portal_pages_query_budget_does_not_grow(
    client, world_a, frozen_today, django_assert_max_num_queries, size, url_name, budget
):
    _grow(world_a, size)
    client.force_login(world_a.user)
    with django_assert_max_num_queries(budget):
        response = client.get(reverse(url_name))
    assert response.status_code == 200


def test_next_reviews_and_self_assessments_due_from_the_scheduled_reviews(
    world_a, frozen_today
):
    """The next four scheduled reviews by due date; open to self-assessment,
    those due within the lead (overdue ones too) not yet submitted. Neither
    list holds a review that is no longer scheduled."""
    from partners.portal.selectors import (
        SELF_ASSESSMENT_LEAD,
        portal_home,
        portal_scope,
    )
    from planning.models import Milestone, Review

    organisation = world_a.organisation
    association = organisation.associations.get()
    # One review per milestone: any seven of the planning years'.
    milestones = iter(Milestone.objects.order_by("pk")[:7])
    Review.objects.filter(organisation=organisation).delete()
    today = frozen_today
    days = [-30, 10, 40, SELF_ASSESSMENT_LEAD.days, SELF_ASSESSMENT_LEAD.days + 1, 200]
    made = {
        d: Review.objects.create(
            organisation=organisation,
            association=association,
            milestone=next(milestones),
            due_on=today + dt.timedelta(days=d),
        )
        for d in days
    }
    SelfAssessment.objects.create(
        review=made[40], status=SelfAssessment.Status.SUBMITTED
    )
    SelfAssessment.objects.create(review=made[10], status=SelfAssessment.Status.DRAFT)
    done = Review.objects.create(
        organisation=organisation,
        association=association,
        milestone=next(milestones),
        due_on=today - dt.timedelta(days=60),
        status=Review.Status.COMPLETED,
        completed_on=today - dt.timedelta(days=50),
    )

    home = portal_home(scope=portal_scope(user=world_a.user), today=today)

    assert home.next_reviews == [made[d] for d in days[:4]]
    assert home.self_assessments_due == [
        made[-30],
        made[10],
        made[SELF_ASSESSMENT_LEAD.days],
    ]
    assert done not in home.next_reviews + home.self_assessments_due
