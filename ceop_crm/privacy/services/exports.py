"""Subject access exports: asked for on the page, built by the worker.

The request writes a row and, after the commit, hands its id to Celery; with
the broker down the row waits for the sweep (``subject_access_exports_sweep``,
every few minutes). The worker claims the row, collects everything held about
the person (``person_records``) and the reads of it, and stores one ZIP under
MEDIA_ROOT/private/: an HTML summary, the data as JSON and one CSV per place.
"""

import csv
import io
import json
import logging
import zipfile
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string
from django.utils import timezone

from ceop_crm.exceptions import ApplicationError, full_clean
from ceop_crm.mail import task_enqueue
from ceop_crm.privacy.models import ReadLogEntry, SubjectAccessExport
from ceop_crm.privacy.selectors import (
    PersonQuery,
    person_records,
    person_widen,
    read_log_about_person,
)

logger = logging.getLogger(__name__)

# A build that has not finished in this time died with its worker: run it again.
STALE_AFTER = timedelta(minutes=30)
# Never copied into an export: secrets, not data about the person.
SECRET_FIELDS = {"password"}


def export_query(export: SubjectAccessExport) -> PersonQuery:
    return PersonQuery.of(name=export.subject_name, email=export.subject_email)


@transaction.atomic
def subject_access_export_request(
    *, actor, name: str, email: str
) -> SubjectAccessExport:
    """Record the request; the worker builds it once the transaction commits."""
    name, email = " ".join(name.split()), email.strip()
    if not PersonQuery.of(name=name, email=email):
        raise ApplicationError(
            {"name": ["Give the person's full name (three letters or more) or email."]}
        )
    export = SubjectAccessExport(
        requested_by=actor, subject_name=name, subject_email=email
    )
    full_clean(export)
    export.save()
    from ceop_crm.privacy.tasks import subject_access_export_build_task

    transaction.on_commit(
        lambda: task_enqueue(subject_access_export_build_task, export.pk)
    )
    return export


def _claim(export_id: int) -> bool:
    """Take the export for this worker: a pending one, or a build that died."""
    now = timezone.now()
    claimed = SubjectAccessExport.objects.filter(pk=export_id, status="pending").update(
        status="running", started_at=now, progress=0
    ) or SubjectAccessExport.objects.filter(
        pk=export_id, status="running", started_at__lt=now - STALE_AFTER
    ).update(started_at=now, progress=0)
    return bool(claimed)


def _progress(export: SubjectAccessExport, done: int, steps: int) -> None:
    # Outside any transaction, so the page polling for it sees each step.
    percent = min(99, int(100 * done / steps))
    SubjectAccessExport.objects.filter(pk=export.pk).update(progress=percent)


def _row(instance) -> dict:
    row = {}
    for f in instance._meta.concrete_fields:
        if f.name in SECRET_FIELDS:
            continue
        value = getattr(instance, f.attname)
        row[f.attname] = value.name if isinstance(value, FieldFile) else value
    return row


def _labels(instance) -> dict[str, str]:
    """Readable names of a row's columns, for the HTML summary."""
    return {
        f.attname: str(f.verbose_name)[:1].upper() + str(f.verbose_name)[1:]
        for f in instance._meta.concrete_fields
    }


def _readable(place: dict, rows: list[dict]) -> list[list[tuple[str, object]]]:
    return [
        [(place["labels"].get(key, key), value) for key, value in row.items()]
        for row in rows
    ]


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    columns = list(dict.fromkeys(k for row in rows for k in row))
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                k: json.dumps(v, cls=DjangoJSONEncoder)
                if isinstance(v, (list, dict))
                else ("" if v is None else v)
                for k, v in row.items()
            }
        )
    return out.getvalue()


def subject_access_export_collect(*, query: PersonQuery, on_step=None) -> dict:
    """Everything held about the person, place by place, with the reads of it."""
    widened = person_widen(query)
    places = []
    record_ids: dict[str, list[int]] = {}
    all_records = list(person_records(query=widened))
    steps = len(all_records) + 1
    for done, records in enumerate(all_records, start=1):
        source = records.source
        live = [_row(r) for r in records.live]
        versions = [_row(r) for r in records.history]
        if live or versions:
            places.append(
                {
                    "labels": _labels(
                        records.history[0] if versions else records.live[0]
                    ),
                    "key": source.key,
                    "label": source.label,
                    "current": live,
                    "versions": versions,
                }
            )
        record_ids.setdefault(source.model_label, []).extend(r["id"] for r in live)
        if on_step:
            on_step(done, steps)
    reads = [
        {
            "when": entry.created_at,
            "who": entry.user.get_username() if entry.user else "",
            "kind": entry.get_kind_display(),
            "what": entry.what,
            "from": entry.ip_address or "",
        }
        for entry in read_log_about_person(query=widened, record_ids=record_ids)
    ]
    return {
        "subject": {"names": list(widened.names), "emails": list(widened.emails)},
        "generated_at": timezone.now(),
        "places": places,
        "read_log": reads,
        "record_ids": record_ids,
    }


def subject_access_export_zip(data: dict) -> bytes:
    buffer = io.BytesIO()
    exported = {
        **{k: v for k, v in data.items() if k != "record_ids"},
        "places": [
            {k: v for k, v in place.items() if k != "labels"}
            for place in data["places"]
        ],
    }
    summary = [
        {
            "label": place["label"],
            "current": _readable(place, place["current"]),
            "versions": _readable(place, place["versions"]),
        }
        for place in data["places"]
    ]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "summary.html",
            render_to_string(
                "privacy/subject_access_summary.html",
                {"data": data, "places": summary},
            ),
        )
        archive.writestr(
            "data.json", json.dumps(exported, cls=DjangoJSONEncoder, indent=2)
        )
        for place in data["places"]:
            if place["current"]:
                archive.writestr(f"csv/{place['key']}.csv", _csv(place["current"]))
            if place["versions"]:
                archive.writestr(
                    f"csv/{place['key']}_versions.csv", _csv(place["versions"])
                )
        if data["read_log"]:
            archive.writestr("csv/read_log.csv", _csv(data["read_log"]))
    return buffer.getvalue()


def subject_access_export_build(*, export_id: int) -> bool:
    """Build the export if this worker may claim it; idempotent."""
    if not _claim(export_id):
        return False
    export = SubjectAccessExport.objects.get(pk=export_id)
    try:
        data = subject_access_export_collect(
            query=export_query(export),
            on_step=lambda done, steps: _progress(export, done, steps),
        )
        content = subject_access_export_zip(data)
        with transaction.atomic():
            export.file.save("export.zip", ContentFile(content), save=False)
            export.status = SubjectAccessExport.Status.DONE
            export.progress = 100
            export.finished_at = timezone.now()
            export.records = sum(
                len(p["current"]) + len(p["versions"]) for p in data["places"]
            ) + len(data["read_log"])
            export.save()
    except Exception as exc:
        logger.exception("Subject access export %s failed", export_id)
        SubjectAccessExport.objects.filter(pk=export_id).update(
            status="failed", error=f"{type(exc).__name__}", finished_at=timezone.now()
        )
        raise
    return True


def subject_access_exports_sweep() -> int:
    """Build exports the broker never delivered (or whose worker died)."""
    now = timezone.now()
    waiting = (
        SubjectAccessExport.objects.filter(
            Q(status="pending") | Q(status="running", started_at__lt=now - STALE_AFTER)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    built = 0
    for pk in list(waiting)[:20]:
        built += subject_access_export_build(export_id=pk)
    return built


def subject_access_export_downloaded(*, export: SubjectAccessExport, request) -> None:
    """Log the download as a read of the person's data."""
    from ceop_crm.privacy.services.read_log import read_log_record

    widened = person_widen(export_query(export))
    read_log_record(
        user=request.user,
        kind=ReadLogEntry.Kind.SUBJECT_ACCESS_EXPORT,
        what=f"Subject access export #{export.pk}",
        request=request,
        query=" / ".join(widened.terms),
    )
