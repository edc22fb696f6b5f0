"""The staff view that invites a contact (partners/portal/staff_views.py).

The workspace mounts partners.portal.staff_urls; until it does, these tests
mount it themselves.
"""

import pytest
from django.urls import include, path, reverse

from ceop_crm.models import OutboundEmail
from ceop_crm.urls import urlpatterns as root_patterns
from partners.models import PortalMembership
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

urlpatterns = [
    path("staff-test/", include("partners.portal.staff_urls")),
    *root_patterns,
]


@pytest.fixture
def organisation(manager):
    organisation = factories.OrganisationFactory(name="Hotel Media", owner=manager)
    factories.ContactFactory(
        organisation=organisation, name="Ann Example", email="ann@hotel.example"
    )
    factories.ContactFactory(organisation=organisation, name="No Email", email="")
    return organisation


def _url(organisation) -> str:
    return reverse("portal_staff:invite", kwargs={"pk": organisation.pk})


def test_manager_invites_a_contact(client, manager, organisation):
    client.force_login(manager)
    response = client.get(_url(organisation))
    assert response.status_code == 200
    choices = list(response.context["form"].fields["contact"].queryset)
    assert [c.name for c in choices] == ["Ann Example"]
    response = client.post(_url(organisation), {"contact": choices[0].pk})
    assert response.status_code == 302
    membership = PortalMembership.objects.get()
    assert membership.organisation == organisation
    assert membership.invited_by == manager
    assert OutboundEmail.objects.get().to == ["ann@hotel.example"]
    page = client.get(_url(organisation)).content.decode()
    assert "ann@hotel.example" in page
    assert "invited" in page


def test_refused_invitation_is_a_form_error(client, manager, analyst, organisation):
    analyst.email = "ann@hotel.example"
    analyst.save()
    client.force_login(manager)
    contact = organisation.contacts.get(name="Ann Example")
    response = client.post(_url(organisation), {"contact": contact.pk})
    assert response.status_code == 200
    assert "staff cannot use the portal" in str(response.context["form"].errors)
    assert not PortalMembership.objects.exists()


def test_contact_of_another_organisation_cannot_be_chosen(
    client, manager, organisation
):
    stranger = factories.ContactFactory(email="x@elsewhere.example")
    client.force_login(manager)
    response = client.post(_url(organisation), {"contact": stranger.pk})
    assert response.status_code == 200
    assert "contact" in response.context["form"].errors
    assert not PortalMembership.objects.exists()


def test_analysts_and_partners_cannot_invite(client, analyst, world_a, organisation):
    client.force_login(analyst)
    assert client.get(_url(organisation)).status_code == 403
    client.force_login(world_a.user)
    assert client.get(_url(organisation)).status_code == 403


def test_manager_cannot_invite_to_an_organisation_another_manager_owns(
    client, manager, organisation
):
    other = factories.UserFactory(username="other-owner")
    other.groups.add(*manager.groups.all())
    organisation.owner = other
    organisation.save()
    contact = organisation.contacts.get(name="Ann Example")
    client.force_login(manager)
    assert client.get(_url(organisation)).status_code == 403
    response = client.post(_url(organisation), {"contact": contact.pk})
    assert response.status_code == 403
    assert not PortalMembership.objects.exists()
    assert not OutboundEmail.objects.exists()
