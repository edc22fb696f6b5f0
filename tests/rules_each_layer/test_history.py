"""History: who decided, and who changed what, recorded on every change."""

import pytest
from django.urls import reverse

from planning import models as plm
from tests import factories
from tests.rules_each_layer.helpers import TODAY, _official_supporter
from tiers import models as tm
from tiers.services import tier_change_approve, tier_change_request

pytestmark = pytest.mark.django_db


def _requested_move(manager) -> tm.TierChange:
    organisation = _official_supporter(manager)
    partner = factories.tier("partner")
    factories.MoUFactory(organisation=organisation)
    return tier_change_request(
        organisation=organisation,
        to_tier=partner,
        effective_date=TODAY,
        reason="Delivers a Centre Plan objective.",
        evidence={c.pk: "Shown in the review." for c in partner.characteristics.all()},
        actor=manager,
    )


def test_the_approver_is_recorded_on_a_tier_decision(manager, senior_manager):
    change = _requested_move(manager)

    tier_change_approve(tier_change=change, actor=senior_manager)

    change.refresh_from_db()
    assert change.decided_by == senior_manager
    assert change.history.latest().history_user == senior_manager
    resulting = change.resulting_association
    assert resulting.history.earliest().history_user == senior_manager


def test_the_reviews_the_scheduler_creates_have_history(manager):
    organisation = _official_supporter(manager)

    reviews = plm.Review.objects.filter(organisation=organisation)
    assert reviews.exists()
    for review in reviews:
        assert review.history.filter(history_type="+").exists()


def test_a_web_request_records_its_user_on_what_it_changes_by_the_middleware(
    client, manager, senior_manager
):
    change = _requested_move(manager)
    client.force_login(senior_manager)

    response = client.post(
        reverse("tiers:tier_change_approve", args=[change.pk]),
        {"decision_reason": "Agreed."},
    )

    assert response.status_code == 302
    # The rescheduled reviews are written in bulk by the scheduler, which is
    # given no actor: their history user comes from the request.
    created = plm.Review.history.filter(
        organisation_id=change.organisation_id,
        association_id=change.organisation.associations.get(end__isnull=True).pk,
        history_type="+",
    )
    assert created.exists()
    assert set(created.values_list("history_user", flat=True)) == {senior_manager.pk}
