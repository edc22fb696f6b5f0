"""The rules of the strategy hold in admin as form errors, never as a 500."""

import datetime as dt

import pytest
from django.urls import reverse

from partners import models as pm
from planning import models as plm
from tests import factories
from tests.admin_helpers import add_inline_row, admin_form_data
from tests.admin_site.objects import change_post, make_review

pytestmark = pytest.mark.django_db


def test_second_primary_contact_through_the_inline_is_a_form_error(admin_client):
    contact = factories.ContactFactory(is_primary=True)
    url = reverse("admin:partners_organisation_change", args=[contact.organisation.pk])
    data = admin_form_data(admin_client.get(url))
    add_inline_row(
        data,
        "contacts",
        organisation=contact.organisation.pk,
        name="Second primary",
        is_primary="on",
    )

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "already has a primary contact" in response.content.decode()
    assert pm.Contact.objects.count() == 1


def test_reviews_are_read_only_on_the_organisation(admin_client):
    review = make_review()
    url = reverse("admin:partners_organisation_change", args=[review.organisation.pk])

    response = admin_client.get(url)

    assert response.status_code == 200
    (reviews,) = [
        inline
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is plm.Review
    ]
    assert not reviews.has_add_permission
    assert not reviews.has_change_permission
    assert not reviews.has_delete_permission
    assert review.milestone.name in response.content.decode()


def test_supplier_level_with_benefits_is_a_form_error(admin_client):
    # Reference data stays editable here; its constraint shows as a form error.
    supplier = factories.tier("supplier")
    response = change_post(admin_client, supplier, benefits_allowed="on")

    assert response.status_code == 200
    assert "tierlevel_non_association_has_no_benefits_or_mou" in (
        response.content.decode()
    )
    supplier.refresh_from_db()
    assert not supplier.benefits_allowed


def test_planning_year_ending_before_it_starts_is_a_form_error(admin_client):
    year = factories.PlanningYearFactory()
    response = change_post(admin_client, year, end=year.start - dt.timedelta(days=1))

    assert response.status_code == 200
    assert "A planning year ends after it starts." in response.content.decode()
    year.refresh_from_db()
    assert year.end > year.start
