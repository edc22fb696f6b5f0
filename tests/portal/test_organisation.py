import pytest
from django.urls import reverse

from partners.models import Contact

pytestmark = pytest.mark.django_db


def test_partner_edits_a_contact_and_the_change_is_recorded(client, world_a):
    client.force_login(world_a.user)
    url = reverse("portal:contact_edit", kwargs={"contact_pk": world_a.contact.pk})
    response = client.post(
        url,
        {
            "name": world_a.contact.name,
            "job_title": "Head of Trust and Safety",
            "email": "new.address@alpha.example",
            "phone": "020 7946 0000",
            "is_primary": "on",
        },
    )
    assert response.status_code == 302
    world_a.contact.refresh_from_db()
    assert world_a.contact.job_title == "Head of Trust and Safety"
    latest = world_a.contact.history.latest()
    assert latest.history_user == world_a.user
    assert latest.email == "new.address@alpha.example"


def test_bad_contact_input_is_shown_beside_the_field(client, world_a):
    client.force_login(world_a.user)
    url = reverse("portal:contact_edit", kwargs={"contact_pk": world_a.contact.pk})
    response = client.post(url, {"name": "", "email": "not-an-address"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "email"}
    world_a.contact.refresh_from_db()
    assert world_a.contact.name == "Alpha Systems Contact"


def test_new_primary_contact_demotes_the_previous_one(client, world_a):
    client.force_login(world_a.user)
    client.post(
        reverse("portal:contact_create"),
        {"name": "Sam New", "email": "sam@alpha.example", "is_primary": "on"},
    )
    new = Contact.objects.get(name="Sam New")
    assert new.organisation == world_a.organisation
    assert new.is_primary
    world_a.contact.refresh_from_db()
    assert not world_a.contact.is_primary


def test_partner_removes_a_contact_but_not_their_own(client, world_a):
    client.force_login(world_a.user)
    other = Contact.objects.create(organisation=world_a.organisation, name="Old Person")
    client.post(reverse("portal:contact_delete", kwargs={"contact_pk": other.pk}))
    assert not Contact.objects.filter(pk=other.pk).exists()
    assert other.history.latest().history_type == "-"
    client.post(
        reverse("portal:contact_delete", kwargs={"contact_pk": world_a.contact.pk})
    )
    assert Contact.objects.filter(pk=world_a.contact.pk).exists()


def test_partner_edits_the_organisation_profile_with_history(client, world_a):
    client.force_login(world_a.user)
    response = client.get(reverse("portal:organisation_edit"))
    assert response.context["form"].initial["country"] == "United Kingdom"
    client.post(
        reverse("portal:organisation_edit"),
        {
            "website": "alpha.example",
            "country": "Ireland",
            "description": "We build safer platforms.",
        },
    )
    world_a.organisation.refresh_from_db()
    assert world_a.organisation.website == "https://alpha.example"
    assert world_a.organisation.country == "Ireland"
    assert world_a.organisation.history.latest().history_user == world_a.user
    assert world_a.organisation.name == "Alpha Systems"
