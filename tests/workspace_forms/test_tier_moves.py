"""Workspace forms: tier moves (request, evidence, decision, ending), and what a
supplier is never given."""

import pytest
from django.urls import reverse
from django.utils import timezone

from planning import models as plm
from tests import factories
from tests.workspace_forms.helpers import _client, _messages, _uk
from tests.workspace_world import build_world
from tiers import models as tm

pytestmark = pytest.mark.django_db


def test_tier_move_form_lists_every_characteristic_with_its_check(
    manager, partner_without_move
):
    strategic = factories.tier("strategic-partner")
    response = _client(manager).get(
        reverse(
            "tiers:tier_change_create", args=[partner_without_move.organisation.pk]
        ),
        {"to": "strategic-partner"},
    )
    html = response.content.decode()
    for characteristic in strategic.characteristics.all():
        assert characteristic.text in html
    assert "MoU in force: <strong" in html
    assert ">yes</strong>" in html
    assert "A signed MoU is in force: yes" in html
    assert len(response.context["rows"]) == strategic.characteristics.count()


def test_tier_move_without_evidence_is_refused_and_keeps_the_reason(
    manager, partner_without_move
):
    org = partner_without_move.organisation
    response = _client(manager).post(
        reverse("tiers:tier_change_create", args=[org.pk]) + "?to=strategic-partner",
        {
            "to": "strategic-partner",
            "effective_date": _uk(timezone.localdate()),
            "reason": "Kept reason text",
        },
    )
    assert response.status_code == 200
    assert "Give evidence" in " ".join(response.context["form"].non_field_errors())
    assert "Kept reason text" in response.content.decode()
    assert not tm.TierChange.objects.filter(organisation=org, status="pending").exists()


def test_tier_move_requested_then_approved_by_another_senior_manager(
    manager, senior_manager, partner_without_move
):
    org = partner_without_move.organisation
    strategic = factories.tier("strategic-partner")
    data = {
        "to": "strategic-partner",
        "effective_date": _uk(timezone.localdate()),
        "reason": "Ready for more.",
    }
    for c in strategic.characteristics.all():
        data[f"evidence_{c.pk}"] = f"Evidence {c.order}"
    response = _client(manager).post(
        reverse("tiers:tier_change_create", args=[org.pk]), data
    )
    change = tm.TierChange.objects.get(organisation=org, status="pending")
    assert response["Location"] == reverse("tiers:tier_change_detail", args=[change.pk])
    assert change.evidence.count() == strategic.characteristics.count()

    approved = _client(senior_manager).post(
        reverse("tiers:tier_change_approve", args=[change.pk]),
        {"decision_reason": "Agreed at the board."},
        follow=True,
    )
    assert any("Move approved" in m for m in _messages(approved))
    current = tm.Association.objects.get(organisation=org, end__isnull=True)
    assert current.tier == strategic
    dashboard = _client(manager).get("/")
    recent = dashboard.context["recent_moves"][0]
    assert recent.organisation == org
    assert recent.tier == strategic
    assert org.name in dashboard.content.decode()


def test_senior_manager_cannot_approve_their_own_request(senior_manager):
    world = build_world(owner=senior_manager, name="Selfdecide Ltd")
    response = _client(senior_manager).post(
        reverse("tiers:tier_change_approve", args=[world.tier_change.pk]), {}
    )
    assert response.status_code == 200
    assert "other than the one who asked" in " ".join(
        response.context["form"].non_field_errors()
    )
    world.tier_change.refresh_from_db()
    assert world.tier_change.status == "pending"


def test_reject_needs_a_reason(senior_manager, world):
    url = reverse("tiers:tier_change_reject", args=[world.tier_change.pk])
    response = _client(senior_manager).post(url, {"decision_reason": ""})
    assert "decision_reason" in response.context["form"].errors
    _client(senior_manager).post(url, {"decision_reason": "Not yet."})
    world.tier_change.refresh_from_db()
    assert world.tier_change.status == "rejected"


def test_benefit_for_a_supplier_is_refused(manager):
    supplier = factories.AssociationFactory(
        tier=factories.tier("supplier"),
        organisation=factories.OrganisationFactory(owner=manager),
    ).organisation
    benefit = tm.Benefit.objects.filter(tier__code="official-supporter").first()
    response = _client(manager).post(
        reverse("tiers:benefit_delivery_create", args=[supplier.pk]),
        {"benefit": benefit.pk, "delivered_on": _uk(timezone.localdate())},
    )
    assert response.status_code == 200
    assert "receives no benefits" in str(response.context["form"].errors)
    assert not tm.BenefitDelivery.objects.filter(organisation=supplier).exists()


def test_ending_an_association_cancels_the_reviews_still_to_come(
    manager, senior_manager, partner_without_move
):
    org = partner_without_move.organisation
    page = _client(manager).get(
        reverse("tiers:tier_change_create", args=[org.pk]), {"to": "end"}
    )
    assert "cancels the reviews still to come" in page.content.decode()
    _client(manager).post(
        reverse("tiers:tier_change_create", args=[org.pk]),
        {
            "to": "end",
            "effective_date": _uk(timezone.localdate()),
            "reason": "Closing.",
        },
    )
    change = tm.TierChange.objects.get(organisation=org, status="pending")
    assert change.direction == "end"
    _client(senior_manager).post(
        reverse("tiers:tier_change_approve", args=[change.pk]), {}
    )
    org.refresh_from_db()
    assert org.status == "ended"
    assert not tm.Association.objects.filter(organisation=org, end__isnull=True)
    assert not plm.Review.objects.filter(
        organisation=org, status="scheduled", due_on__gt=timezone.localdate()
    ).exists()


def test_a_supplier_is_never_given_association_wording(
    manager, senior_manager, django_capture_on_commit_callbacks
):
    org = factories.OrganisationFactory(name="Paid In Full Ltd", owner=manager)
    _client(manager).post(
        reverse("tiers:tier_change_create", args=[org.pk]),
        {
            "to": "supplier",
            "effective_date": _uk(timezone.localdate()),
            "reason": "Contract for training rooms.",
        },
    )
    change = tm.TierChange.objects.get(organisation=org)
    pages = [
        reverse("tiers:tier_change_detail", args=[change.pk]),
        reverse("partners:organisation_detail", args=[org.pk]),
        reverse("tiers:tier_change_list"),
        "/",
    ]
    for url in pages:
        html = _client(senior_manager).get(url, {"scope": "all"}).content.decode()
        assert "Recorded as Supplier/Contractor" in html or url.startswith("/tier")
        assert "New association as Supplier" not in html
        assert "New association to Supplier" not in html
    # Committed, as in use: the pages read above are read afresh.
    with django_capture_on_commit_callbacks(execute=True):
        _client(senior_manager).post(
            reverse("tiers:tier_change_approve", args=[change.pk]), {}
        )
    html = (
        _client(manager)
        .get(reverse("partners:organisation_detail", args=[org.pk]))
        .content.decode()
    )
    assert "Supplier/Contractor (not an association)" in html
    assert reverse("tiers:benefit_delivery_create", args=[org.pk]) not in html
