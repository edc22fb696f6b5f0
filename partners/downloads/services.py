"""Report downloads built by the worker: asked for, claimed, written, expired.

A request records a ``ReportDownload`` row and, once it commits, publishes the
build task; if the broker is down the row waits for the sweep. The worker
claims the row by its state (a pending one, or a build that died), writes the
file row by row into private storage (never under a public URL) and counts its
rows as it goes, which the page polls for its progress bar.
"""

import datetime as dt
import logging
import tempfile

from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ceop_crm.exceptions import ApplicationError
from ceop_crm.mail import task_enqueue
from partners import reports
from partners.downloads.models import ReportDownload
from partners.downloads.sources import report_rows
from partners.downloads.writers import csv_chunks, xlsx_write

logger = logging.getLogger(__name__)

# A build that has not finished in this time is taken again by the sweep.
STALE_AFTER = dt.timedelta(minutes=30)
# Files are deleted this long after they were built: they may hold personal data.
KEEP_FOR = dt.timedelta(days=1)
# Progress is written every this many rows (one UPDATE each).
PROGRESS_EVERY = 2000


@transaction.atomic
def report_download_request(
    *, actor, slug: str, fmt: str, year: str | None = None
) -> ReportDownload:
    """Record a download for the worker to build; it is published after commit."""
    if slug not in reports.REPORTS:
        raise ApplicationError({"slug": ["No such report."]})
    if fmt not in ReportDownload.Format.values:
        raise ApplicationError({"fmt": ["Reports download as csv or xlsx."]})
    label = ""
    if reports.REPORTS[slug].takes_year:
        label = reports._year(year, timezone.localdate())[0]
    download = ReportDownload(requested_by=actor, slug=slug, fmt=fmt, year=label)
    download.full_clean()
    download.save()
    from partners.downloads.tasks import report_download_build_task

    transaction.on_commit(lambda: task_enqueue(report_download_build_task, download.pk))
    return download


@transaction.atomic
def list_download_request(
    *, actor, list_name: str, query: str, fmt: str
) -> ReportDownload:
    """Record a list's download (its filters, sort and columns) for the worker."""
    from ceop_crm.lists.exports import SLUG_PREFIX
    from ceop_crm.lists.registry import LISTS
    from ceop_crm.lists.services import clean_query

    if list_name not in LISTS:
        raise ApplicationError({"slug": ["No such list."]})
    if fmt not in ReportDownload.Format.values:
        raise ApplicationError({"fmt": ["Lists download as csv or xlsx."]})
    download = ReportDownload(
        requested_by=actor,
        slug=SLUG_PREFIX + list_name,
        fmt=fmt,
        query=clean_query(query),
    )
    download.full_clean()
    download.save()
    from partners.downloads.tasks import report_download_build_task

    transaction.on_commit(lambda: task_enqueue(report_download_build_task, download.pk))
    return download


def download_source(download: ReportDownload):
    """The rows of a download: a report's, or a list's as its owner sees it."""
    from ceop_crm.lists.exports import SLUG_PREFIX, list_source_for_download

    if download.slug.startswith(SLUG_PREFIX):
        return list_source_for_download(
            slug=download.slug, query=download.query, user=download.requested_by
        )
    return report_rows(slug=download.slug, year=download.year or None)


def _claim(download_id: int) -> bool:
    """Take the download for this worker: a pending one, or a build that died."""
    now = timezone.now()
    return bool(
        ReportDownload.objects.filter(pk=download_id, status="pending").update(
            status="running", started_at=now, rows_done=0
        )
        or ReportDownload.objects.filter(
            pk=download_id, status="running", started_at__lt=now - STALE_AFTER
        ).update(started_at=now, rows_done=0)
    )


class _Counted:
    """Rows passed through, counted, with a call after each."""

    def __init__(self, rows, on_row) -> None:
        self.rows, self.on_row, self.n = rows, on_row, 0

    def __iter__(self):
        for row in self.rows:
            yield row
            self.n += 1
            self.on_row(self.n)


def report_download_build(*, download_id: int) -> bool:
    """Build the file if this worker may claim the download; idempotent."""
    if not _claim(download_id):
        return False
    download = ReportDownload.objects.select_related("requested_by").get(pk=download_id)
    try:
        source = download_source(download)
        ReportDownload.objects.filter(pk=download.pk).update(rows_total=source.count)

        def progress(done: int) -> None:
            # Outside any transaction, so the page polling for it sees each step.
            if done % PROGRESS_EVERY == 0:
                ReportDownload.objects.filter(pk=download.pk).update(
                    rows_done=min(done, source.count)
                )

        with tempfile.TemporaryFile() as out:
            if download.fmt == ReportDownload.Format.CSV:
                counted = _Counted(source.rows(), progress)
                for chunk in csv_chunks(source.columns, counted):
                    out.write(chunk.encode("utf-8"))
                written = counted.n
            else:
                written = xlsx_write(
                    title=source.title,
                    columns=source.columns,
                    rows=source.rows(),
                    out=out,
                    on_row=progress,
                )
            out.seek(0)
            with transaction.atomic():
                download.file.save(f"report.{download.fmt}", File(out), save=False)
                download.file_name = f"{source.file_stem}.{download.fmt}"
                download.status = ReportDownload.Status.DONE
                download.rows_total = max(written, source.count)
                download.rows_done = written
                download.finished_at = timezone.now()
                download.save()
    except Exception as exc:
        logger.exception("Report download %s failed", download_id)
        ReportDownload.objects.filter(pk=download_id).update(
            status="failed", error=type(exc).__name__, finished_at=timezone.now()
        )
        raise
    return True


def report_downloads_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Build downloads the broker never delivered (or whose worker died); delete
    the files of those built more than a day ago."""
    now = now or timezone.now()
    waiting = list(
        ReportDownload.objects.filter(
            Q(status="pending") | Q(status="running", started_at__lt=now - STALE_AFTER)
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:20]
    )
    built = sum(report_download_build(download_id=pk) for pk in waiting)
    expired = 0
    for download in ReportDownload.objects.filter(created_at__lt=now - KEEP_FOR):
        if download.file:
            download.file.delete(save=False)
        download.delete()
        expired += 1
    return {"built": built, "expired": expired}
