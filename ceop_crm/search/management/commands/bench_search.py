"""Time the global search at N organisations and print the query plan.

    DATABASE_URL=postgres://... python manage.py bench_search --orgs 100000

Adds organisations (with generated names) up to ``--orgs`` inside a
transaction that is rolled back at the end, so the database is left as it was;
times ``global_search`` (every kind, as the search box asks) for typed
prefixes, whole names, misspellings and words that match nothing; prints p50,
p95 and the slowest, and EXPLAIN (ANALYZE, BUFFERS) of the organisations query.
"""

import random
import statistics
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from ceop_crm import roles
from ceop_crm.search import selectors
from partners.dedupe.normalise import name_key
from partners.management.commands.bench_import import _names, _word
from partners.models import Organisation


class _Rollback(Exception):
    pass


def _probe(rng: random.Random, name: str) -> str:
    """What a person might type for this name."""
    kind = rng.random()
    words = name.split()
    if kind < 0.35:  # as you type: the first word and the start of the next
        return " ".join([*words[:1], *(w[:3] for w in words[1:2])])
    if kind < 0.6:  # the whole name
        return name
    if kind < 0.85:  # a misspelling
        first = words[0]
        at = rng.randrange(1, max(2, len(first) - 1))
        return " ".join([first[:at] + first[at + 1 :], *words[1:]])
    return f"{_word(rng)}zq"  # nothing matches


class Command(BaseCommand):
    help = "Time the global search at N organisations and show its query plan."

    def add_arguments(self, parser):
        parser.add_argument("--orgs", type=int, default=100_000)
        parser.add_argument("--queries", type=int, default=200)
        parser.add_argument("--seed", type=int, default=17)

    def handle(self, *args, orgs: int, queries: int, seed: int, **options):
        rng = random.Random(seed)
        try:
            with transaction.atomic():
                self._run(rng, orgs, queries)
                raise _Rollback
        except _Rollback:
            pass
        self.stdout.write("Rolled back: the database is as it was.")

    def _run(self, rng: random.Random, orgs: int, queries: int) -> None:
        user = get_user_model().objects.create(username=f"bench-search-{time.time()}")
        user.groups.add(Group.objects.get(name=roles.RELATIONSHIP_MANAGER))
        seen = set(Organisation.all_objects.values_list("name_key", flat=True))
        wanted = max(0, orgs - Organisation.objects.count())
        started = time.perf_counter()
        names = _names(rng, wanted, seen)
        for start in range(0, wanted, 5000):
            Organisation.objects.bulk_create(
                Organisation(name=n, name_key=name_key(n), sector="other")
                for n in names[start : start + 5000]
            )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE partners_organisation")
        total = Organisation.objects.count()
        self.stdout.write(
            f"Database: {connection.vendor}; {total:,} organisations "
            f"({wanted:,} added in {time.perf_counter() - started:.1f} s)."
        )
        pool = names or list(Organisation.objects.values_list("name", flat=True)[:1000])
        probes = [_probe(rng, rng.choice(pool)) for _ in range(queries)]
        selectors.global_search(user=user, text=probes[0])  # warm up
        timings, found = [], 0
        for text in probes:
            started = time.perf_counter()
            groups = selectors.global_search(user=user, text=text)
            timings.append((time.perf_counter() - started) * 1000)
            found += bool(groups)
        timings.sort()
        p95 = timings[int(0.95 * (len(timings) - 1))]
        self.stdout.write(
            f"{len(timings)} searches (every kind): p50 "
            f"{statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, "
            f"max {timings[-1]:.1f} ms; {found} found something."
        )
        # Baseline in the same run (the machine's load moves every figure): one
        # unindexed substring match of the first word over the organisations.
        baseline = []
        for text in probes:
            word = (selectors.search_words(text) or ["x"])[0]
            started = time.perf_counter()
            list(Organisation.objects.filter(name__icontains=word).values("pk")[:5])
            baseline.append((time.perf_counter() - started) * 1000)
        baseline.sort()
        base95 = baseline[int(0.95 * (len(baseline) - 1))]
        self.stdout.write(
            f"Baseline, one substring match of the first word (organisations only): "
            f"p95 {base95:.1f} ms; search p95 / baseline p95 = {p95 / base95:.2f}."
        )
        if connection.vendor != "postgresql":
            self.stdout.write(
                "(SQLite fallback: no full-text or trigram index, no plan)"
            )
            return
        text = next(p for p in probes if len(p.split()) > 1)
        words = selectors.search_words(text)
        sql, params = selectors.organisation_query(text, words).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = [row[0] for row in cursor.fetchall()]
        self.stdout.write(f"Query plan of the organisations search for “{text}”:")
        for line in plan:
            self.stdout.write("  " + line)
        for index in (
            "search_organisation_name_fts",
            "partners_organisation_name_key_trgm",
        ):
            used = any(index in line for line in plan)
            self.stdout.write(f"  {index}: {'used' if used else 'NOT USED'}")
