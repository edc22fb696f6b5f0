"""A name typed with zero-width or direction characters is stored clean on every
path (workspace, portal, public form, API, admin), and a name that normalises to
an existing organisation's is caught as a duplicate there too."""

import pytest
from django.urls import reverse

from partners.models import Contact, Organisation
from tests import factories
from tests.admin_helpers import admin_form_data
from tests.api.conftest import token_client
from tests.clients import VerifiedClient as Client
from tests.portal.conftest import make_partner_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world_a(db):
    return make_partner_world("Alpha Systems")


DIRTY = "Kes\u200btrel\u202e Analytics\u2066"
CLEAN = "Kestrel Analytics"
PERSON_DIRTY = "Pri\u200dya\u202e  Shah"
PERSON = "Priya Shah"
TWIN = "kestrel \u200banalytics LTD"


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_workspace_stores_names_clean_and_catches_a_twin(manager):
    client = _logged_in(manager)
    data = {
        "name": DIRTY,
        "sector": "industry",
        "status": "prospect",
        "owner": manager.pk,
        "country": "United Kingdom",
    }
    assert client.post(reverse("partners:organisation_create"), data).status_code == 302
    organisation = Organisation.objects.get()
    assert organisation.name == CLEAN
    response = client.post(
        reverse("partners:contact_create", args=[organisation.pk]),
        {"name": PERSON_DIRTY, "email": "p@k.example"},
    )
    assert response.status_code == 302
    assert Contact.objects.get().name == PERSON
    twin = client.post(reverse("partners:organisation_create"), {**data, "name": TWIN})
    assert twin.status_code == 200
    assert "already exists" in str(twin.context["form"].errors["name"])
    assert Organisation.objects.count() == 1


def test_portal_stores_contact_names_clean(world_a):
    # Partners cannot rename their organisation in the portal; the names they
    # type there are their contacts'.
    client = _logged_in(world_a.user)
    response = client.post(
        reverse("portal:contact_create"), {"name": PERSON_DIRTY, "email": "p@a.example"}
    )
    assert response.status_code == 302
    assert world_a.organisation.contacts.filter(name=PERSON).exists()


def test_api_stores_names_clean_and_catches_a_twin(manager):
    api = token_client(manager)
    created = api.post(
        reverse("api:v1:organisation-list"),
        {"name": DIRTY, "sector": "industry", "owner": manager.pk},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["name"] == CLEAN
    contact = api.post(
        reverse("api:v1:contact-list"),
        {"organisation": created.json()["id"], "name": PERSON_DIRTY},
        format="json",
    )
    assert contact.json()["name"] == PERSON
    twin = api.post(
        reverse("api:v1:organisation-list"),
        {"name": TWIN, "sector": "industry"},
        format="json",
    )
    assert twin.status_code == 400
    assert "name" in twin.json()


def test_admin_stores_names_clean_and_catches_a_twin(admin_client):
    add = reverse("admin:partners_organisation_add")
    data = admin_form_data(admin_client.get(add))
    data.update(name=DIRTY, sector="industry", country="United Kingdom")
    response = admin_client.post(add, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Organisation.objects.get().name == CLEAN
    data = admin_form_data(admin_client.get(add))
    data.update(name=TWIN, sector="industry", country="United Kingdom")
    response = admin_client.post(add, data)
    assert response.status_code == 200
    assert "already exists" in str(response.context["adminform"].form.errors)
    organisation = Organisation.objects.get()
    contact_add = reverse("admin:partners_contact_add")
    data = admin_form_data(admin_client.get(contact_add))
    data.update(organisation=organisation.pk, name=PERSON_DIRTY)
    assert admin_client.post(contact_add, data).status_code == 302
    assert Contact.objects.get().name == PERSON


def test_a_proposal_sender_name_is_stored_clean():
    proposal = factories.ProposalFactory(contact_name=PERSON_DIRTY)
    proposal.refresh_from_db()
    assert proposal.contact_name == PERSON
