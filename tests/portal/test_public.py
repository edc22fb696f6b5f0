"""The public approach form at /get-involved/."""

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from ceop_crm.models import OutboundEmail
from partners.models import Contact, Organisation, Proposal
from priorities.models import PriorityArea
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    caches["public"].clear()
    yield
    caches["public"].clear()


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


def test_a_known_name_gets_the_same_answer_and_staff_see_the_match_at_triage(
    client, senior_manager
):
    known = factories.OrganisationFactory(name="Kestrel Analytics Ltd")
    factories.ContactFactory(organisation=known, name="Existing Person")
    fresh = client.post(
        reverse("public:approach"), _data(organisation_name="Osprey Ltd")
    )
    thanks_fresh = client.get(fresh["Location"]).content.decode()
    response = client.post(
        reverse("public:approach"),
        _data(organisation_name="  kestrel \u200b ANALYTICS limited"),
    )
    # The outsider's answer is the one any approach gets: nothing says CEOP knows it.
    assert (response.status_code, response["Location"]) == (
        fresh.status_code,
        fresh["Location"],
    )
    thanks = client.get(response["Location"]).content.decode()
    assert "Kestrel" not in thanks
    assert len(thanks) == len(thanks_fresh)
    # No second organisation, and the outsider added no contact to the known one.
    assert Organisation.objects.filter(name_key=known.name_key).count() == 1
    assert list(known.contacts.values_list("name", flat=True)) == ["Existing Person"]
    proposal = Proposal.objects.get(organisation=known)
    assert proposal.matched_by_name
    assert proposal.submitted_as == "kestrel ANALYTICS limited"
    assert proposal.contact_email == "priya@kestrel.example"
    # Staff see the likely duplicate at triage.
    client.force_login(senior_manager)
    page = client.get(reverse("partners:proposal_detail", args=[proposal.pk]))
    text = page.content.decode()
    assert "Likely the same organisation" in text
    assert "kestrel ANALYTICS limited" in text


def test_acknowledgement_quotes_only_the_visitors_own_name(client):
    client.post(
        reverse("public:approach"),
        _data(
            organisation_name="Click https://evil.example now",
            title="Visit https://evil.example/offer",
            contact_name="Priya\u202e Shah",
        ),
    )
    email = OutboundEmail.objects.get(template="approach_acknowledgement")
    proposal = Proposal.objects.get()
    for body in (email.body_text, email.body_html):
        assert "Dear Priya Shah" in body
        assert f"P-{proposal.pk:06d}" in body
        assert "evil.example" not in body


def test_names_typed_on_the_public_form_are_stored_clean(client):
    client.post(
        reverse("public:approach"),
        _data(
            organisation_name="Kes\u200btrel\u202e Analytics",
            contact_name="Pri\u200dya  Shah",
        ),
    )
    organisation = Organisation.objects.get()
    assert organisation.name == "Kestrel Analytics"
    assert Contact.objects.get().name == "Priya Shah"
    assert Proposal.objects.get().contact_name == "Priya Shah"


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


def test_rate_limit_counts_outside_the_web_process(client, settings):
    """The count is kept where every web process reads it (Redis, or the
    database on the embedded default), never in one process's memory."""
    from django.core.cache.backends.locmem import LocMemCache

    settings.PUBLIC_APPROACH_RATE_LIMIT = 1
    assert not isinstance(caches["public"], LocMemCache)
    client.post(reverse("public:approach"), _data(organisation_name="Org 1"))
    # Another process sees the count: a fresh connection to the same store.
    elsewhere = caches.create_connection("public")
    key = "public-approach:127.0.0.1"
    assert elsewhere.get(key) == 1
    assert (
        client.post(
            reverse("public:approach"), _data(organisation_name="Org 2")
        ).status_code
        == 429
    )


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
