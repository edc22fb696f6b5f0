"""Every read of personal data is logged: who, when, what, from where."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from ceop_crm.privacy.models import ReadLogEntry, ReadLogRecord
from ceop_crm.privacy.selectors import PersonQuery
from ceop_crm.privacy.services.exports import subject_access_export_collect
from tests.privacy.conftest import EMAIL, NAME, signed_in

pytestmark = pytest.mark.django_db


def _only_entry(kind: str) -> ReadLogEntry:
    entries = list(ReadLogEntry.objects.filter(kind=kind))
    assert len(entries) == 1, entries
    return entries[0]


def _read_contacts(entry: ReadLogEntry) -> set[int]:
    return set(
        ReadLogRecord.objects.filter(entry=entry, model="partners.contact").values_list(
            "object_id", flat=True
        )
    )


def test_the_organisation_page_logs_its_contacts(person, analyst):
    ReadLogEntry.objects.all().delete()
    url = reverse("partners:organisation_detail", args=[person.world.organisation.pk])
    assert signed_in(analyst, REMOTE_ADDR="198.51.100.7").get(url).status_code == 200
    entry = _only_entry(ReadLogEntry.Kind.CONTACT_VIEW)
    assert (entry.user, entry.ip_address, entry.path) == (analyst, "198.51.100.7", url)
    assert _read_contacts(entry) == {person.contact.pk}


def test_opening_a_contact_to_edit_is_logged(person, senior_manager):
    ReadLogEntry.objects.all().delete()
    url = reverse("partners:contact_update", args=[person.contact.pk])
    assert (
        signed_in(senior_manager, REMOTE_ADDR="198.51.100.7").get(url).status_code
        == 200
    )
    assert _read_contacts(_only_entry(ReadLogEntry.Kind.CONTACT_VIEW)) == {
        person.contact.pk
    }


def test_api_contact_list_and_detail_are_logged(person, analyst):
    ReadLogEntry.objects.all().delete()
    client = APIClient()
    client.force_authenticate(analyst)
    assert client.get("/api/v1/contacts/").status_code == 200
    assert person.contact.pk in _read_contacts(
        _only_entry(ReadLogEntry.Kind.CONTACT_LIST)
    )
    response = client.get(f"/api/v1/contacts/{person.contact.pk}/")
    assert response.status_code == 200
    assert _read_contacts(_only_entry(ReadLogEntry.Kind.CONTACT_VIEW)) == {
        person.contact.pk
    }
    # A conditional read that shows nothing new is not a read.
    again = client.get(
        f"/api/v1/contacts/{person.contact.pk}/", HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert again.status_code == 304
    assert ReadLogEntry.objects.filter(kind=ReadLogEntry.Kind.CONTACT_VIEW).count() == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_download_containing_contacts_is_logged_with_every_contact(
    person, analyst, fmt
):
    ReadLogEntry.objects.all().delete()
    url = reverse("workspace:report_download", args=["contacts", fmt])
    response = signed_in(analyst, REMOTE_ADDR="198.51.100.7").get(url)
    assert response.status_code == 200
    entry = _only_entry(ReadLogEntry.Kind.CONTACT_EXPORT)
    assert fmt in entry.what
    assert person.contact.pk in _read_contacts(entry)
    if fmt == "csv":
        assert EMAIL in response.getvalue().decode()


def test_reports_without_contacts_are_not_logged(person, analyst):
    ReadLogEntry.objects.all().delete()
    url = reverse("workspace:report_download", args=["mous", "csv"])
    assert signed_in(analyst, REMOTE_ADDR="198.51.100.7").get(url).status_code == 200
    assert not ReadLogEntry.objects.exists()


def test_the_subject_access_export_includes_who_read_their_data(person, analyst):
    url = reverse("partners:organisation_detail", args=[person.world.organisation.pk])
    signed_in(analyst, REMOTE_ADDR="198.51.100.7").get(url)
    data = subject_access_export_collect(query=PersonQuery.of(name=NAME, email=EMAIL))
    reads = [r for r in data["read_log"] if r["who"] == analyst.username]
    assert reads
    assert reads[0]["from"] == "198.51.100.7"
    assert reads[0]["kind"] == "Contact details viewed"
