import pytest
from django.urls import reverse

from partners.models import Proposal
from partners.services import proposal_accept, proposal_decline
from priorities.models import PriorityArea

pytestmark = pytest.mark.django_db


def test_support_page_lists_the_eleven_priority_areas_with_objectives(client, world_a):
    client.force_login(world_a.user)
    response = client.get(reverse("portal:support"))
    areas = list(response.context["priority_areas"])
    assert [a.number for a in areas] == list(range(1, 12))
    page = response.content.decode()
    for area in areas:
        assert area.summary[:60] in page
    assert "PROTECT" in page
    assert world_a.contribution.title in page


def test_partner_proposes_support_from_the_portal(client, world_a):
    client.force_login(world_a.user)
    areas = list(PriorityArea.objects.order_by("number")[:2])
    response = client.post(
        reverse("portal:proposal_create"),
        {
            "title": "Hash matching engineers",
            "kind": "technical",
            "offer": "Two engineers for six months.",
            "priority_areas": [a.pk for a in areas],
        },
    )
    proposal = Proposal.objects.get(title="Hash matching engineers")
    assert response["Location"] == reverse(
        "portal:proposal_detail", kwargs={"proposal_pk": proposal.pk}
    )
    assert proposal.organisation == world_a.organisation
    assert proposal.source == Proposal.Source.PORTAL
    assert proposal.submitted_by == world_a.user
    assert proposal.contact_email == world_a.contact.email
    assert set(proposal.priority_areas.all()) == set(areas)
    page = client.get(response["Location"]).content.decode()
    assert "Awaiting triage" in page


def test_proposal_for_a_new_threat_needs_no_priority_area(client, world_a):
    client.force_login(world_a.user)
    client.post(
        reverse("portal:proposal_create"),
        {
            "title": "Live-stream detection",
            "kind": "technical",
            "offer": "A classifier.",
            "new_threat": "Live-streamed abuse on new platforms",
        },
    )
    proposal = Proposal.objects.get(title="Live-stream detection")
    assert proposal.new_threat == "Live-streamed abuse on new platforms"


def test_proposal_without_area_or_threat_is_refused_and_nothing_saved(client, world_a):
    client.force_login(world_a.user)
    before = Proposal.objects.count()
    response = client.post(
        reverse("portal:proposal_create"),
        {"title": "Vague", "kind": "other", "offer": "Something."},
    )
    assert response.status_code == 200
    assert "Choose at least one priority area" in str(
        response.context["form"].errors["priority_areas"]
    )
    assert Proposal.objects.count() == before


def test_partner_follows_the_proposal_state(client, world_a, manager):
    client.force_login(world_a.user)
    url = reverse("portal:proposal_detail", kwargs={"proposal_pk": world_a.proposal.pk})
    contribution = proposal_accept(proposal=world_a.proposal, actor=manager)
    page = client.get(url).content.decode()
    assert "Accepted" in page
    assert (
        reverse(
            "portal:contribution_detail", kwargs={"contribution_pk": contribution.pk}
        )
        in page
    )
    other = Proposal.objects.create(
        organisation=world_a.organisation, title="Declined one", offer="x"
    )
    proposal_decline(proposal=other, reason="Outside our priorities", actor=manager)
    page = client.get(
        reverse("portal:proposal_detail", kwargs={"proposal_pk": other.pk})
    ).content.decode()
    assert "Outside our priorities" in page


def test_contribution_page_shows_its_outcomes(client, world_a):
    world_a.contribution.outcomes = "Forty victims identified sooner."
    world_a.contribution.save()
    client.force_login(world_a.user)
    page = client.get(
        reverse(
            "portal:contribution_detail",
            kwargs={"contribution_pk": world_a.contribution.pk},
        )
    ).content.decode()
    assert "Forty victims identified sooner." in page
