"""No path around the services: rows the services change are read-only in
admin, with a link to the workspace action, and every write is refused."""

import re

import pytest
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from partners import models as pm
from planning import models as plm
from tests import factories
from tests.admin_helpers import add_inline_row, admin_form_data
from tests.admin_site.objects import (
    WORKSPACE_ONLY,
    add_post,
    admin_urls,
    change_post,
    make,
    make_review,
    make_tier_change,
)
from tiers import models as tm

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", WORKSPACE_ONLY, ids=lambda model: model._meta.label)
def test_workspace_only_models_link_to_the_workspace_action(admin_client, model):
    obj = make(model)
    response = admin_client.get(admin_urls(model, obj)["change"])

    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    links = re.findall(r'href="([^"]+)"', response.content.decode())
    actions = {
        match.view_name
        for match in (resolve_or_none(link) for link in links)
        if match is not None
    }
    assert WORKSPACE_ONLY[model] in actions


def resolve_or_none(path: str):
    try:
        return resolve(path)
    except Resolver404:
        return None


@pytest.mark.parametrize("model", WORKSPACE_ONLY, ids=lambda model: model._meta.label)
def test_workspace_only_models_refuse_every_write_in_admin(admin_client, model):
    obj = make(model)
    urls = admin_urls(model, obj)
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    before = model.objects.count()

    assert admin_client.post(urls["add"], {}).status_code == 403
    assert admin_client.post(urls["change"], {}).status_code == 403
    delete = reverse(f"{info}_delete", args=[obj.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert model.objects.count() == before


def test_admin_cannot_move_an_association_to_another_level(admin_client):
    # Official Supporter to Strategic Partner with no tier move, evidence or
    # second approver: the gap this closes.
    association = factories.AssociationFactory(
        tier=factories.tier("official-supporter")
    )
    response = change_post(
        admin_client, association, tier=factories.tier("strategic-partner").pk
    )

    assert response.status_code == 403
    association.refresh_from_db()
    assert association.tier.code == "official-supporter"


def test_admin_cannot_add_an_association(admin_client):
    due_diligence = factories.DueDiligenceFactory()
    response = add_post(
        admin_client,
        tm.Association,
        organisation=due_diligence.organisation.pk,
        tier=factories.tier("strategic-partner").pk,
        start=timezone.localdate().isoformat(),
    )

    assert response.status_code == 403
    assert not tm.Association.objects.exists()


def test_admin_cannot_add_an_association_through_the_organisation(admin_client):
    due_diligence = factories.DueDiligenceFactory()
    organisation = due_diligence.organisation
    url = reverse("admin:partners_organisation_change", args=[organisation.pk])
    response = admin_client.get(url)
    (inline,) = [
        inline
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is tm.Association
    ]
    assert not inline.has_add_permission
    data = admin_form_data(response)
    add_inline_row(
        data,
        "associations",
        organisation=organisation.pk,
        tier=factories.tier("strategic-partner").pk,
        start=timezone.localdate(),
    )

    admin_client.post(url, data)

    assert not tm.Association.objects.exists()


def test_admin_cannot_approve_a_tier_move(admin_client):
    change = make_tier_change()
    response = change_post(admin_client, change, status=tm.TierChange.Status.APPROVED)

    assert response.status_code == 403
    change.refresh_from_db()
    assert change.status == tm.TierChange.Status.PENDING


def test_admin_cannot_sign_an_mou(admin_client):
    mou = factories.MoUFactory(status=pm.MoU.Status.DRAFT)
    response = change_post(
        admin_client,
        mou,
        status=pm.MoU.Status.SIGNED,
        signed_on="2026-04-01",
        start="2026-04-01",
        end="2029-03-31",
    )

    assert response.status_code == 403
    mou.refresh_from_db()
    assert mou.status == pm.MoU.Status.DRAFT


def test_admin_cannot_approve_due_diligence(admin_client):
    due_diligence = factories.DueDiligenceFactory(
        outcome=pm.DueDiligence.Outcome.PENDING, expires_on=None
    )
    response = change_post(
        admin_client,
        due_diligence,
        outcome=pm.DueDiligence.Outcome.APPROVED,
        expires_on="2027-04-01",
    )

    assert response.status_code == 403
    due_diligence.refresh_from_db()
    assert due_diligence.outcome == pm.DueDiligence.Outcome.PENDING


def test_admin_cannot_complete_a_review(admin_client):
    review = make_review()
    response = change_post(admin_client, review, status=plm.Review.Status.COMPLETED)

    assert response.status_code == 403
    review.refresh_from_db()
    assert review.status == plm.Review.Status.SCHEDULED


def test_admin_cannot_record_a_benefit_delivery(admin_client):
    association = factories.AssociationFactory(tier=factories.tier("supplier"))
    response = add_post(
        admin_client,
        tm.BenefitDelivery,
        organisation=association.organisation.pk,
        benefit=factories.tier("official-supporter").benefits.first().pk,
        delivered_on=timezone.localdate().isoformat(),
    )

    assert response.status_code == 403
    assert not tm.BenefitDelivery.objects.exists()


def test_admin_cannot_complete_a_contribution_without_outcomes(admin_client):
    contribution = factories.ContributionFactory()
    response = change_post(
        admin_client, contribution, status=pm.Contribution.Status.COMPLETED
    )

    assert response.status_code == 403
    contribution.refresh_from_db()
    assert contribution.status != pm.Contribution.Status.COMPLETED


def test_admin_cannot_set_an_organisations_status(admin_client):
    organisation = factories.OrganisationFactory()
    response = change_post(
        admin_client, organisation, status=pm.Organisation.Status.ACTIVE
    )

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.status == pm.Organisation.Status.PROSPECT
