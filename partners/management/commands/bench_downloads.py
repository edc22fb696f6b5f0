"""Peak memory of a report download: `python manage.py bench_downloads --rows 100000`.

Adds organisations with ten contacts each until the contacts report holds the
rows asked for (committed, since each export runs in a child process of its
own, and deleted afterwards), then builds the contacts report in a fresh child
process per way of building it and size, and prints the child's peak resident
memory (VmHWM, or ``resource.getrusage(...).ru_maxrss``) before and after the export
beside the export's size and time:

- CSV streamed: the chunks a ``StreamingHttpResponse`` sends, from chunked queries;
- XLSX write-only: openpyxl's write-only workbook over the same rows;
- and, for comparison, the whole report in memory: the rows as a list and the
  CSV as one response body, and a normal (not write-only) openpyxl workbook.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

from partners.dedupe.normalise import name_key
from partners.models import Contact, Organisation

PREFIX = "Bench download organisation"
WAYS = {
    "csv-streamed": "CSV streamed (chunked queries)",
    "xlsx-write-only": "XLSX, openpyxl write-only",
    "csv-in-memory": "CSV built whole in memory",
    "xlsx-in-memory": "XLSX, openpyxl normal workbook",
}


def _maxrss_mb() -> float:
    """This process's peak resident memory. VmHWM is that of this program
    alone; ru_maxrss of a child can carry its parent's from before the exec."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _export(way: str, out) -> int:
    """Write the contacts report to ``out`` one of the ways; returns the rows."""
    from partners.downloads.sources import report_rows
    from partners.downloads.writers import csv_chunks, xlsx_write
    from partners.reports import report_build, report_csv

    if way == "csv-streamed":
        source = report_rows(slug="contacts")
        for chunk in csv_chunks(source.columns, source.rows()):
            out.write(chunk.encode("utf-8"))
        return source.count
    if way == "xlsx-write-only":
        source = report_rows(slug="contacts")
        return xlsx_write(
            title=source.title, columns=source.columns, rows=source.rows(), out=out
        )
    report = report_build(slug="contacts")
    if way == "csv-in-memory":
        out.write(report_csv(report).content)
        return len(report.rows)
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(report.columns)
    for row in report.rows:
        sheet.append(row)
    workbook.save(out)
    return len(report.rows)


class Command(BaseCommand):
    help = "Peak memory of the contacts report's downloads at one or more sizes."

    def add_arguments(self, parser):
        parser.add_argument(
            "--rows", default="100000", help="Contacts, comma-separated sizes."
        )
        parser.add_argument(
            "--ways", default=",".join(WAYS), help="Which ways to measure."
        )
        parser.add_argument("--child", choices=list(WAYS), help=argparse_hidden())

    def handle(self, *args, rows: str, ways: str, child: str | None, **options):
        if child:
            return self._child(child)
        sizes = sorted(int(n) for n in rows.split(","))
        chosen = [w for w in ways.split(",") if w]
        load = os.getloadavg()
        self.stdout.write(
            f"Database: {connection.vendor}; load average {load[0]:.1f} "
            f"{load[1]:.1f} {load[2]:.1f}"
        )
        try:
            self.stdout.write(
                "| contacts | way | peak RSS before | peak RSS after | growth "
                "| file | seconds |"
            )
            self.stdout.write("|---|---|---|---|---|---|---|")
            for size in sizes:
                self._seed_to(size)
                total = Contact.objects.count()
                for way in chosen:
                    result = self._measure(way)
                    self.stdout.write(
                        f"| {total:,} | {WAYS[way]} | {result['before']:.0f} MB "
                        f"| {result['after']:.0f} MB "
                        f"| {result['after'] - result['before']:.0f} MB "
                        f"| {result['bytes'] / 1e6:.1f} MB | {result['seconds']:.1f} |"
                    )
        finally:
            deleted = self._clean_up()
            self.stdout.write(f"Removed the {deleted} organisations added.")

    def _seed_to(self, size: int) -> None:
        have = Contact.objects.count()
        if have >= size:
            return
        start = Organisation.all_objects.filter(name__startswith=PREFIX).count()
        needed = -(-(size - have) // 10)
        for first in range(start, start + needed, 1000):
            names = [
                f"{PREFIX} {i:07d}"
                for i in range(first, min(first + 1000, start + needed))
            ]
            orgs = Organisation.objects.bulk_create(
                [Organisation(name=n, name_key=name_key(n)) for n in names]
            )
            Contact.objects.bulk_create(
                [
                    Contact(
                        organisation=org,
                        name=f"Contact {j} of {org.pk}",
                        job_title="Head of trust and safety",
                        email=f"contact{j}.{org.pk}@example.org",
                        phone="+44 20 7946 0000",
                        is_primary=j == 0,
                    )
                    for org in orgs
                    for j in range(10)
                ],
                batch_size=2000,
            )

    def _clean_up(self) -> int:
        orgs = Organisation.all_objects.filter(name__startswith=PREFIX)
        # Raw deletes: no history rows for what the benchmark added.
        contacts = Contact.objects.filter(organisation__in=orgs)
        contacts._raw_delete(contacts.db)
        count = orgs.count()
        orgs._raw_delete(orgs.db)
        return count

    def _measure(self, way: str) -> dict:
        done = subprocess.run(  # noqa: S603
            [
                sys.executable,
                str(settings.BASE_DIR / "manage.py"),
                "bench_downloads",
                "--child",
                way,
            ],
            capture_output=True,
            text=True,
            check=True,
            env=os.environ.copy(),
        )
        return json.loads(done.stdout.strip().splitlines()[-1])

    def _child(self, way: str) -> None:
        # Django, the apps and the database connection are loaded first, so
        # "before" is what the process holds before it reads a row.
        Contact.objects.exists()
        before = _maxrss_mb()
        started = time.perf_counter()
        with tempfile.TemporaryFile() as out:
            rows = _export(way, out)
            size = out.tell()
        self.stdout.write(
            json.dumps(
                {
                    "rows": rows,
                    "bytes": size,
                    "seconds": time.perf_counter() - started,
                    "before": before,
                    "after": _maxrss_mb(),
                }
            )
        )


def argparse_hidden():
    import argparse

    return argparse.SUPPRESS
