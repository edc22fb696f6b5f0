"""Benchmark imports and duplicate detection: `python manage.py bench_import`.

1. Import of N rows (default 10,000: an organisation with its primary contact
   each) through the real path (a chunk of rows a transaction; new
   organisations checked by the services' rules and written in bulk with
   their history, partners.imports.bulk), beside the
   floor: one plain bulk insert of the same organisations and contacts (and one
   with their history rows), in the same run. Prints rows/s and the ratio.
2. The duplicate check of one new name (and website) against M organisations
   (default 100,000, made in bulk): p50/p95 over many names, and the plan of
   its query, which must use the trigram index on PostgreSQL.

The import commits chunk by chunk as it does in production, so what it made is
deleted afterwards, history included; everything else runs in transactions
that are rolled back. The database is left as it was. Meant for PostgreSQL; on
SQLite it runs the fallback.
"""

import random
import statistics
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from simple_history.utils import bulk_create_with_history

from ceop_crm import roles
from partners.dedupe.normalise import name_key, website_domain
from partners.dedupe.selectors import (
    duplicate_candidates_sql,
    organisation_likely_duplicates,
)
from partners.imports import services
from partners.imports.mapping import import_job_map
from partners.imports.models import ImportJob, ImportRow
from partners.imports.reading import sheet_write_xlsx
from partners.models import Contact, Organisation, Sector

WORDS = [
    "Harbour",
    "Northern",
    "Bright",
    "Safe",
    "Online",
    "Digital",
    "Child",
    "Family",
    "Youth",
    "Secure",
    "Trust",
    "Lantern",
    "Beacon",
    "Coastal",
    "Urban",
    "Rural",
    "Kind",
    "Open",
    "Clear",
    "Guard",
    "Shield",
    "Haven",
    "Bridge",
    "Compass",
    "Anchor",
    "Summit",
    "Meadow",
    "River",
    "Valley",
    "Oak",
    "Cedar",
    "Willow",
    "Maple",
    "Harvest",
    "Signal",
    "Network",
    "Cyber",
    "Data",
    "Cloud",
    "Learning",
    "Schools",
    "Play",
    "Games",
    "Stream",
    "Media",
    "Social",
    "Connect",
    "Care",
    "Wellbeing",
    "Foundation",
    "Alliance",
    "Partnership",
    "Collective",
    "Institute",
    "Centre",
    "Labs",
    "Systems",
    "Solutions",
    "Services",
    "Works",
    "Studio",
    "Forum",
    "Council",
]
SUFFIXES = ["", "", "", " Ltd", " plc", " Limited", " CIC", " LLP", " Trust"]


class _Rollback(Exception):
    pass


# Invented words, so the names have the spread of trigrams real names have
# rather than a few words repeated 100,000 times.
SYLLABLES = [
    "ka",
    "ri",
    "mo",
    "ve",
    "lin",
    "dor",
    "tha",
    "bel",
    "sen",
    "wyn",
    "ash",
    "cor",
    "fen",
    "gal",
    "hur",
    "ist",
    "jor",
    "kel",
    "lum",
    "mar",
    "nor",
    "ost",
    "pen",
    "quin",
    "ros",
    "sal",
    "tor",
    "ul",
    "van",
    "wil",
    "yar",
    "zen",
    "bro",
    "cla",
    "dru",
    "ev",
    "om",
    "ta",
]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3)))).title()


def _names(rng: random.Random, n: int, seen: set[str]) -> list[str]:
    names = []
    while len(names) < n:
        words = [_word(rng) for _ in range(rng.choice((1, 2)))]
        words += rng.sample(WORDS, rng.choice((0, 1, 1, 2)))
        name = " ".join(words) + rng.choice(SUFFIXES)
        key = name_key(name)
        if key in seen:
            continue
        seen.add(key)
        names.append(name)
    return names


def _domain(name: str) -> str:
    return name_key(name)[:40] + ".example"


class Command(BaseCommand):
    help = "Time an import of N rows against a bulk insert, and the duplicate check."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10_000)
        parser.add_argument("--orgs", type=int, default=100_000)
        parser.add_argument("--checks", type=int, default=300)
        parser.add_argument("--seed", type=int, default=12)

    def handle(self, *args, rows: int, orgs: int, checks: int, seed: int, **options):
        self.rng = random.Random(seed)
        self.stdout.write(
            f"Database: {connection.vendor}; {rows:,} rows to import; "
            f"{orgs:,} organisations for the duplicate check."
        )
        user = get_user_model().objects.create(
            username=f"bench-import-{int(time.time())}", email="bench@ceop.example"
        )
        user.groups.add(Group.objects.get(name=roles.SENIOR_MANAGER))
        self._vacuum()
        seen = set(Organisation.all_objects.values_list("name_key", flat=True))
        import_names = _names(self.rng, rows, seen)
        floor_names = _names(self.rng, rows, seen)
        try:
            self._import(user, import_names, floor_names)
            try:
                with transaction.atomic():
                    self._duplicates(orgs, checks, seen)
                    raise _Rollback
            except _Rollback:
                pass
        finally:
            self._clean_up(user)
            self._vacuum()
        self.stdout.write("Cleaned up: the database is as it was.")

    def _vacuum(self) -> None:
        """Clear the dead rows a run leaves (the 100,000 organisations rolled
        back, the import deleted), before and after: left in the trigram index,
        they made the next run's duplicate checks read them all (an import of
        1,000 rows paid 12 ms a row for them)."""
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            for model in (Organisation, Contact, ImportRow):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
            for model in (Organisation, Contact):
                cursor.execute(f"VACUUM ANALYZE {model.history.model._meta.db_table}")

    def _clean_up(self, user) -> None:
        """Delete what the import committed, with its history."""
        with transaction.atomic():
            jobs = ImportJob.objects.filter(created_by=user)
            org_ids = list(
                ImportRow.objects.filter(job__in=jobs)
                .exclude(organisation=None)
                .values_list("organisation_id", flat=True)
            )
            contact_ids = list(
                Contact.objects.filter(organisation_id__in=org_ids).values_list(
                    "pk", flat=True
                )
            )
            jobs.delete()
            Contact.objects.filter(pk__in=contact_ids).delete()
            Contact.history.filter(id__in=contact_ids).delete()
            Organisation.all_objects.filter(pk__in=org_ids).delete()
            Organisation.history.filter(id__in=org_ids).delete()
            user.delete()

    # --- 1. import against the floor ------------------------------------------------

    def _import(self, user, names: list[str], floor_names: list[str]):
        headers = ["Reference", "Organisation", "Sector", "Website", "Contact", "Email"]
        sectors = [label for _, label in Sector.choices]
        table = [
            [
                f"B-{i:06d}",
                name,
                sectors[i % len(sectors)],
                _domain(name),
                f"Contact {i}",
                f"contact{i}@{_domain(name)}",
            ]
            for i, name in enumerate(names)
        ]
        content = sheet_write_xlsx(headers=headers, rows=table)
        started = time.perf_counter()
        job = services.import_job_create(name="bench.xlsx", content=content, actor=user)
        import_job_map(job=job, mapping=job.mapping, actor=user)
        upload = time.perf_counter() - started
        services.import_job_confirm(job=job, actor=user)
        queries = []
        with connection.execute_wrapper(
            lambda execute, *args: queries.append(1) or execute(*args)
        ):
            started = time.perf_counter()
            job = services.import_job_run(job_id=job.pk)
            run = time.perf_counter() - started
        per_row = len(queries) / len(names)
        n = len(names)
        self.stdout.write(
            f"\nImport of {n:,} rows (organisation + primary contact, 50 rows a "
            "transaction: new organisations checked by the services' rules and "
            "written in bulk, with history and the duplicate check of each):"
        )
        self.stdout.write(
            f"  reading and storing the file: {upload:.2f} s ({n / upload:,.0f} rows/s)"
        )
        self.stdout.write(
            f"  running the rows: {run:.2f} s = {n / run:,.0f} rows/s; "
            f"{per_row:.1f} queries a row; outcome: {job.created:,} created, "
            f"{job.failed:,} failed"
        )

        floor_rows = [
            (name, sectors[i % len(sectors)].lower(), _domain(name), i)
            for i, name in enumerate(floor_names)
        ]
        sector_values = {label: value for value, label in Sector.choices}

        def organisations(prefix: str):
            return [
                Organisation(
                    name=name,
                    name_key=name_key(name),
                    sector=sector_values.get(sectors[i % len(sectors)], "other"),
                    website="https://" + domain,
                    domain=website_domain(domain),
                    external_ref=f"{prefix}-{i:06d}",
                )
                for name, _sector, domain, i in floor_rows
            ]

        def contacts(created):
            return [
                Contact(
                    organisation=org,
                    name=f"Contact {i}",
                    email=f"contact{i}@{org.domain}",
                    is_primary=True,
                )
                for i, org in enumerate(created)
            ]

        with transaction.atomic():
            started = time.perf_counter()
            created = Organisation.objects.bulk_create(
                organisations("F"), batch_size=1000
            )
            Contact.objects.bulk_create(contacts(created), batch_size=1000)
            plain = time.perf_counter() - started
            transaction.set_rollback(True)
        with transaction.atomic():
            started = time.perf_counter()
            created = bulk_create_with_history(
                organisations("H"), Organisation, batch_size=1000, default_user=user
            )
            bulk_create_with_history(
                contacts(created), Contact, batch_size=1000, default_user=user
            )
            with_history = time.perf_counter() - started
            transaction.set_rollback(True)
        self.stdout.write(
            f"  floor, plain bulk insert of the same rows: {plain:.2f} s = "
            f"{n / plain:,.0f} rows/s -> import / floor = {run / plain:.1f}x"
        )
        self.stdout.write(
            f"  floor, bulk insert with history rows: {with_history:.2f} s = "
            f"{n / with_history:,.0f} rows/s -> import / floor = "
            f"{run / with_history:.1f}x"
        )
        return job

    # --- 2. the duplicate check ----------------------------------------------------------

    def _duplicates(self, orgs: int, checks: int, seen: set[str]) -> None:
        existing = Organisation.objects.count()
        wanted = max(0, orgs - existing)
        started = time.perf_counter()
        names = _names(self.rng, wanted, seen)
        for start in range(0, wanted, 5000):
            Organisation.objects.bulk_create(
                Organisation(
                    name=name,
                    name_key=name_key(name),
                    sector="other",
                    website="https://" + _domain(name),
                    domain=_domain(name),
                )
                for name in names[start : start + 5000]
            )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE partners_organisation")
        total = Organisation.objects.count()
        self.stdout.write(
            f"\nDuplicate check of one new name against {total:,} organisations "
            f"(made in {time.perf_counter() - started:.1f} s):"
        )
        probes = []
        for name in self.rng.sample(names or list(seen), min(checks, len(names) or 1)):
            # A new name a person might type: a typo or another legal form of one
            # already recorded, or a name that is not there at all.
            kind = self.rng.random()
            if kind < 0.4:
                probe = name.replace("a", "e", 1) + " Ltd"
            elif kind < 0.7:
                probe = name.lower()
            else:
                probe = f"{_word(self.rng)} {self.rng.choice(WORDS)} Group"
            probes.append((probe, "https://" + _domain(probe)))
        timings = []
        found = 0
        for probe, website in probes:
            started = time.perf_counter()
            result = organisation_likely_duplicates(name=probe, website=website)
            timings.append((time.perf_counter() - started) * 1000)
            found += bool(result)
        timings.sort()
        p95 = timings[int(0.95 * (len(timings) - 1))]
        self.stdout.write(
            f"  {len(timings)} checks: p50 {statistics.median(timings):.1f} ms, "
            f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms; "
            f"{found} of them found a likely duplicate"
        )
        if connection.vendor != "postgresql":
            self.stdout.write("  (SQLite fallback: no trigram index, no plan shown)")
            return
        probe, website = probes[0]
        sql, params = duplicate_candidates_sql(
            [(name_key(probe), {website_domain(website)}, None)], 5
        )
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = [row[0] for row in cursor.fetchall()]
        self.stdout.write(f"  query plan of the check of “{probe}” ({website}):")
        for line in plan:
            self.stdout.write("    " + line)
        uses_index = any("partners_organisation_name_key_trgm" in line for line in plan)
        self.stdout.write(
            "  the trigram index is used"
            if uses_index
            else "  THE TRIGRAM INDEX IS NOT USED"
        )
