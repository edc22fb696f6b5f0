"""The at-risk definition read three ways: the filter (the organisations at
risk, from the current associations), its complement, and each organisation's
reasons (row by row). Every condition of the definition has a case here that
turns out differently without it."""

import datetime as dt

import pytest
from django.db import connection

from partners.models import DueDiligence, MoU, Organisation
from partners.selectors import (
    organisation_at_risk_ids,
    organisation_filter_at_risk,
    organisation_list,
)
from tests import factories

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 1)
IN_FORCE = {"start": DAY - dt.timedelta(days=100), "end": DAY + dt.timedelta(days=100)}


def _mou(organisation, **kwargs):
    fields = {
        "signed_on": IN_FORCE["start"],
        **IN_FORCE,
        "status": MoU.Status.SIGNED,
        **kwargs,
    }
    return factories.MoUFactory(organisation=organisation, **fields)


def _due_diligence(organisation, **kwargs):
    fields = {
        "assessed_on": DAY - dt.timedelta(days=30),
        "expires_on": DAY + dt.timedelta(days=300),
        **kwargs,
    }
    return factories.DueDiligenceFactory(organisation=organisation, **fields)


def _at(code: str, *, mou: dict | None = None, dd: dict | None = None, **assoc):
    """An organisation associated at the level, with an MoU and due diligence
    in force unless told otherwise (None: none at all)."""
    organisation = factories.OrganisationFactory()
    factories.AssociationFactory(
        organisation=organisation,
        tier=factories.tier(code),
        start=DAY - dt.timedelta(days=200),
        **assoc,
    )
    if mou is not None:
        _mou(organisation, **mou)
    if dd is not None:
        _due_diligence(organisation, **dd)
    return organisation


@pytest.fixture
def cases():
    """Each organisation with its expected (MoU reason, due diligence reason)."""
    expected = {}

    def case(organisation, reasons):
        expected[organisation.pk] = reasons

    case(_at("partner", mou={}, dd={}), (False, False))
    case(_at("strategic-partner", mou={}, dd={}), (False, False))
    # The MoU: signed, started, not ended (its last day still counts).
    case(
        _at("partner", mou={"start": DAY + dt.timedelta(days=1)}, dd={}), (True, False)
    )
    case(_at("partner", mou={"end": DAY - dt.timedelta(days=1)}, dd={}), (True, False))
    case(_at("partner", mou={"end": DAY}, dd={}), (False, False))
    case(
        _at("partner", mou={"status": MoU.Status.TERMINATED}, dd={}),
        (True, False),
    )
    case(_at("strategic-partner", mou=None, dd={}), (True, False))
    # Only the levels that need one.
    case(_at("official-supporter", mou=None, dd={}), (False, False))
    # Due diligence: approved, assessed, not expired (expiring today is expired).
    case(
        _at("official-supporter", dd={"assessed_on": DAY + dt.timedelta(days=1)}),
        (False, True),
    )
    case(_at("official-supporter", dd={"expires_on": DAY}), (False, True))
    case(
        _at("official-supporter", dd={"expires_on": DAY + dt.timedelta(days=1)}),
        (False, False),
    )
    case(
        _at("official-supporter", dd={"outcome": DueDiligence.Outcome.PENDING}),
        (False, True),
    )
    case(_at("partner", mou=None, dd=None), (True, True))
    # A supplier's is not an association: nothing to meet.
    case(_at("supplier", mou=None, dd=None), (False, False))
    # Only a current association counts.
    case(
        _at("partner", mou=None, dd=None, end=DAY - dt.timedelta(days=10)),
        (False, False),
    )
    # Another organisation's MoU and due diligence are not its own.
    lender = _at("partner", mou={}, dd={})
    case(lender, (False, False))
    borrower = _at("partner", mou=None, dd=None)
    case(borrower, (True, True))
    # A prospect has no association to put at risk.
    case(factories.OrganisationFactory(), (False, False))
    return expected


def test_the_filter_finds_exactly_the_organisations_with_a_reason(cases):
    listed = organisation_list(today=DAY)

    at_risk = organisation_filter_at_risk(queryset=listed, today=DAY)
    safe = organisation_filter_at_risk(queryset=listed, today=DAY, at_risk=False)

    wanted = {pk for pk, reasons in cases.items() if any(reasons)}
    assert {o.pk for o in at_risk} == wanted
    assert {o.pk for o in safe} == set(cases) - wanted
    # The ids themselves, once per reason.
    ids = [row["organisation_id"] for row in organisation_at_risk_ids(today=DAY)]
    assert set(ids) == wanted


def test_each_organisation_carries_its_reasons(cases):
    rows = {
        o.pk: (o.at_risk_mou, o.at_risk_due_diligence)
        for o in organisation_list(today=DAY)
    }

    assert rows == cases


def test_the_filter_on_bare_organisations_counts_as_the_list_shows(cases):
    counted = organisation_filter_at_risk(
        queryset=Organisation.objects.all(), today=DAY
    ).count()

    assert counted == sum(1 for reasons in cases.values() if any(reasons))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_the_at_risk_ids_read_indexes_not_the_tables(cases):
    """As on a large table (no sequential scans): the ids at risk are the union
    of one anti-join per reason, each side read through an index. Which index
    PostgreSQL takes on a handful of rows is its choice (on the 100,000 data set
    it merges the three partial indexes below, README "Benchmarks"); that they
    exist, with their conditions, is checked in the catalogue."""
    queryset = organisation_filter_at_risk(
        queryset=Organisation.objects.all(), today=DAY
    )
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)",
            [
                [
                    "association_current_org_tier",
                    "mou_signed_org_end",
                    "due_diligence_approved_org",
                ]
            ],
        )
        indexes = dict(cursor.fetchall())

    for table in ("tiers_association", "partners_mou", "partners_duediligence"):
        assert f"Seq Scan on {table}" not in plan, plan
    assert "Append" in plan, plan  # one part per reason, their ids together
    assert "Anti Join" in plan, plan
    assert 'WHERE ("end" IS NULL)' in indexes["association_current_org_tier"]
    assert "WHERE ((status)::text = 'signed'::text)" in indexes["mou_signed_org_end"]
    assert (
        "WHERE ((outcome)::text = 'approved'::text)"
        in (indexes["due_diligence_approved_org"])
    )
