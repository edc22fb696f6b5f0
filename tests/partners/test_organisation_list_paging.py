"""The organisation list pages on ids: each page is the filtered, ordered ids'
slice, read with the list's figures for those rows only."""

import datetime as dt

import pytest
from django.utils import timezone

from planning.services import reviews_schedule
from tests import factories
from tests.clients import VerifiedClient
from tests.partners.organisation_pages import every_page, page_statements

pytestmark = pytest.mark.django_db

PAGE = 25


@pytest.fixture
def meadows():
    """31 organisations the search finds (one by a contact), three it does not."""
    today = timezone.localdate()
    codes = ["strategic-partner", "partner", "official-supporter", "supplier", None]
    found = []
    for n in range(30):
        organisation = factories.OrganisationFactory(name=f"Meadow {(n * 7) % 30:02d}")
        code = codes[n % len(codes)]
        if code:
            factories.AssociationFactory(
                organisation=organisation,
                tier=factories.tier(code),
                start=today - dt.timedelta(days=100),
            )
        found.append(organisation)
    by_contact = factories.OrganisationFactory(name="Zed Ltd")
    factories.ContactFactory(organisation=by_contact, name="Ann Meadow")
    found.append(by_contact)
    for name in ("Heath 1", "Heath 2", "Heath 3"):
        factories.OrganisationFactory(name=name)
    # Quarterly and annual reviews from the planning year: some overdue.
    reviews_schedule(organisation_ids=[o.pk for o in found])
    return found


@pytest.fixture
def client(manager):
    client = VerifiedClient()
    client.force_login(manager)
    return client


def test_a_searched_list_pages_every_match_once_in_name_order(client, meadows):
    rows = every_page(client, {"q": "meadow"})

    assert [o.pk for o in rows] == [
        o.pk for o in sorted(meadows, key=lambda o: (o.name, o.pk))
    ]
    # Each row carries the list's figures.
    assert all(
        hasattr(o, "tier_name") and hasattr(o, "at_risk_due_diligence") for o in rows
    )


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("tier", lambda o: (o.tier_rank is None, -(o.tier_rank or 0), o.name, o.pk)),
        ("overdue", lambda o: (-o.overdue_reviews, o.name, o.pk)),
        (
            "next_review",
            lambda o: (o.next_review_due is None, o.next_review_due, o.name, o.pk),
        ),
        ("-name", lambda o: (o.name, o.pk)),
    ],
)
def test_a_sorted_list_pages_in_its_order(client, meadows, sort, key):
    rows = every_page(client, {"q": "meadow", "sort": sort})

    expected = sorted(rows, key=key, reverse=sort == "-name")
    assert [o.pk for o in rows] == [o.pk for o in expected]
    assert {o.pk for o in rows} == {o.pk for o in meadows}


def test_a_page_reads_the_figures_of_its_own_rows_only(client, meadows):
    """One statement for the page: its ids ordered and limited in a subquery,
    the figures read for those rows. (Sorted other than by name: a list only
    searched pages on its matches read in order, tests/partners/
    test_organisation_search.py.)"""
    rows, listed = page_statements(client, {"q": "meadow", "sort": "-name"})

    assert len(rows) == PAGE
    assert len(listed) == 1, listed
    # The limit is the ids subquery's, not the annotated statement's.
    assert f"LIMIT {PAGE})" in listed[0]
    assert "LIMIT" not in listed[0].rsplit(")", 1)[-1]
