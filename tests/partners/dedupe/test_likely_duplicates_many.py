"""The duplicate check of many new organisations at once (a chunk of an import)
finds what the check of each one alone finds, in queries that do not grow with
their number."""

import pytest

from partners.dedupe.selectors import (
    organisation_likely_duplicates,
    organisation_likely_duplicates_many,
)
from tests import factories

pytestmark = pytest.mark.django_db


def _seen(found) -> list[tuple[int, float, list[str]]]:
    return [(d.organisation.pk, round(d.score, 4), d.reasons) for d in found]


@pytest.fixture
def recorded():
    return [
        factories.OrganisationFactory(
            name="Harbour Trust", website="https://www.harbourtrust.org.uk/"
        ),
        factories.OrganisationFactory(name="Harbour Trust Foundation"),
        factories.OrganisationFactory(name="Beacon Labs", website="beacon.example"),
        factories.OrganisationFactory(name="AB"),
    ]


def _wanted(recorded) -> list[dict]:
    return [
        {"name": "harbour trust ltd"},
        {"name": "Harbor Trust", "website": "other.example"},
        {"name": "Quite Different", "website": "http://beacon.example/about"},
        {"name": "Nobody Here", "email": "ann@harbourtrust.org.uk"},
        {"name": "Nobody Here", "email": "ann@gmail.com"},
        {"name": "ab"},
        {"name": "Harbour Trust", "exclude_pk": recorded[0].pk},
        {"name": ""},
    ]


def test_many_at_once_find_what_each_alone_finds(recorded):
    wanted = _wanted(recorded)
    together = organisation_likely_duplicates_many(wanted=wanted, limit=3)
    alone = [organisation_likely_duplicates(**item, limit=3) for item in wanted]
    assert [_seen(f) for f in together] == [_seen(f) for f in alone]
    # The cases are not all empty: the names, domains and exclusions count.
    assert [len(f) for f in together] == [2, 1, 1, 1, 0, 1, 1, 0]


def test_many_at_once_take_the_same_queries_for_two_or_eight(
    recorded, django_assert_max_num_queries
):
    wanted = _wanted(recorded)
    with django_assert_max_num_queries(2):
        organisation_likely_duplicates_many(wanted=wanted[:2], limit=3)
    with django_assert_max_num_queries(2):
        found = organisation_likely_duplicates_many(wanted=wanted, limit=3)
    assert found[0][0].organisation.name == "Harbour Trust"
