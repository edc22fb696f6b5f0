"""The public approach form at /get-involved/."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from ceop_crm.models import OutboundEmail
from partners.models import Contact, Organisation, Proposal
from priorities.models import PriorityArea
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def _data(**overrides) -> dict:
    area = PriorityArea.objects.order_by("number").first()
    data = {
        "organisation_name": "Kestrel Analytics Ltd",
        "sector": "industry",
        "country": "United Kingdom",
        "website": "https://kestrel.example",
        "description": "Image analysis.",
        "contact_name": "Priya Shah",
        "job_title": "Director",
        "contact_email": "priya@kestrel.example",
        "contact_phone": "",
        "title": "Image triage tooling",
        "kind": "technical",
        "offer": "A licence and two days of set-up.",
        "priority_areas": [area.pk],
        "new_threat": "",
        "fax_number": "",
    }
    data.update(overrides)
    return data


def _nothing_saved() -> None:
    assert not Organisation.objects.exists()
    assert not Contact.objects.exists()
    assert not Proposal.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_public_page_shows_the_priority_areas_without_sign_in(client):
    response = client.get(reverse("public:approach"))
    assert response.status_code == 200
    page = response.content.decode()
    for area in PriorityArea.objects.all():
        assert area.title in page
    assert 'name="fax_number"' in page
    assert "csrfmiddlewaretoken" in page


def test_approach_creates_prospect_contact_and_proposal_and_acknowledges(client):
    response = client.post(reverse("public:approach"), _data())
    assert response.status_code == 302
    assert response["Location"] == reverse("public:thanks")
    organisation = Organisation.objects.get()
    assert organisation.name == "Kestrel Analytics Ltd"
    assert organisation.status == Organisation.Status.PROSPECT
    contact = Contact.objects.get()
    assert (contact.organisation, contact.is_primary) == (organisation, True)
    proposal = Proposal.objects.get()
    assert proposal.organisation == organisation
    assert proposal.source == Proposal.Source.PUBLIC
    assert proposal.status == Proposal.Status.SUBMITTED
    assert proposal.contact_email == "priya@kestrel.example"
    assert list(proposal.priority_areas.values_list("number", flat=True)) == [1]
    email = OutboundEmail.objects.get(template="approach_acknowledgement")
    assert email.to == ["priya@kestrel.example"]
    thanks = client.get(response["Location"]).content.decode()
    assert f"P-{proposal.pk:06d}" in thanks


def test_honeypot_filled_answers_thanks_and_saves_nothing(client):
    response = client.post(
        reverse("public:approach"), _data(fax_number="+44 20 0000 0000")
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("public:thanks")
    _nothing_saved()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"organisation_name": ""}, "organisation_name"),
        ({"contact_email": "not an address"}, "contact_email"),
        ({"offer": "x" * 5001}, "offer"),
        ({"organisation_name": "N" * 201}, "organisation_name"),
        ({"priority_areas": [], "new_threat": ""}, "priority_areas"),
        ({"sector": "casino"}, "sector"),
        ({"priority_areas": [999999]}, "priority_areas"),
    ],
)
def test_bad_input_is_shown_beside_the_field_and_nothing_is_saved(
    client, overrides, field
):
    response = client.post(reverse("public:approach"), _data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "nothing has been sent yet" in response.content.decode()
    _nothing_saved()


def test_a_new_threat_is_enough_without_a_priority_area(client):
    client.post(
        reverse("public:approach"),
        _data(priority_areas=[], new_threat="Abuse through new VR platforms"),
    )
    assert Proposal.objects.get().new_threat == "Abuse through new VR platforms"


def test_name_of_a_known_organisation_gets_a_clear_message(client):
    factories.OrganisationFactory(name="Kestrel Analytics Ltd")
    response = client.post(
        reverse("public:approach"), _data(organisation_name="  kestrel   ANALYTICS ltd")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["organisation_name"]
    assert "already knows an organisation called" in errors[0]
    assert Organisation.objects.count() == 1
    assert not Proposal.objects.exists()


def test_rate_limit_per_address(client, settings):
    settings.PUBLIC_APPROACH_RATE_LIMIT = 2
    for n in range(2):
        response = client.post(
            reverse("public:approach"), _data(organisation_name=f"Org {n}")
        )
        assert response.status_code == 302
    response = client.post(reverse("public:approach"), _data(organisation_name="Org 3"))
    assert response.status_code == 429
    assert "try again later" in response.content.decode()
    assert Organisation.objects.count() == 2
    other = Client(REMOTE_ADDR="192.0.2.77")
    response = other.post(reverse("public:approach"), _data(organisation_name="Org 4"))
    assert response.status_code == 302


def test_oversized_request_is_refused_unread(client):
    response = client.post(reverse("public:approach"), _data(description="x" * 70_000))
    assert response.status_code == 413
    _nothing_saved()


def test_csrf_is_enforced():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("public:approach"), _data())
    assert response.status_code == 403
    _nothing_saved()


def test_partner_user_may_open_the_public_page(client, world_a):
    client.force_login(world_a.user)
    assert client.get(reverse("public:approach")).status_code == 200


def test_another_suggestion_is_welcomed_and_flagged_at_triage(client, manager):
    response = client.post(
        reverse("public:approach"),
        _data(priority_areas=[], new_threat="", other_suggestion="on"),
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.other_suggestion

    client.force_login(manager)
    triage = client.get(reverse("partners:proposal_list"))
    detail = client.get(reverse("partners:proposal_detail", args=[proposal.pk]))
    assert "Other suggestion" in triage.content.decode()
    assert "Other suggestion" in detail.content.decode()
