"""Writes of imports: upload, confirm, run (a chunk of rows in a transaction:
its new organisations in bulk, each other row in a savepoint of its own), and
the spreadsheet of failed rows to fix and import again."""

import datetime as dt
import logging
from collections import Counter

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from ceop_crm.exceptions import ApplicationError
from ceop_crm.mail import task_enqueue
from partners.dedupe.selectors import organisation_likely_duplicates
from partners.imports.bulk import import_chunk_bulk
from partners.imports.fields import FIELDS_BY_KEY, cell_error_messages, read_row
from partners.imports.mapping import mapping_guess, mapping_remembered
from partners.imports.matching import ChunkLookup, OrganisationLookup
from partners.imports.models import ImportJob, ImportRow
from partners.imports.reading import sheet_read, sheet_write_xlsx
from partners.imports.rows import (
    RowContext,
    import_row_apply,
    possible_duplicates_message,
)
from partners.models import Organisation

logger = logging.getLogger(__name__)

# Rows applied in one transaction (each in a savepoint of its own); progress is
# written to the job with each chunk (the page polls it).
CHUNK_SIZE = 50
ERROR_HEADER = "Import error"
# A running import whose progress has not moved for this long lost its worker.
STALLED_AFTER = dt.timedelta(minutes=15)


@transaction.atomic
def import_job_create(
    *, name: str, content: bytes, actor: AbstractBaseUser
) -> ImportJob:
    """Store an uploaded file's rows with a guessed mapping of its columns."""
    sheet = sheet_read(name=name, content=content)
    headers = list(sheet.headers)
    job = ImportJob(
        created_by=actor,
        file_name=name[:255],
        headers=headers,
        mapping=mapping_guess(
            headers=headers, remembered=mapping_remembered(user=actor)
        ),
        total=len(sheet.rows),
    )
    job.full_clean()
    job.save()
    ImportRow.objects.bulk_create(
        (
            ImportRow(job=job, number=index + 2, values=values)
            for index, values in enumerate(sheet.rows)
        ),
        batch_size=1000,
    )
    return job


@transaction.atomic
def import_job_confirm(*, job: ImportJob, actor: AbstractBaseUser) -> ImportJob:
    """Queue a previewed import; the worker runs it (published after the commit)."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportJob.Status.UPLOADED:
        raise ApplicationError("This import has already been confirmed.")
    if job.created_by_id != actor.pk:
        raise ApplicationError("Only the person who uploaded the file can confirm it.")
    job.status = ImportJob.Status.QUEUED
    job.queued_at = timezone.now()
    job.save(update_fields=["status", "queued_at", "updated_at"])
    import_job_enqueue_on_commit(job_id=job.pk)
    return job


def import_job_enqueue_on_commit(*, job_id: int) -> None:
    from partners.imports.tasks import import_run_task

    transaction.on_commit(lambda: task_enqueue(import_run_task, job_id))


def _claim(job_id: int) -> ImportJob | None:
    """Take a queued (or stalled) job for this worker; None if another has it."""
    with transaction.atomic():
        job = (
            ImportJob.objects.select_for_update(skip_locked=True)
            .filter(
                Q(status=ImportJob.Status.QUEUED)
                | Q(
                    status=ImportJob.Status.RUNNING,
                    updated_at__lt=timezone.now() - STALLED_AFTER,
                ),
                pk=job_id,
            )
            .first()
        )
        if job is None:
            return None
        job.status = ImportJob.Status.RUNNING
        job.started_at = job.started_at or timezone.now()
        job.save(update_fields=["status", "started_at", "updated_at"])
        return job


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        parts = []
        for name, messages in error.message_dict.items():
            label = FIELDS_BY_KEY[name].label if name in FIELDS_BY_KEY else ""
            for message in messages:
                parts.append(f"{label}: {message}" if label else message)
        return " ".join(parts)
    return " ".join(error.messages)


DATABASE_REFUSED = "The database refused this row; nothing of it was saved."


def _apply(data: dict, context: RowContext) -> tuple[str, Organisation | None, str]:
    """(outcome, organisation, message) of a readable row, in a savepoint of its
    own: a refused row leaves nothing and the rows around it carry on."""
    lookup = {
        "external_ref": data.get("external_ref", ""),
        "name": data.get("name", ""),
    }
    try:
        with transaction.atomic():
            result = import_row_apply(data=data, context=context)
            message = _duplicates_message(result, data)
    except ValidationError as error:
        context.lookup.forget(**lookup)
        return ImportRow.Outcome.FAILED, None, _messages(error)
    except DatabaseError:
        logger.exception("An import row was refused by the database")
        context.lookup.forget(**lookup)
        return ImportRow.Outcome.FAILED, None, DATABASE_REFUSED
    context.lookup.forget(**lookup, organisation=result.organisation)
    return result.outcome, result.organisation, message


def _duplicates_message(result, data: dict) -> str:
    if result.outcome != ImportRow.Outcome.CREATED:
        return ""
    organisation = result.organisation
    twins = organisation_likely_duplicates(
        name=organisation.name,
        website=organisation.website,
        email=data.get("contact_email", ""),
        exclude_pk=organisation.pk,
        limit=3,
    )
    return possible_duplicates_message(twins)


def _outcome(row: ImportRow, job: ImportJob, context: RowContext, read=None) -> None:
    data, errors = read or read_row(row.values, job.mapping)
    if errors:
        row.outcome, row.organisation = ImportRow.Outcome.FAILED, None
        row.message = " ".join(cell_error_messages(errors))
    else:
        row.outcome, row.organisation, row.message = _apply(data, context)


def _commit_asynchronously() -> None:
    """On PostgreSQL the transaction commits without waiting for the disk: a
    crash may lose the last chunks committed (never half of one), and as their
    outcomes are lost with them, the resumed job applies them again."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def import_row_run(*, row: ImportRow, job: ImportJob, context: RowContext) -> str:
    """Apply one row and record its outcome, together in their own transaction."""
    with transaction.atomic():
        _commit_asynchronously()
        _outcome(row, job, context)
        row.save(update_fields=["outcome", "message", "organisation"])
    return row.outcome


def import_chunk_run(
    *, rows: list[ImportRow], job: ImportJob, context: RowContext
) -> Counter:
    """Apply a chunk of rows in one transaction, with the lookups the rows need
    read together first: the rows that only create an organisation (and its
    contact) together, in bulk (partners.imports.bulk), the others each in a
    savepoint of its own through the services; the rows' outcomes and the job's
    progress commit with them."""
    counts: Counter = Counter()
    with transaction.atomic():
        _commit_asynchronously()
        read = [read_row(row.values, job.mapping) for row in rows]
        context.lookup = ChunkLookup([data for data, errors in read if not errors])
        done = import_chunk_bulk(
            readable=[
                (row, data)
                for row, (data, errors) in zip(rows, read, strict=True)
                if not errors
            ],
            context=context,
            messages=_messages,
        )
        for row, row_read in zip(rows, read, strict=True):
            if row.pk not in done:
                _outcome(row, job, context, row_read)
            counts[row.outcome] += 1
        _outcomes_save(rows)
        _progress(job, counts)
    return counts


# Rows a statement of _outcomes_save writes (SQLite allows 500 terms in a UNION).
OUTCOMES_BATCH = 200


def _outcomes_save(rows: list[ImportRow]) -> None:
    """Write the rows' outcomes, messages and organisations, one UPDATE a batch.
    A join on the rows' values rather than ``bulk_update``: its CASE of three
    expressions a row took longer to build in Python than the rows to import."""
    table = connection.ops.quote_name(ImportRow._meta.db_table)
    columns = [
        connection.ops.quote_name(ImportRow._meta.get_field(name).column)
        for name in ("id", "outcome", "message", "organisation")
    ]
    select = (
        "SELECT CAST(%s AS bigint) AS id, CAST(%s AS text) AS outcome, "
        "CAST(%s AS text) AS message, CAST(%s AS bigint) AS organisation_id"
    )
    for start in range(0, len(rows), OUTCOMES_BATCH):
        batch = rows[start : start + OUTCOMES_BATCH]
        values = " UNION ALL ".join([select] * len(batch))
        params = [
            value
            for row in batch
            for value in (row.pk, row.outcome, row.message, row.organisation_id)
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {columns[1]} = v.outcome, "  # noqa: S608 - names are the model's
                f"{columns[2]} = v.message, {columns[3]} = v.organisation_id "
                f"FROM ({values}) AS v WHERE {table}.{columns[0]} = v.id",
                params,
            )


def _progress(job: ImportJob, counts: Counter) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        processed=F("processed") + sum(counts.values()),
        created=F("created") + counts["created"],
        updated=F("updated") + counts["updated"],
        skipped=F("skipped") + counts["skipped"],
        failed=F("failed") + counts["failed"],
        updated_at=timezone.now(),
    )


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a confirmed import: the pending rows a chunk at a time, progress
    written with each chunk. Running it again (a retry, a second worker) carries
    on with the rows not yet done and never applies a row twice. A chunk the
    database refuses as a whole is run again a row at a time."""
    job = _claim(job_id)
    if job is None:
        return None
    context = RowContext.load(actor=job.created_by, file_name=job.file_name)
    pending = job.rows.filter(outcome=ImportRow.Outcome.PENDING).order_by("number")
    while rows := list(pending[:CHUNK_SIZE]):
        try:
            import_chunk_run(rows=rows, job=job, context=context)
        except DatabaseError:
            logger.exception("Import %s: a chunk failed; running it row by row", job.pk)
            context.lookup = OrganisationLookup()
            for row in rows:
                row.refresh_from_db()
                if row.outcome == ImportRow.Outcome.PENDING:
                    _progress(
                        job,
                        Counter([import_row_run(row=row, job=job, context=context)]),
                    )
        context.lookup = OrganisationLookup()
    job.refresh_from_db()
    job.status = ImportJob.Status.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "finished_at", "updated_at"])
    return job


def import_jobs_resume() -> list[int]:
    """Publish imports the broker lost (queued over a minute ago) or a dead worker
    left running; the hourly catch-up of rule 10."""
    now = timezone.now()
    ids = list(
        ImportJob.objects.filter(
            status=ImportJob.Status.QUEUED,
            queued_at__lt=now - dt.timedelta(minutes=1),
        ).values_list("pk", flat=True)
    ) + list(
        ImportJob.objects.filter(
            status=ImportJob.Status.RUNNING,
            updated_at__lt=now - STALLED_AFTER,
        ).values_list("pk", flat=True)
    )
    return ids


def import_failed_rows_xlsx(*, job: ImportJob) -> bytes:
    """The failed rows as they were uploaded, with the reason in a last column."""
    rows = [
        [*row.values, row.message]
        for row in job.rows.filter(outcome=ImportRow.Outcome.FAILED).order_by("number")
    ]
    return sheet_write_xlsx(headers=[*job.headers, ERROR_HEADER], rows=rows)
