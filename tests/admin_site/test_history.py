"""Partnership data's history can be read in admin, never reverted."""

import pytest
from django.urls import reverse

from tests import factories
from tests.admin_helpers import admin_form_data

pytestmark = pytest.mark.django_db


def test_organisation_history_is_readable(admin_client):
    organisation = factories.OrganisationFactory()
    organisation.description = "A search engine."
    organisation.save()
    url = reverse("admin:partners_organisation_history", args=[organisation.pk])

    response = admin_client.get(url)

    assert response.status_code == 200
    assert response.context["revert_disabled"] is True
    assert "A search engine." in response.content.decode()


def test_a_historical_version_can_be_viewed_but_not_reverted(admin_client):
    organisation = factories.OrganisationFactory(description="Before")
    first = organisation.history.earliest()
    organisation.description = "After"
    organisation.save()
    url = reverse(
        "admin:partners_organisation_simple_history",
        args=[organisation.pk, first.history_id],
    )

    response = admin_client.get(url)
    assert response.status_code == 200
    assert b'value="Revert"' not in response.content

    data = admin_form_data(response)
    assert admin_client.post(url, data).status_code == 403
    organisation.refresh_from_db()
    assert organisation.description == "After"


# --- No path around the services -------------------------------------------------
# Associations, tier moves, MoUs, due diligence, reviews, benefit deliveries,
