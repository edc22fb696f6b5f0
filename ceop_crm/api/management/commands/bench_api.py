"""Benchmark the REST API under concurrent load: `python manage.py bench_api`.

Serves the project with gunicorn and the production settings on the configured
PostgreSQL database, then loads, in the same run and on the same server:

- the trivial DRF endpoint `/api/v1/ping/` (token authentication, role check,
  throttle and JSON rendering, no data): the baseline;
- the organisation list, a page of 50 (`/api/v1/organisations/?page_size=50`);
- organisation detail, rotating over the organisations.

Each is requested a bounded number of times from concurrent threads (one
connection per request, as gunicorn's sync workers close them), in
interleaved rounds so drift affects all alike. Prints throughput, p50 and p95,
the ratio of each to the baseline, and the SQL queries of one request of each
(counted in-process). Demo data comes from `seed_demo` when the database has
no organisations. The benchmark user and its token are removed afterwards.
"""

import http.client
import os
import secrets
import signal
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ceop_crm import roles
from ceop_crm.api.services import api_token_create
from partners.models import Organisation

BENCH_USERNAME = "bench-api-manager"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


class Command(BaseCommand):
    help = "Throughput and p50/p95 of API endpoints on gunicorn, beside a trivial endpoint."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--orgs", type=int, default=1000)
        parser.add_argument(
            "--requests", type=int, default=300, help="Per endpoint and round."
        )
        parser.add_argument("--rounds", type=int, default=2)
        parser.add_argument("--concurrency", type=int, default=4)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--port", type=int, default=8765)

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Run the benchmark on PostgreSQL: set DATABASE_URL.")
        if not Organisation.objects.exists():
            self.stdout.write(
                f"Seeding {options['orgs']} organisations with seed_demo…"
            )
            call_command("seed_demo", orgs=options["orgs"], stdout=self.stdout)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # planner statistics for the new rows
        organisation_ids = list(
            Organisation.objects.order_by("pk").values_list("pk", flat=True)
        )
        self.stdout.write(f"Organisations in the database: {len(organisation_ids)}")

        user, _ = get_user_model().objects.get_or_create(username=BENCH_USERNAME)
        user.groups.add(Group.objects.get(name=roles.RELATIONSHIP_MANAGER))
        token, raw = api_token_create(user=user, name="bench_api", actor=None)
        sample = organisation_ids[:: max(1, len(organisation_ids) // 200)]
        endpoints = {
            "ping (trivial DRF)": lambda i: "/api/v1/ping/",
            "organisation list (50)": lambda i: "/api/v1/organisations/?page_size=50",
            "organisation detail": lambda i: (
                f"/api/v1/organisations/{sample[i % len(sample)]}/"
            ),
        }
        try:
            queries = self._query_counts(raw, endpoints)
            server = self._start_gunicorn(options)
            try:
                results = self._load(raw, endpoints, options)
            finally:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=30)
        finally:
            token.delete()
            user.delete()
        self._report(results, queries, options, len(organisation_ids))

    def _query_counts(self, raw: str, endpoints) -> dict[str, int]:
        client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_HOST="127.0.0.1")
        counts = {}
        for name, path in endpoints.items():
            client.get(path(0))  # the token's first use is recorded once
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path(0))
            if response.status_code != 200:
                raise CommandError(
                    f"{name}: {response.status_code} {response.content[:200]}"
                )
            counts[name] = len(captured.captured_queries)
        return counts

    def _start_gunicorn(self, options) -> subprocess.Popen:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "ceop_crm.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
            # The throttle still runs (and counts in the cache) but never refuses.
            "DJANGO_API_THROTTLE_RATE": "100000000/min",
        }
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "ceop_crm.wsgi:application",
            "--bind",
            f"127.0.0.1:{options['port']}",
            "--workers",
            str(options["workers"]),
            "--log-level",
            "warning",
        ]
        server = subprocess.Popen(  # noqa: S603 - fixed command, our own interpreter
            command, env=env, cwd=settings.BASE_DIR, start_new_session=True
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection(
                    "127.0.0.1", options["port"], timeout=2
                )
                conn.request("GET", "/api/v1/ping/")
                if conn.getresponse().status in (200, 401):
                    return server
            except OSError:
                time.sleep(0.3)
        os.killpg(server.pid, signal.SIGTERM)
        raise CommandError("gunicorn did not start within 30 seconds.")

    def _load(self, raw: str, endpoints, options) -> dict[str, dict[str, list[float]]]:
        port = options["port"]
        headers = {"Authorization": f"Bearer {raw}", "Accept": "application/json"}

        def one(path: str) -> float:
            started = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status != 200:
                raise CommandError(f"{path}: HTTP {response.status}")
            return time.perf_counter() - started

        results = {name: {"latencies": [], "walls": []} for name in endpoints}
        with ThreadPoolExecutor(max_workers=options["concurrency"]) as pool:
            for path in endpoints.values():  # warm every worker
                list(pool.map(one, [path(i) for i in range(20)]))
            for _round in range(options["rounds"]):
                for name, path in endpoints.items():
                    paths = [path(i) for i in range(options["requests"])]
                    started = time.perf_counter()
                    results[name]["latencies"] += list(pool.map(one, paths))
                    results[name]["walls"].append(time.perf_counter() - started)
        return results

    def _report(self, results, queries, options, organisations: int) -> None:
        rows = {}
        for name, data in results.items():
            latencies = data["latencies"]
            rows[name] = {
                "rps": len(latencies) / sum(data["walls"]),
                "p50": statistics.median(latencies) * 1000,
                "p95": percentile(latencies, 0.95) * 1000,
            }
        base = rows["ping (trivial DRF)"]
        self.stdout.write(
            f"\nbench_api: {organisations} organisations, gunicorn {options['workers']} "
            f"workers, {options['concurrency']} client threads, "
            f"{options['requests'] * options['rounds']} requests per endpoint\n"
        )
        header = (
            f"{'endpoint':<24}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}"
            f"{'queries':>9}{'p50 x':>8}{'p95 x':>8}{'req/s x':>9}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for name, row in rows.items():
            self.stdout.write(
                f"{name:<24}{row['rps']:>8.1f}{row['p50']:>9.1f}{row['p95']:>9.1f}"
                f"{queries[name]:>9}{row['p50'] / base['p50']:>8.2f}"
                f"{row['p95'] / base['p95']:>8.2f}{row['rps'] / base['rps']:>9.2f}"
            )
        self.stdout.write(
            "\n'x' columns are ratios to the trivial DRF endpoint in the same run."
        )
