"""Workspace forms: conducting a review, triaging a proposal, escalating and
resolving an issue, deleting a contact."""

import pytest
from django.urls import reverse
from django.utils import timezone

from partners import models as pm
from planning import models as plm
from tests import factories
from tests.workspace_forms.helpers import _client, _uk

pytestmark = pytest.mark.django_db


def test_review_conduct_shows_the_self_assessment_and_requires_each_part(
    manager, world
):
    plm.SelfAssessment.objects.create(
        review=world.review, progress="We trained 40 staff.", status="submitted"
    )
    url = reverse("planning:review_conduct", args=[world.review.pk])
    page = _client(manager).get(url)
    assert "We trained 40 staff." in page.content.decode()
    response = _client(manager).post(
        url,
        {
            "progress": "Good progress.",
            "benefits_to_ceop": "",
            "benefits_to_partner": "Access.",
            "recommendation": "stay",
            "completed_on": _uk(timezone.localdate()),
        },
    )
    assert "benefits_to_ceop" in response.context["form"].errors
    assert "Good progress." in response.content.decode()
    world.review.refresh_from_db()
    assert world.review.status == "scheduled"


def test_proposal_accept_becomes_a_contribution(manager, world):
    response = _client(manager).post(
        reverse("partners:proposal_accept", args=[world.proposal.pk]), {}
    )
    world.proposal.refresh_from_db()
    assert world.proposal.status == "accepted"
    assert response["Location"] == reverse(
        "partners:contribution_update", args=[world.proposal.contribution.pk]
    )


def test_proposal_decline_needs_a_reason(manager, world):
    url = reverse("partners:proposal_decline", args=[world.proposal.pk])
    response = _client(manager).post(url, {"decline_reason": "  "})
    assert "decline_reason" in response.context["form"].errors
    world.proposal.refresh_from_db()
    assert world.proposal.status == "submitted"


def test_issue_escalates_one_level_then_resolves(manager, world):
    factories.OwnershipLevelFactory(mou=world.mou, level=2, side="ceop")
    client = _client(manager)
    confirm = client.get(reverse("partners:issue_escalate", args=[world.issue.pk]))
    assert "level 2" in confirm.content.decode()
    client.post(reverse("partners:issue_escalate", args=[world.issue.pk]), {})
    world.issue.refresh_from_db()
    assert world.issue.escalation_level == 2
    missing = client.post(
        reverse("partners:issue_resolve", args=[world.issue.pk]),
        {"resolution": "", "resolved_on": _uk(timezone.localdate())},
    )
    assert "resolution" in missing.context["form"].errors
    client.post(
        reverse("partners:issue_resolve", args=[world.issue.pk]),
        {
            "resolution": "Agreed a data schedule.",
            "resolved_on": _uk(timezone.localdate()),
        },
    )
    world.issue.refresh_from_db()
    assert world.issue.status == "resolved"


def test_issue_at_the_top_of_the_hierarchy_is_not_escalated(manager, world):
    response = _client(manager).post(
        reverse("partners:issue_escalate", args=[world.issue.pk]), {}
    )
    assert response.status_code == 200
    assert "top of the ownership hierarchy" in " ".join(
        response.context["form"].non_field_errors()
    )
    world.issue.refresh_from_db()
    assert world.issue.escalation_level == 1


def test_contact_delete_asks_first_and_deletes_on_post(manager, world):
    url = reverse("partners:contact_delete", args=[world.contact.pk])
    page = _client(manager).get(url)
    assert page.status_code == 200
    assert f"Delete {world.contact.name}?" in page.content.decode()
    assert pm.Contact.objects.filter(pk=world.contact.pk).exists()
    _client(manager).post(url, {})
    assert not pm.Contact.objects.filter(pk=world.contact.pk).exists()
