"""The rows of a chunk that only create an organisation (and its contact) are
checked in Python and written in bulk: every rule still refuses its row, with
the message the services give; the queries of a chunk do not grow with its
rows; a chunk the database refuses goes through the services row by row."""

import datetime as dt

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from ceop_crm.exceptions import ApplicationError
from partners import services as partner_services
from partners.imports import services
from partners.imports.bulk import import_chunk_bulk
from partners.imports.fields import read_row
from partners.imports.matching import ChunkLookup, OrganisationLookup
from partners.imports.rows import RowContext
from partners.models import Contact, Organisation
from partners.services.bulk import organisation_check_unsaved
from tests import factories
from tests.partners.imports.helpers import outcomes, upload

pytestmark = pytest.mark.django_db

HEADERS = [
    "Ref",
    "Organisation",
    "Sector",
    "Website",
    "Country",
    "Owner",
    "Deputy",
    "Contact",
    "Job title",
    "Email",
    "Phone",
]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def owner(manager):
    manager.email = "owner@ceop.example"
    manager.save()
    return manager


def _row(**cells) -> dict:
    return {"Organisation": "Bulk Trust", "Sector": "Industry", **cells}


def _job(rows, actor):
    job = upload(rows, actor, headers=HEADERS)
    services.import_job_confirm(job=job, actor=actor)
    return job


def _bulk(rows, actor):
    """The chunk's rows through the bulk path alone: (rows, ids of those it did)."""
    job = _job(rows, actor)
    import_rows = list(job.rows.order_by("number"))
    context = RowContext.load(actor=actor, file_name=job.file_name)
    readable = [(r, read_row(r.values, job.mapping)[0]) for r in import_rows]
    context.lookup = ChunkLookup([data for _, data in readable])
    done = import_chunk_bulk(
        readable=readable, context=context, messages=services._messages
    )
    return import_rows, done, job


def _by_the_services(job, import_row, actor) -> tuple[str, str]:
    """What the services make of the same row (rolled back)."""
    data, errors = read_row(import_row.values, job.mapping)
    assert not errors
    context = RowContext.load(actor=actor, file_name=job.file_name)
    context.lookup = OrganisationLookup()
    with transaction.atomic():
        outcome, _, message = services._apply(data, context)
        transaction.set_rollback(True)
    return outcome, message


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (
            {"Owner": "nobody@ceop.example"},
            "Owner (email): No relationship manager has the email nobody@ceop.example.",
        ),
        (
            {"Owner": "owner@ceop.example", "Deputy": "owner@ceop.example"},
            "The deputy cannot be the owner.",
        ),
        ({"Sector": ""}, "Sector: Give the sector of a new organisation."),
        ({"Email": "ann@bulk.example"}, "Contact name: Give the contact's name."),
        (
            {"Country": "C" * 81},
            "Country: Ensure this value has at most 80 characters (it has 81).",
        ),
        (
            {"Organisation": "N" * 201},
            "Name: Ensure this value has at most 200 characters (it has 201).",
        ),
        (
            {"Ref": "R" * 101},
            "External reference: Ensure this value has at most 100 characters "
            "(it has 101).",
        ),
        (
            {"Website": "bulk.example/" + "p" * 200},
            "Website: Ensure this value has at most 200 characters (it has 221).",
        ),
        (
            {"Contact": "Al Bee", "Job title": "J" * 151},
            "Ensure this value has at most 150 characters (it has 151).",
        ),
        (
            {"Contact": "Al Bee", "Phone": "0" * 41},
            "Ensure this value has at most 40 characters (it has 41).",
        ),
    ],
)
def test_each_rule_refuses_its_row_on_the_bulk_path_with_the_services_message(
    senior_manager, owner, cells, message
):
    rows = [
        _row(Organisation="Good Neighbour", Contact="Di Good"),
        _row(**cells),
    ]
    import_rows, done, job = _bulk(rows, senior_manager)
    good, bad = import_rows
    assert {good.pk, bad.pk} <= done  # both went the bulk way
    assert (bad.outcome, bad.message) == ("failed", message)
    assert _by_the_services(job, bad, senior_manager) == ("failed", message)
    assert good.outcome == "created"
    assert list(Organisation.objects.values_list("name", flat=True)) == [
        "Good Neighbour"
    ]
    assert list(Contact.objects.values_list("name", flat=True)) == ["Di Good"]


def test_a_new_organisation_in_bulk_is_a_prospect_or_under_assessment(
    senior_manager,
):
    with pytest.raises(ApplicationError) as by_the_service:
        partner_services.organisation_create(
            actor=senior_manager, name="Active Ltd", sector="industry", status="active"
        )
    with pytest.raises(ApplicationError) as in_bulk:
        organisation_check_unsaved(
            Organisation(name="Active Ltd", sector="industry", status="active")
        )
    assert in_bulk.value.message_dict == by_the_service.value.message_dict
    assert in_bulk.value.message_dict == {
        "status": ["A new organisation is a prospect or under assessment."]
    }


def test_bulk_rows_are_written_with_their_history_naming_the_importer(
    senior_manager, owner
):
    factories.OrganisationFactory(name="Harbour Trust")
    rows = [
        _row(
            Ref="B1",
            Organisation="Harbor Trust Ltd",
            Website="harbor.example",
            Owner="owner@ceop.example",
            Contact="\u200bCy Doe",
            Email="cy@harbor.example",
            Phone="0100",
        ),
        _row(Ref="B2", Organisation="Second Bulk", Country="France"),
    ]
    import_rows, done, _ = _bulk(rows, senior_manager)
    assert done == {r.pk for r in import_rows}
    assert [(r.outcome, r.message) for r in import_rows] == [
        ("created", "Possible duplicate of Harbour Trust"),
        ("created", ""),
    ]
    harbor = Organisation.objects.get(external_ref="B1")
    assert (harbor.name_key, harbor.domain, harbor.owner, harbor.status) == (
        "harbortrust",
        "harbor.example",
        owner,
        Organisation.Status.PROSPECT,
    )
    contact = harbor.contacts.get()
    assert (contact.name, contact.is_primary, contact.phone) == ("Cy Doe", True, "0100")
    assert not Organisation.objects.get(external_ref="B2").contacts.exists()
    for model, ids in (
        (Organisation, [r.organisation_id for r in import_rows]),
        (Contact, [contact.pk]),
    ):
        history = model.history.filter(id__in=ids)
        assert history.count() == len(ids)
        assert set(history.values_list("history_user", "history_type")) == {
            (senior_manager.pk, "+")
        }


def _chunk_queries(n: int, offset: int, actor) -> int:
    rows = [
        _row(
            Ref=f"Q{offset + i}",
            Organisation=f"Query Org {offset + i}",
            Contact=f"Cy {i}",
            Email=f"cy@q{offset + i}.example",
            Owner="owner@ceop.example",
        )
        for i in range(n)
    ]
    job = _job(rows, actor)
    context = RowContext.load(actor=actor, file_name=job.file_name)
    chunk = list(job.rows.order_by("number"))
    with CaptureQueriesContext(connection) as queries:
        counts = services.import_chunk_run(rows=chunk, job=job, context=context)
    assert counts["created"] == n
    return len(queries)


def test_the_queries_of_a_chunk_do_not_grow_with_its_rows(senior_manager, owner):
    few = _chunk_queries(3, 0, senior_manager)
    many = _chunk_queries(30, 100, senior_manager)
    assert few == many
    assert many <= 16


def test_a_chunk_the_database_refuses_in_bulk_runs_row_by_row(
    senior_manager, monkeypatch
):
    """Another writer records one of the chunk's names after the chunk was read:
    the unique constraint refuses the bulk insert, nothing of it stays, and the
    rows go through the services, where only that row fails."""

    class ReadThenRaced(ChunkLookup):
        def __init__(self, rows):
            super().__init__(rows)
            factories.OrganisationFactory(name="Raced Trust")

    monkeypatch.setattr(services, "ChunkLookup", ReadThenRaced)
    job = _job(
        [
            _row(Organisation="Calm One", Contact="Al One"),
            _row(Organisation="raced trust ltd", Contact="Bo Two"),
            _row(Organisation="Calm Three", Contact="Cy Three"),
        ],
        senior_manager,
    )
    job = services.import_job_run(job_id=job.pk)
    result = outcomes(job)
    assert (result[2], result[4]) == (("created", ""), ("created", ""))
    assert result[3][0] == "failed"
    assert result[3][1].startswith(
        "Name: “Raced Trust” already exists: is this the same organisation?"
    )
    assert set(Organisation.objects.values_list("name", flat=True)) == {
        "Calm One",
        "Raced Trust",
        "Calm Three",
    }
    assert set(Contact.objects.values_list("name", flat=True)) == {
        "Al One",
        "Cy Three",
    }
    assert not Contact.history.filter(name="Bo Two").exists()
    assert not Organisation.history.filter(name="raced trust ltd").exists()
