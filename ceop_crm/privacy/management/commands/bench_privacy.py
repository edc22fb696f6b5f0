"""Time the subject access export and the erasure, and print the search's plan.

Seeds N organisations with ``seed_demo`` into the current (empty) database when
it holds none, picks a contact that appears in the history, and prints: the
person search's time and PostgreSQL query plan, the subject access export's
collection and ZIP times, and the erasure's time. The erasure is rolled back.
"""

import json
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import Count

from ceop_crm.privacy.selectors import (
    PersonQuery,
    person_search,
    person_search_queryset,
)
from ceop_crm.privacy.services import person_erase
from ceop_crm.privacy.services.exports import (
    subject_access_export_collect,
    subject_access_export_zip,
)
from partners.models import Contact, Organisation


class Rollback(Exception):
    pass


def plan_full_scans(plan: list) -> list[str]:
    """The tables a JSON query plan reads whole: sequential scans, and index
    scans with no index condition (a walk of the whole index)."""
    found = []

    def walk(node: dict) -> None:
        kind = node.get("Node Type", "")
        if kind == "Seq Scan" or (
            kind in ("Index Scan", "Index Only Scan") and "Index Cond" not in node
        ):
            found.append(f"{kind} on {node.get('Relation Name')}")
        for child in node.get("Plans", []):
            walk(child)

    for entry in plan:
        walk(entry["Plan"])
    return found


class Command(BaseCommand):
    help = "Benchmark person search, subject access export and erasure."

    def _scans(self, label: str, plan: str) -> None:
        lines = [line.strip().removeprefix("->  ") for line in plan.splitlines()]
        seq = sorted(
            {
                line.split(" on ")[1].split()[0]
                for line in lines
                if line.startswith("Seq Scan on")
            }
        )
        indexed = sorted(
            {
                line.split(" on ")[-1].split()[0]
                for line in lines
                if line.startswith("Bitmap Index Scan on")
                or line.startswith("Index Scan using")
            }
        )
        self.stdout.write(
            f"{label}: sequential scans on {len(seq)} tables {seq}; index scans on {len(indexed)} indexes"
        )
        if seq:
            with connection.cursor() as cursor:
                for table in seq:
                    cursor.execute(
                        "SELECT reltuples::bigint, relpages FROM pg_class WHERE relname = %s",
                        [table],
                    )
                    rows, pages = cursor.fetchone()
                    self.stdout.write(f"  {table}: about {rows} rows in {pages} pages")

    def add_arguments(self, parser):
        parser.add_argument("--orgs", type=int, default=10000)

    def handle(self, *args, orgs: int, **options):
        if not Organisation.objects.exists():
            started = time.perf_counter()
            call_command("seed_demo", orgs=orgs, verbosity=0)
            self.stdout.write(
                f"seeded {orgs} organisations in {time.perf_counter() - started:.1f} s"
            )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        # The most common contact name: the heaviest person to find, export and erase.
        common = (
            Contact.objects.values("name")
            .annotate(n=Count("pk"))
            .order_by("-n", "name")
            .first()
        )
        contact = Contact.objects.filter(name=common["name"]).exclude(email="").first()
        self.stdout.write(
            f"person: the most common contact name, held by {common['n']} contacts"
        )
        self.stdout.write(
            f"organisations {Organisation.objects.count()}, contacts "
            f"{Contact.objects.count()}, contact versions {Contact.history.count()}"
        )
        query = PersonQuery.of(name=contact.name, email=contact.email, exact=False)
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            matches = person_search(query=query)
            timings.append(time.perf_counter() - started)
        self.stdout.write(
            f"person search: {len(matches)} matches, best of 5 {min(timings) * 1000:.1f} ms"
        )
        if connection.vendor == "postgresql":
            plan = person_search_queryset(query=query).explain()
            self.stdout.write("person search plan:\n" + plan)
            self._scans("as planned", plan)
            with transaction.atomic(), connection.cursor() as cursor:
                # Sequential scans priced out: any full scan left would be a
                # table the search cannot read through an index.
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("SET LOCAL enable_indexscan = off")
                forced = person_search_queryset(query=query).explain(format="json")
            full = plan_full_scans(json.loads(forced))
            self.stdout.write(
                f"with only bitmap index scans allowed: {len(full)} full scans {full}"
            )
        exact = PersonQuery.of(name=contact.name, email=contact.email)
        started = time.perf_counter()
        data = subject_access_export_collect(query=exact)
        collected = time.perf_counter() - started
        content = subject_access_export_zip(data)
        zipped = time.perf_counter() - started
        records = sum(len(p["current"]) + len(p["versions"]) for p in data["places"])
        self.stdout.write(
            f"subject access export: {records} records, collect {collected:.3f} s, "
            f"with ZIP {zipped:.3f} s ({len(content)} bytes)"
        )
        try:
            with transaction.atomic():
                started = time.perf_counter()
                event = person_erase(query=exact, reason="Benchmark", actor=None)
                erased = time.perf_counter() - started
                self.stdout.write(f"erasure: {erased:.3f} s, {event.counts}")
                raise Rollback
        except Rollback:
            self.stdout.write("erasure rolled back")
