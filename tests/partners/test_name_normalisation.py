"""One normalisation of organisation names for every write path (partners.dedupe)."""

import pytest
from django.db import IntegrityError, transaction

from ceop_crm.exceptions import ApplicationError
from partners import services
from partners.dedupe.normalise import clean_name, name_key
from partners.models import Organisation, Sector

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("Harbour\u200b Trust", "Harbour Trust"),  # zero-width space
        ("\u202eHarbour Trust\u202c", "Harbour Trust"),  # right-to-left override
        ("Harbour\u2066 Trust\u2069", "Harbour Trust"),  # isolates
        ("\ufeffHarbour  Trust ", "Harbour Trust"),  # BOM, doubled space
        ("Ｈａｒｂｏｕｒ Trust", "Harbour Trust"),  # full-width letters (NFKC)
        ("Harbour\u00a0Trust", "Harbour Trust"),  # no-break space
    ],
)
def test_clean_name_drops_invisible_and_direction_characters(raw, stored):
    assert clean_name(raw) == stored


@pytest.mark.parametrize(
    "twin",
    [
        "harbour trust",
        "HARBOUR TRUST",
        "Harbour Trust Ltd",
        "Harbour Trust Limited",
        "The Harbour Trust plc",
        "Harbour-Trust",
        "H\u0430rbour Trust",  # Cyrillic a
        "Harbour Tr\u03c5st",  # Greek upsilon
        "Harbou\u0072\u200d Trust",
    ],
)
def test_name_key_matches_the_same_organisation_written_differently(twin):
    assert name_key(twin) == name_key("Harbour Trust")


def test_name_key_tells_different_organisations_apart():
    assert name_key("Harbour Trust") != name_key("Harbour Foundation")
    assert name_key("Ltd") == "ltd"  # a name that is only a legal form keeps it


def test_organisation_create_stores_the_clean_name():
    org = services.organisation_create(
        actor=None, name="\u202eHarbour\u200b Trust", sector=Sector.VOLUNTARY
    )
    org.refresh_from_db()
    assert org.name == "Harbour Trust"
    assert org.name_key == "harbourtrust"


def test_organisation_create_refuses_a_name_that_normalises_to_an_existing_one():
    services.organisation_create(actor=None, name="Harbour Trust", sector="voluntary")
    with pytest.raises(ApplicationError) as raised:
        services.organisation_create(
            actor=None, name="harbour trust ltd", sector=Sector.VOLUNTARY
        )
    assert "“Harbour Trust” already exists" in str(raised.value.message_dict["name"])
    assert Organisation.objects.count() == 1


def test_organisation_update_refuses_renaming_onto_another_organisation():
    services.organisation_create(actor=None, name="Harbour Trust", sector="voluntary")
    other = services.organisation_create(
        actor=None, name="Harbour Foundation", sector=Sector.VOLUNTARY
    )
    with pytest.raises(ApplicationError):
        services.organisation_update(
            organisation=other, actor=None, name="The Harbour Trust"
        )
    # Renaming an organisation to another spelling of its own name is allowed.
    services.organisation_update(
        organisation=other, actor=None, name="The Harbour Foundation"
    )


def test_database_refuses_two_organisations_with_one_normalised_name():
    Organisation.objects.create(name="Harbour Trust", sector=Sector.VOLUNTARY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name="HARBOUR TRUST LTD", sector=Sector.VOLUNTARY)
