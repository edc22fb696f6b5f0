"""Rows run a chunk at a time: one transaction a chunk, a savepoint a row, the
organisations the rows name read together before them."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.imports import services
from partners.imports.models import ImportJob
from partners.models import Contact, Organisation
from tests.partners.imports.helpers import outcomes, row, run, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(services, "CHUNK_SIZE", 3)


def test_an_organisation_named_again_in_its_chunk_is_found_as_the_row_left_it(
    senior_manager, small_chunks
):
    job = run(
        [
            row(Ref="K1", Organisation="Kite Works", Sector="Industry"),
            row(Ref="K1", Organisation="Kite Works", Contact="Di Four"),
            # Changes the website, then fails: nothing of it may stay, in the
            # database or in what the next rows find.
            row(
                Ref="K1",
                Organisation="Kite Works",
                Website="kite.example",
                Level="Partner",
            ),
            row(Organisation="kite works ltd", Sector="Voluntary sector"),
        ],
        senior_manager,
    )
    assert [o for o, _ in outcomes(job).values()] == [
        "created",
        "updated",
        "failed",
        "updated",
    ]
    kite = Organisation.objects.get()
    assert (kite.website, kite.sector) == ("", "voluntary")
    assert list(kite.contacts.values_list("name", flat=True)) == ["Di Four"]
    assert (job.created, job.updated, job.failed, job.processed) == (1, 2, 1, 4)


def test_the_rows_of_a_chunk_are_matched_in_a_few_queries_not_a_few_a_row(
    senior_manager, small_chunks
):
    rows = [
        row(Ref=f"M{i}", Organisation=f"Many Org {i}", Sector="Industry")
        for i in range(7)
    ]
    job = upload(rows, senior_manager)
    services.import_job_confirm(job=job, actor=senior_manager)
    with CaptureQueriesContext(connection) as queries:
        job = services.import_job_run(job_id=job.pk)
    assert job.status == ImportJob.Status.DONE
    assert job.created == 7
    merges = [
        q for q in queries.captured_queries if "partners_organisationmerge" in q["sql"]
    ]
    assert len(merges) == 3  # once a chunk: 3 + 3 + 1 rows
    progress = [
        q
        for q in queries.captured_queries
        if q["sql"].startswith('UPDATE "partners_importjob" SET "processed"')
    ]
    assert len(progress) == 3


def test_a_failing_row_in_a_chunk_leaves_the_rows_around_it(
    senior_manager, small_chunks
):
    job = run(
        [
            row(Organisation="Alpha One", Sector="Industry", Contact="A A"),
            row(Organisation="Beta Two", Sector="Industry", Contact="B B", Level="X"),
            row(Organisation="Gamma Three", Sector="Industry", Contact="C C"),
        ],
        senior_manager,
    )
    assert [o for o, _ in outcomes(job).values()] == ["created", "failed", "created"]
    assert set(Organisation.objects.values_list("name", flat=True)) == {
        "Alpha One",
        "Gamma Three",
    }
    assert set(Contact.objects.values_list("name", flat=True)) == {"A A", "C C"}
    assert not Organisation.history.filter(name="Beta Two").exists()


def test_a_failed_row_leaves_no_change_in_what_the_next_rows_find(
    senior_manager, small_chunks
):
    run([row(Ref="P1", Organisation="Pier Trust", Sector="Industry")], senior_manager)
    job = run(
        [
            # Read with its chunk; this row changes its website in memory, then fails.
            row(
                Ref="P1",
                Organisation="Pier Trust",
                Website="pier.example",
                Level="Partner",
            ),
            row(Ref="P1", Organisation="Pier Trust", Sector="Voluntary sector"),
        ],
        senior_manager,
    )
    assert [o for o, _ in outcomes(job).values()] == ["failed", "updated"]
    pier = Organisation.objects.get()
    assert (pier.website, pier.sector) == ("", "voluntary")
    assert not pier.history.filter(website="pier.example").exists()
