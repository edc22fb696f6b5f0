"""Writes go through the services: every rule answers 400 with field errors."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.models import Contact, Contribution, MoU, Organisation, Proposal
from planning.models import Review
from tests import factories
from tests.api.conftest import token_client
from tiers.models import Association, TierChange

pytestmark = pytest.mark.django_db

TODAY = factories.TODAY
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def url(name: str, **kwargs) -> str:
    return reverse(f"api:v1:{name}", kwargs=kwargs)


# --- Organisations ------------------------------------------------------------


def test_manager_creates_an_organisation_recorded_in_its_history(manager):
    response = token_client(manager).post(
        url("organisation-list"),
        {"name": "Safer Apps Ltd", "sector": "industry", "owner": manager.pk},
    )
    assert response.status_code == 201, response.content
    organisation = Organisation.objects.get(pk=response.json()["id"])
    assert organisation.owner == manager
    assert organisation.history.get().history_user == manager


def test_organisation_with_a_taken_name_is_refused_beside_the_name(manager):
    factories.OrganisationFactory(name="Taken")
    response = token_client(manager).post(
        url("organisation-list"), {"name": "Taken", "sector": "industry"}
    )
    assert response.status_code == 400
    assert "name" in response.json()


def test_organisation_deputy_cannot_be_the_owner(manager):
    organisation = factories.OrganisationFactory(owner=manager)
    response = token_client(manager).patch(
        url("organisation-detail", pk=organisation.pk), {"deputy": manager.pk}
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["The deputy cannot be the owner."]}
    organisation.refresh_from_db()
    assert organisation.deputy is None


def test_organisation_list_filters_by_current_tier_and_searches_by_name(analyst):
    factories.AssociationFactory(
        organisation=factories.OrganisationFactory(name="Alpha Trust"),
        tier=factories.tier("official-supporter"),
    )
    factories.OrganisationFactory(name="Beta Group")
    client = token_client(analyst)
    by_tier = client.get(url("organisation-list"), {"tier": "official-supporter"})
    assert [o["name"] for o in by_tier.json()["results"]] == ["Alpha Trust"]
    assert by_tier.json()["results"][0]["current_tier"] == "official-supporter"
    by_name = client.get(url("organisation-list"), {"search": "beta"})
    assert [o["name"] for o in by_name.json()["results"]] == ["Beta Group"]


def test_an_unknown_filter_value_is_a_400_not_a_500(analyst):
    response = token_client(analyst).get(url("organisation-list"), {"sector": "nope"})
    assert response.status_code == 400
    assert "sector" in response.json()


def test_page_size_is_capped_at_200(analyst):
    factories.OrganisationFactory.create_batch(205)
    response = token_client(analyst).get(url("organisation-list"), {"page_size": 1000})
    assert response.json()["count"] == 205
    assert len(response.json()["results"]) == 200


# --- Tier moves ---------------------------------------------------------------


@pytest.fixture
def supporter(db, manager):
    """An Official Supporter with due diligence and a signed MoU, ready to move up."""
    organisation = factories.OrganisationFactory(owner=manager)
    factories.DueDiligenceFactory(organisation=organisation)
    mou = factories.MoUFactory(organisation=organisation)
    factories.OwnershipLevelFactory(mou=mou, side="ceop")
    factories.OwnershipLevelFactory(mou=mou, side="partner")
    factories.AssociationFactory(
        organisation=organisation,
        tier=factories.tier("official-supporter"),
        start=TODAY - dt.timedelta(days=100),
    )
    return organisation


def _move_up(client, organisation, evidence=True):
    partner = factories.tier("partner")
    return client.post(
        url("tier-move-list"),
        {
            "organisation": organisation.pk,
            "to_tier": partner.pk,
            "effective_date": str(TODAY),
            "reason": "Agreed quarterly support.",
            "evidence": [
                {"characteristic": c.pk, "evidence": "Shown in the MoU."}
                for c in partner.characteristics.all()
            ]
            if evidence
            else [],
        },
    )


def test_tier_move_needs_evidence_for_each_characteristic_not_met_automatically(
    manager, supporter
):
    response = _move_up(token_client(manager), supporter, evidence=False)
    assert response.status_code == 400
    assert "evidence" in response.json()
    assert not TierChange.objects.filter(organisation=supporter).exists()


def test_tier_move_requested_by_a_manager_is_approved_by_a_senior_manager(
    manager, senior_manager, supporter
):
    requested = _move_up(token_client(manager), supporter)
    assert requested.status_code == 201, requested.content
    assert requested.json()["status"] == "pending"
    partner = factories.tier("partner")
    assert len(requested.json()["evidence"]) == partner.characteristics.count()

    approved = token_client(senior_manager).post(
        url("tier-move-approve", pk=requested.json()["id"]),
        {"decision_reason": "Evidence is convincing."},
    )
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved"
    current = Association.objects.get(organisation=supporter, end__isnull=True)
    assert current.tier.code == "partner"
    assert approved.json()["resulting_association"] == current.pk


def test_senior_manager_cannot_approve_their_own_tier_move(senior_manager, supporter):
    client = token_client(senior_manager)
    requested = _move_up(client, supporter)
    response = client.post(url("tier-move-approve", pk=requested.json()["id"]), {})
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert TierChange.objects.get().status == TierChange.Status.PENDING


def test_manager_cannot_approve_a_tier_move(manager, supporter):
    requested = _move_up(token_client(manager), supporter)
    response = token_client(manager).post(
        url("tier-move-approve", pk=requested.json()["id"]), {}
    )
    assert response.status_code == 403


def test_rejecting_a_tier_move_needs_a_reason(manager, senior_manager, supporter):
    requested = _move_up(token_client(manager), supporter)
    client = token_client(senior_manager)
    move_url = url("tier-move-reject", pk=requested.json()["id"])
    assert client.post(move_url, {"decision_reason": " "}).json() == {
        "decision_reason": ["Say why the move is rejected."]
    }
    response = client.post(move_url, {"decision_reason": "Not yet."})
    assert response.json()["status"] == "rejected"


# --- MoUs ---------------------------------------------------------------------


def test_manager_uploads_the_signed_pdf_with_a_new_mou(manager):
    organisation = factories.OrganisationFactory(owner=manager)
    response = token_client(manager).post(
        url("mou-list"),
        {
            "organisation": organisation.pk,
            "title": "MoU 2026",
            "document": SimpleUploadedFile("mou.pdf", PDF, "application/pdf"),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    mou = MoU.objects.get(pk=response.json()["id"])
    assert mou.document.read() == PDF
    # The link is the workspace's scoped download, never a media URL.
    assert response.json()["document"] == (f"http://testserver/mous/{mou.pk}/document/")


def test_a_document_that_is_not_a_pdf_is_refused(manager):
    mou = factories.MoUFactory(
        status=MoU.Status.DRAFT, signed_on=None, organisation__owner=manager
    )
    response = token_client(manager).patch(
        url("mou-detail", pk=mou.pk),
        {"document": SimpleUploadedFile("mou.pdf", b"MZ\x90\x00", "application/pdf")},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json() == {"document": ["This file is not a PDF."]}


def test_signing_an_mou_that_ends_before_it_starts_is_refused_beside_the_end(manager):
    mou = factories.MoUFactory(
        status=MoU.Status.DRAFT,
        signed_on=None,
        start=None,
        end=None,
        organisation__owner=manager,
    )
    response = token_client(manager).post(
        url("mou-sign", pk=mou.pk),
        {"signed_on": str(TODAY), "start": str(TODAY), "end": "2026-01-01"},
    )
    assert response.status_code == 400
    assert response.json()["end"] == ["The MoU cannot end before it starts."]
    mou.refresh_from_db()
    assert mou.status == MoU.Status.DRAFT


# --- Reviews, benefits, contributions -----------------------------------------


def test_review_complete_needs_the_assessment_and_then_records_it(manager, world):
    review = world.own.objects["review"]
    client = token_client(manager)
    refused = client.post(
        url("review-complete", pk=review.pk),
        {
            "progress": "",
            "benefits_to_ceop": "",
            "benefits_to_partner": "x",
            "recommendation": "stay",
        },
    )
    assert refused.status_code == 400
    assert set(refused.json()) == {"progress", "benefits_to_ceop"}
    done = client.post(
        url("review-complete", pk=review.pk),
        {
            "progress": "On track.",
            "benefits_to_ceop": "Data.",
            "benefits_to_partner": "Recognition.",
            "recommendation": "stay",
            "completed_on": str(TODAY),
        },
    )
    assert done.status_code == 200, done.content
    review.refresh_from_db()
    assert review.status == Review.Status.COMPLETED
    assert review.conducted_by == manager


def test_no_benefit_is_recorded_for_a_supplier(manager):
    association = factories.AssociationFactory(
        tier=factories.tier("supplier"), organisation__owner=manager
    )
    benefit = factories.tier("official-supporter").benefits.first()
    response = token_client(manager).post(
        url("benefit-delivery-list"),
        {
            "organisation": association.organisation_id,
            "benefit": benefit.pk,
            "delivered_on": str(TODAY - dt.timedelta(days=1)),
        },
    )
    assert response.status_code == 400
    assert "receives no benefits" in response.json()["benefit"][0]


def test_benefit_within_the_tier_is_recorded(manager):
    association = factories.AssociationFactory(
        tier=factories.tier("official-supporter"), organisation__owner=manager
    )
    benefit = association.tier.benefits.first()
    response = token_client(manager).post(
        url("benefit-delivery-list"),
        {
            "organisation": association.organisation_id,
            "benefit": benefit.pk,
            "delivered_on": str(TODAY - dt.timedelta(days=1)),
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["association"] == association.pk


def test_completed_contribution_needs_its_outcomes(manager):
    organisation = factories.OrganisationFactory(owner=manager)
    response = token_client(manager).post(
        url("contribution-list"),
        {
            "organisation": organisation.pk,
            "kind": "training",
            "title": "Training days",
            "status": "completed",
        },
    )
    assert response.status_code == 400
    assert response.json() == {
        "outcomes": ["Record the outcomes of completed support."]
    }
    assert not Contribution.objects.exists()


# --- Proposals and contacts by partner users ----------------------------------


def test_partner_user_proposes_support_for_their_own_organisation(partner_user, world):
    from priorities.models import PriorityArea

    area = PriorityArea.objects.first()
    response = token_client(partner_user).post(
        url("proposal-list"),
        {
            "organisation": world.own.organisation.pk,
            "title": "Moderation insight",
            "offer": "Quarterly trend reports.",
            "priority_areas": [area.pk],
        },
    )
    assert response.status_code == 201, response.content
    proposal = Proposal.objects.get(pk=response.json()["id"])
    assert proposal.source == Proposal.Source.PORTAL
    assert proposal.submitted_by == partner_user


def test_partner_user_cannot_propose_for_another_organisation(partner_user, world):
    response = token_client(partner_user).post(
        url("proposal-list"),
        {
            "organisation": world.other.organisation.pk,
            "title": "Sneaky",
            "offer": "Nothing",
            "new_threat": "Something",
        },
    )
    assert response.status_code == 400
    assert "organisation" in response.json()
    assert not Proposal.objects.filter(title="Sneaky").exists()


def test_proposal_must_serve_a_priority_area_or_a_threat(manager):
    organisation = factories.OrganisationFactory(owner=manager)
    response = token_client(manager).post(
        url("proposal-list"),
        {"organisation": organisation.pk, "title": "Vague", "offer": "Help"},
    )
    assert response.status_code == 400
    assert "priority_areas" in response.json()


def test_accepting_a_proposal_makes_an_agreed_contribution(manager, world):
    proposal = world.own.objects["proposal"]
    response = token_client(manager).post(url("proposal-accept", pk=proposal.pk))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    contribution = Contribution.objects.get(pk=response.json()["contribution"])
    assert contribution.status == Contribution.Status.AGREED


def test_partner_user_keeps_their_contacts_up_to_date_but_not_others(
    partner_user, world
):
    client = token_client(partner_user)
    own = world.own.objects["contact"]
    response = client.patch(url("contact-detail", pk=own.pk), {"job_title": "CTO"})
    assert response.status_code == 200
    own.refresh_from_db()
    assert own.job_title == "CTO"
    other = world.other.objects["contact"]
    assert (
        client.patch(url("contact-detail", pk=other.pk), {"job_title": "X"}).status_code
        == 404
    )
    assert client.delete(url("contact-detail", pk=other.pk)).status_code == 404
    assert Contact.objects.filter(pk=other.pk, job_title="").exists()


def test_making_a_contact_primary_demotes_the_previous_one(manager):
    organisation = factories.OrganisationFactory(owner=manager)
    first = factories.ContactFactory(organisation=organisation, is_primary=True)
    response = token_client(manager).post(
        url("contact-list"),
        {"organisation": organisation.pk, "name": "New Lead", "is_primary": True},
    )
    assert response.status_code == 201
    first.refresh_from_db()
    assert first.is_primary is False


def test_partner_user_cannot_raise_relationship_issues_or_see_tier_moves(
    partner_user, world
):
    client = token_client(partner_user)
    assert client.get(url("relationship-issue-list")).status_code == 403
    assert client.get(url("tier-move-list")).status_code == 403


# --- Relationship issues ------------------------------------------------------


def test_issue_is_raised_escalated_and_resolved(manager):
    organisation = factories.OrganisationFactory(owner=manager)
    client = token_client(manager)
    raised = client.post(
        url("relationship-issue-list"),
        {"organisation": organisation.pk, "title": "Late data"},
    )
    assert raised.status_code == 201
    assert raised.json()["owner"] == manager.pk
    pk = raised.json()["id"]
    assert (
        client.post(url("relationship-issue-escalate", pk=pk)).json()[
            "escalation_level"
        ]
        == 2
    )
    refused = client.post(url("relationship-issue-resolve", pk=pk), {"resolution": ""})
    assert refused.json() == {"resolution": ["Describe how the issue was resolved."]}
    resolved = client.post(
        url("relationship-issue-resolve", pk=pk), {"resolution": "Agreed a schedule."}
    )
    assert resolved.json()["status"] == "resolved"


def test_issue_cannot_be_raised_in_the_future(manager):
    organisation = factories.OrganisationFactory(owner=manager)
    response = token_client(manager).post(
        url("relationship-issue-list"),
        {"organisation": organisation.pk, "title": "Soon", "raised_on": "2099-01-01"},
    )
    assert response.status_code == 400
    assert "raised_on" in response.json()


def test_approving_an_end_whose_association_already_ended_is_a_400(
    manager, senior_manager, supporter
):
    association = supporter.associations.get()
    requested = token_client(manager).post(
        url("tier-move-list"),
        {
            "organisation": supporter.pk,
            "to_tier": None,
            "effective_date": str(TODAY),
            "reason": "The partnership closes.",
        },
    )
    assert requested.status_code == 201, requested.content
    Association.objects.filter(pk=association.pk).update(end=TODAY, end_reason="Admin")
    response = token_client(senior_manager).post(
        url("tier-move-approve", pk=requested.json()["id"]), {}
    )
    assert response.status_code == 400
    assert "changed since" in response.json()["non_field_errors"][0]


def test_contribution_update_sets_its_priority_areas(manager):
    from priorities.models import PriorityArea

    contribution = factories.ContributionFactory(organisation__owner=manager)
    areas = list(PriorityArea.objects.order_by("number")[:2])
    response = token_client(manager).patch(
        url("contribution-detail", pk=contribution.pk),
        {"priority_areas": [a.pk for a in areas], "status": "delivering"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["priority_areas"] == [a.pk for a in areas]
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.DELIVERING


def test_only_a_manager_can_own_an_organisation(manager, partner_user, analyst):
    client = token_client(manager)
    for not_a_manager in (partner_user, analyst):
        response = client.post(
            url("organisation-list"),
            {"name": "Owned", "sector": "industry", "owner": not_a_manager.pk},
        )
        assert response.status_code == 400
        assert "owner" in response.json()
