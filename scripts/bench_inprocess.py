"""The benchmark's in-process modes (run inside Django by scripts/bench.py, which
calls itself with --inprocess, --sessions or --profile-page): choose each
page's URL, count its queries and time it without the server, print the
signed-in credentials for the HTTP clients, or profile one request.
"""

from __future__ import annotations

import json
import statistics
import sys
import time

from bench_pages import BY_NAME
from bench_setup import ROOT

# Requests timed in this process for each page (the median is kept).
IN_PROCESS_REQUESTS = 5


def django_setup() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def inprocess_sessions(count: int) -> None:
    """Print signed-in credentials for the HTTP clients as JSON (last line)."""
    django_setup()
    from bench_pages import sign_in, without_clients

    print(json.dumps(without_clients(sign_in(count))))


def inprocess(explain: bool) -> None:
    """Choose the URLs and count each page's queries; JSON on the last line."""
    django_setup()
    from bench_pages import choose_urls, sign_in
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from partners.models import Organisation

    credentials = sign_in(1)
    chosen = choose_urls()
    urls = chosen["urls"]
    counts: dict[str, dict] = {}
    waited = [0.0]

    def timed(execute, sql_text, params, many, context):
        """Adds up the time spent waiting on PostgreSQL."""
        started = time.perf_counter()
        try:
            return execute(sql_text, params, many, context)
        finally:
            waited[0] += time.perf_counter() - started

    for name, url in urls.items():
        client = credentials[BY_NAME[name].who][0]["client"]
        warm = client.get(url)
        if warm.status_code != 200:
            raise SystemExit(f"In-process GET {url} answered {warm.status_code}")
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"In-process GET {url} answered {response.status_code}")
        # Read now: every later request clears the connection's query log.
        queries = list(captured.captured_queries)
        slowest = max(queries, key=lambda q: float(q["time"]))
        # Where the time goes, without the server: the whole request in this
        # process, and the part spent waiting on PostgreSQL.
        totals, sql = [], []
        for _ in range(IN_PROCESS_REQUESTS):
            waited[0] = 0.0
            with connection.execute_wrapper(timed):
                started = time.perf_counter()
                client.get(url)
                totals.append(time.perf_counter() - started)
            sql.append(waited[0])
        counts[name] = {
            "queries": len(queries),
            "in_process_ms": statistics.median(totals) * 1000,
            "sql_ms": statistics.median(sql) * 1000,
            "slowest_query_ms": float(slowest["time"]) * 1000,
            "slowest_query": slowest["sql"][:400],
        }
        if explain:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
                plan = "\n".join(row[0] for row in cursor.fetchall())
            print(
                f"--- {name}: slowest query, EXPLAIN ANALYZE\n{slowest['sql']}\n{plan}"
            )
    print(
        json.dumps(
            {
                "organisations": Organisation.objects.count(),
                "detail_organisation": chosen["detail"],
                "today": timezone.localdate().isoformat(),
                "urls": urls,
                "queries": counts,
            }
        )
    )


def inprocess_profile(page: str, top: int, requests: int = 1) -> None:
    """Print the top functions of requests to the page (cProfile, summed), and
    the time spent in each module's own code."""
    import cProfile
    import io
    import pstats

    django_setup()
    from bench_pages import choose_urls, sign_in

    credentials = sign_in(1)
    url = choose_urls()["urls"][page]
    client = credentials[BY_NAME[page].who][0]["client"]
    for _ in range(3):  # warm: templates, caches, the connection
        client.get(url)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(requests):
        response = client.get(url)
    profiler.disable()
    elapsed = (time.perf_counter() - started) / requests
    print(
        f"== Profile of {page} ({url}): {response.status_code}, "
        f"{elapsed * 1000:.1f} ms a request under the profiler, "
        f"{requests} request(s) summed =="
    )
    stats = pstats.Stats(profiler)
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(
            top
        )
        print(f"\n-- top {top} by {order} --")
        print(out.getvalue().split("\n", 4)[-1])
    by_module: dict[str, float] = {}
    for (filename, _line, _name), row in stats.stats.items():
        module = _module_of(filename)
        by_module[module] = by_module.get(module, 0.0) + row[2]
    total = sum(by_module.values()) or 1.0
    print(f"-- own time by module, ms a request (of {total * 1000 / requests:.1f}) --")
    for module, seconds in sorted(by_module.items(), key=lambda kv: -kv[1])[:top]:
        print(f"{seconds * 1000 / requests:8.2f}  {module}")


def _module_of(filename: str) -> str:
    """A short name for where a function lives: the package path after
    site-packages or the project root, without the file's extension."""
    for marker in ("site-packages/", str(ROOT) + "/"):
        if marker in filename:
            filename = filename.split(marker, 1)[1]
            break
    return filename.removesuffix(".py")
