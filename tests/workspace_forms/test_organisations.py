"""Workspace forms: creating and editing an organisation."""

import pytest
from django.urls import reverse

from partners import models as pm
from tests import factories
from tests.workspace_forms.helpers import _client, _messages

pytestmark = pytest.mark.django_db


def test_organisation_create_records_who_created_it(manager):
    response = _client(manager).post(
        reverse("partners:organisation_create"),
        {
            "name": "Harbourlight Safety CIC",
            "sector": "voluntary",
            "status": "prospect",
            "owner": manager.pk,
            "country": "United Kingdom",
        },
        follow=True,
    )
    organisation = pm.Organisation.objects.get(name="Harbourlight Safety CIC")
    assert response.redirect_chain[-1][0] == reverse(
        "partners:organisation_detail", args=[organisation.pk]
    )
    assert any("created" in m for m in _messages(response))
    assert organisation.history.first().history_user == manager


def test_organisation_create_with_a_taken_name_keeps_the_input(manager):
    factories.OrganisationFactory(name="Taken Name Ltd")
    response = _client(manager).post(
        reverse("partners:organisation_create"),
        {
            "name": "Taken Name Ltd",
            "sector": "industry",
            "status": "prospect",
            "website": "https://kept.example",
            "country": "Ireland",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "name" in form.errors
    html = response.content.decode()
    assert 'value="https://kept.example"' in html
    assert 'value="Ireland"' in html
    assert pm.Organisation.objects.filter(name="Taken Name Ltd").count() == 1


def test_organisation_deputy_cannot_be_the_owner(manager, world):
    response = _client(manager).post(
        reverse("partners:organisation_update", args=[world.organisation.pk]),
        {
            "name": world.organisation.name,
            "sector": "industry",
            "owner": manager.pk,
            "deputy": manager.pk,
            "country": "United Kingdom",
        },
    )
    assert response.status_code == 200
    assert "The deputy cannot be the owner." in str(response.context["form"].errors)
    world.organisation.refresh_from_db()
    assert world.organisation.deputy is None
