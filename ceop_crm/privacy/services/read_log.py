"""The read log: who read whose personal data, when, what and from where."""

from collections.abc import Iterable

from django.db import connections, router
from django.http import HttpRequest
from django.utils import timezone

from ceop_crm.privacy.models import ReadLogEntry, ReadLogRecord

CONTACT = "partners.contact"
USER = "auth.user"


def _client_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # REMOTE_ADDR only: a forwarded header is whatever the client says.
    return request.META.get("REMOTE_ADDR") or None


def read_log_record(
    *,
    user,
    kind: str,
    what: str,
    request: HttpRequest | None = None,
    query: str = "",
    records: dict[str, Iterable[int]] | None = None,
) -> ReadLogEntry:
    """Log one read of personal data and the records it showed: two inserts.

    Not one transaction: a read is logged on every contact page and API call,
    and the log must cost those a fixed two queries; the entry is written
    first, so a failure can lose the list of records, never the read."""
    entry = ReadLogEntry(
        user=user if user is not None and user.is_authenticated else None,
        created_at=timezone.now(),
        kind=kind,
        what=what[:300],
        query=query[:300],
        path=request.get_full_path()[:500] if request is not None else "",
        ip_address=_client_address(request),
    )
    # The user is the request's own: no query to check that it exists.
    entry.full_clean(exclude=["user"])
    entry.save()
    pairs = [
        (model, object_id)
        for model, ids in (records or {}).items()
        for object_id in dict.fromkeys(ids)
    ]
    if pairs:
        _insert_records(entry, pairs)
    return entry


def _insert_records(entry: ReadLogEntry, pairs: list[tuple[str, int]]) -> None:
    """The records of a read in one statement. On PostgreSQL, two arrays
    unnested into rows: a report page logs its 500 contacts without building
    500 model instances (a third of the page's Python). Elsewhere,
    ``bulk_create``."""
    connection = connections[router.db_for_write(ReadLogRecord)]
    if connection.vendor != "postgresql":
        ReadLogRecord.objects.bulk_create(
            [ReadLogRecord(entry=entry, model=m, object_id=i) for m, i in pairs],
            batch_size=1000,
        )
        return
    models, ids = zip(*pairs, strict=True)
    table = connection.ops.quote_name(ReadLogRecord._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (entry_id, model, object_id)"  # noqa: S608 - the model's own table
            " SELECT %s, r.model, r.object_id"
            " FROM unnest(%s::varchar[], %s::bigint[]) AS r(model, object_id)",
            [entry.pk, list(models), list(ids)],
        )


def contacts_read_log(
    *, request: HttpRequest, kind: str, what: str, contact_ids: Iterable[int]
) -> ReadLogEntry | None:
    """Log a page, API answer or download that showed these contacts (none: nothing)."""
    ids = list(contact_ids)
    if not ids:
        return None
    return read_log_record(
        user=request.user,
        kind=kind,
        what=what,
        request=request,
        records={CONTACT: ids},
    )
