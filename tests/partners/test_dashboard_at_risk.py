"""The dashboard's at-risk card: the person's organisations at risk, first by
name, counted in full, read as the list's rows for the card's few only."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from tests.clients import VerifiedClient

pytestmark = pytest.mark.django_db

SHOWN = 8


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _supporter(name: str, *, owner=None, deputy=None, due_diligence: bool):
    """An Official Supporter: at risk without due diligence in force."""
    organisation = factories.OrganisationFactory(name=name, owner=owner, deputy=deputy)
    factories.AssociationFactory(
        organisation=organisation,
        tier=factories.tier("official-supporter"),
        start=timezone.localdate() - dt.timedelta(days=100),
    )
    if due_diligence:
        factories.DueDiligenceFactory(
            organisation=organisation,
            assessed_on=timezone.localdate() - dt.timedelta(days=10),
            expires_on=timezone.localdate() + dt.timedelta(days=300),
        )
    return organisation


@pytest.fixture
def world(manager, senior_manager):
    mine = [
        _supporter(f"Risky {n:02d}", owner=manager, due_diligence=False)
        for n in (11, 3, 7, 1, 9, 5)
    ] + [
        _supporter(f"Risky {n:02d}", deputy=manager, due_diligence=False)
        for n in (2, 10, 4, 8, 6)
    ]
    safe = [
        _supporter(f"Alpha safe {n}", owner=manager, due_diligence=True)
        for n in range(3)
    ]
    theirs = _supporter("Aardvark elsewhere", owner=senior_manager, due_diligence=False)
    return {"mine": mine, "safe": safe, "theirs": theirs}


def _dashboard(user, **params):
    client = VerifiedClient()
    client.force_login(user)
    return client.get("/", params)


def test_the_card_lists_the_first_at_risk_by_name_and_counts_them_all(world, manager):
    response = _dashboard(manager)

    assert response.context["scope"] == "mine"
    names = [o.name for o in response.context["at_risk"]]
    assert names == [f"Risky {n:02d}" for n in range(1, SHOWN + 1)]
    assert response.context["at_risk_count"] == len(world["mine"])
    # The card's rows carry the list's figures (its reasons).
    assert all(o.at_risk_due_diligence for o in response.context["at_risk"])
    assert not any(o.at_risk_mou for o in response.context["at_risk"])


def test_everyones_card_includes_other_owners(world, manager):
    response = _dashboard(manager, scope="all")

    assert response.context["at_risk"][0].pk == world["theirs"].pk
    assert response.context["at_risk_count"] == len(world["mine"]) + 1


def test_the_cards_read_only_their_rows_figures(world, manager):
    """The at-risk and "my organisations" cards each read the list's rows for
    their first ids only: my organisations' a page of ids ordered and limited
    in the database, the at-risk card's the ids found with their number."""
    client = VerifiedClient()
    client.force_login(manager)
    client.get("/")
    cache.clear()  # the cards' rows shared between requests read afresh
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")

    cards = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT "partners_organisation"."id"')
        and "next_review_due" in q["sql"]
    ]
    assert len(cards) == 2, [q["sql"][:200] for q in captured.captured_queries]
    mine, at_risk = cards
    # The limit is the ids subquery's, not the annotated statement's.
    assert f"LIMIT {SHOWN})" in mine, mine
    assert "LIMIT" not in mine.rsplit(")", 1)[-1], mine
    shown = ", ".join(str(o.pk) for o in response.context["at_risk"])
    assert f'"partners_organisation"."id" IN ({shown})' in at_risk, at_risk


def test_the_organisations_at_risk_are_found_once(world, manager):
    """The card's first ids and the figure come from one statement (a window
    count over the ids), not the figure in the headline statement and the
    card's ids again: finding them reads every current association."""
    client = VerifiedClient()
    client.force_login(manager)
    client.get("/")
    cache.clear()  # the figures shared between requests read afresh
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")

    def finding(queries) -> list[str]:
        return [
            q["sql"]
            for q in queries
            if "UNION ALL" in q["sql"] and '"tiers_association"' in q["sql"]
        ]

    found = finding(captured.captured_queries)
    assert len(found) == 1, found
    assert "OVER ()" in found[0], found[0]
    assert found[0].endswith(f"LIMIT {SHOWN}"), found[0]
    assert response.context["at_risk_count"] == len(world["mine"])

    # Shared between requests until a change commits: not found again, and
    # the card shows the same organisations.
    with CaptureQueriesContext(connection) as captured:
        again = client.get("/")
    assert finding(captured.captured_queries) == []
    assert again.context["at_risk_count"] == len(world["mine"])
    assert again.context["at_risk"] == response.context["at_risk"]
