"""Workspace forms: due diligence against each principle, and its decision."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.services import due_diligence_record
from priorities.models import Principle
from tests.workspace_forms.helpers import _client, _messages, _uk

pytestmark = pytest.mark.django_db


def test_due_diligence_against_each_principle_needs_evidence_for_a_met_one(
    manager, world
):
    principles = list(Principle.objects.order_by("order"))
    data = {
        "assessed_on": _uk(timezone.localdate()),
        "child_protection": "in_place",
        "brand_risk": "low",
        f"met_{principles[0].pk}": "on",
    }
    response = _client(manager).post(
        reverse("partners:due_diligence_create", args=[world.organisation.pk]), data
    )
    assert response.status_code == 200
    assert f"evidence_{principles[0].pk}" in response.context["form"].errors
    assert world.organisation.due_diligence.count() == 1


def test_due_diligence_recorded_then_approval_refused_when_a_principle_is_not_met(
    manager, world
):
    principles = list(Principle.objects.order_by("order"))
    data = {
        "assessed_on": _uk(timezone.localdate()),
        "child_protection": "in_place",
        "brand_risk": "low",
    }
    for p in principles[1:]:
        data[f"met_{p.pk}"] = "on"
        data[f"evidence_{p.pk}"] = "Policy seen."
    client = _client(manager)
    response = client.post(
        reverse("partners:due_diligence_create", args=[world.organisation.pk]),
        data,
        follow=True,
    )
    dd = world.organisation.due_diligence.order_by("-pk").first()
    assert dd.outcome == "pending"
    assert dd.principle_assessments.count() == len(principles)
    assert "Due diligence recorded." in _messages(response)

    refused = client.post(
        reverse("partners:due_diligence_decide", args=[dd.pk]),
        {
            "outcome": "approved",
            "expires_on": _uk(timezone.localdate() + dt.timedelta(days=365)),
        },
    )
    assert refused.status_code == 200
    assert principles[0].title in " ".join(refused.context["form"].non_field_errors())
    dd.refresh_from_db()
    assert dd.outcome == "pending"


def test_due_diligence_approved_when_every_principle_is_met(manager, world):
    principles = Principle.objects.all()
    dd = due_diligence_record(
        organisation=world.organisation,
        assessed_on=timezone.localdate(),
        child_protection="in_place",
        brand_risk="low",
        findings={p.pk: (True, "Seen.") for p in principles},
        actor=manager,
    )
    response = _client(manager).post(
        reverse("partners:due_diligence_decide", args=[dd.pk]),
        {"outcome": "approved", "expires_on": "31/12/2099"},
    )
    assert response.status_code == 302
    dd.refresh_from_db()
    assert dd.outcome == "approved"
    assert dd.expires_on == dt.date(2099, 12, 31)
