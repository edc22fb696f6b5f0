"""Activities in the data protection tools: the subject access export holds the
activities a contact took part in or whose summary names them, and erasure
leaves none of them naming the person."""

import pytest
from django.utils import timezone

from activities.models import Activity
from activities.services import activity_record
from ceop_crm.privacy.selectors import PersonQuery
from ceop_crm.privacy.services import person_erase
from ceop_crm.privacy.services.exports import subject_access_export_collect
from tests.privacy.conftest import EMAIL, NAME

pytestmark = pytest.mark.django_db


@pytest.fixture
def unrelated(person, senior_manager):
    """An activity at her organisation that neither involves nor names her."""
    return activity_record(
        actor=senior_manager,
        organisation=person.world.organisation,
        kind="call",
        occurred_at=timezone.now(),
        summary="Called the press office about the launch.",
    )


def _place(data: dict, key: str) -> dict:
    return next(p for p in data["places"] if p["key"] == key)


def test_export_holds_the_activities_she_took_part_in_or_is_named_in(person, unrelated):
    data = subject_access_export_collect(query=PersonQuery.of(name=NAME, email=EMAIL))
    place = _place(data, "activity")
    current = {row["id"]: row for row in place["current"]}
    assert set(current) == {person.activity_took_part.pk, person.activity_naming.pk}
    assert current[person.activity_naming.pk]["summary"].startswith(NAME)
    assert unrelated.pk not in {row["id"] for row in place["versions"]}
    # Each activity's recorded versions too.
    assert {row["id"] for row in place["versions"]} == set(current)


def test_export_finds_participation_by_her_address_alone(person):
    data = subject_access_export_collect(query=PersonQuery.of(email=EMAIL))
    ids = {row["id"] for row in _place(data, "activity")["current"]}
    assert person.activity_took_part.pk in ids


def test_erasure_leaves_no_activity_naming_her(person, unrelated, senior_manager):
    person_erase(
        query=PersonQuery.of(name=NAME, email=EMAIL),
        reason="Her request under Article 17.",
        actor=senior_manager,
    )
    naming = Activity.objects.get(pk=person.activity_naming.pk)
    assert NAME not in naming.summary
    assert "[erased]" in naming.summary
    assert not Activity.history.filter(summary__icontains=NAME).exists()
    # She took part: the activity now names an erased contact.
    took_part = Activity.objects.get(pk=person.activity_took_part.pk)
    assert [c.name for c in took_part.contacts.all()] == ["Erased contact"]
    assert list(took_part.contacts.values_list("email", flat=True)) == [""]
    # Nothing else changed.
    unrelated.refresh_from_db()
    assert unrelated.summary == "Called the press office about the launch."
    # And the export finds nothing of her left in activities.
    data = subject_access_export_collect(query=PersonQuery.of(name=NAME, email=EMAIL))
    assert "activity" not in {p["key"] for p in data["places"]}
