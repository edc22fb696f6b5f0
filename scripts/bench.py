"""`make bench`: every page people use, against three baselines, at each data size.

For each size (1,000 and 10,000 organisations by default; `--sizes
1000,10000,100000` for the third) it

1. creates a fresh PostgreSQL database (<prefix>1k, <prefix>10k, <prefix>100k;
   prefix `ceop_bench_` unless --db-prefix) on the server of BENCH_DATABASE_URL
   (default postgres://postgres@127.0.0.1:5432), migrates it, loads
   `manage.py seed_demo --orgs N` and prints how long that took (--reuse keeps a
   database already seeded with that many organisations);
2. in-process, with production settings: makes the demo users, picks each page's
   URL (scripts/bench_pages.py) and counts each page's SQL queries with
   CaptureQueriesContext (after one warm-up request), keeping the slowest query
   of each, and the time of a few requests in this process and in PostgreSQL;
3. serves the app with gunicorn (2 workers) and production settings (static
   files collected into a temporary STATIC_ROOT and served by whitenoise,
   DJANGO_BENCH_VIEWS=True for the baselines under /bench/, the API throttle
   raised out of the way);
4. times, over keep-alive HTTP connections, every page as the person who uses
   it (the relationship manager, the partner user, the administrator, a token
   of the manager for the API) next to the baselines (a trivial view through the
   full middleware; twenty ORM rows rendered in the staff layout; a plain DRF
   list of the API's rows): a bounded number of sequential rounds, each round
   one request to every page in turn, then a few client threads at once.

It prints median and p95 times, each page's ratio to the baselines, its query
count, the growth from the smallest to the largest data set and the aims line
by line with PASS or MISS (scripts/bench_report.py), and writes the figures as
JSON into bench-results/. `--profile PAGE` instead prints the top functions of
one request to that page (cProfile) at the largest size; `--load` adds a
bounded load run of many users at once (scripts/bench_load.py). Only 127.0.0.1
is spoken to; every request has a time-out and each size a time limit.

    .venv/bin/python scripts/bench.py [--sizes 1000,10000,100000] [--requests 200]
        [--threads 4] [--thread-requests 25] [--reuse] [--db-prefix NAME]
        [--explain] [--profile PAGE] [--load [--load-users 20 --load-seconds 60]]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bench_http import Browser, percentile
from bench_inprocess import (
    django_setup,
    inprocess,
    inprocess_profile,
    inprocess_sessions,
)
from bench_pages import BY_NAME
from bench_setup import (
    PYTHON,
    ROOT,
    Server,
    manage,
    prepare_database,
    server_env,
    size_label,
)

RESULTS = ROOT / "bench-results"
ROUND_TIME_LIMIT = 15 * 60  # seconds of timing per data set, at most


def this_script(env: dict[str, str], *args: str) -> str:
    """Run this script's in-process modes in the size's environment."""
    out = subprocess.run(  # noqa: S603 - this script
        [PYTHON, __file__, *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE,
    ).stdout
    return out


@dataclass
class Timings:
    sequential: dict[str, list[float]] = field(default_factory=dict)
    concurrent: dict[str, list[float]] = field(default_factory=dict)
    concurrent_wall: float = 0.0

    def summary(self, kind: str, page: str) -> dict[str, float]:
        values = getattr(self, kind)[page]
        return {
            "n": len(values),
            "median_ms": statistics.median(values) * 1000,
            "p95_ms": percentile(values, 95) * 1000,
        }


class Tabs:
    """One browser tab per kind of user (staff, partner, admin, api)."""

    def __init__(self, port: int, credentials: dict[str, list[dict]]) -> None:
        self.tabs = {
            kind: Browser(port, items[0]["cookies"], items[0]["headers"])
            for kind, items in credentials.items()
        }

    def timed_get(self, name: str, path: str) -> float:
        tab = self.tabs[BY_NAME[name].who]
        started = time.perf_counter()
        status, content = tab.get(path)
        elapsed = time.perf_counter() - started
        if status != 200:
            raise SystemExit(f"GET {path} answered {status}")
        if not content:
            raise SystemExit(f"GET {path} answered an empty page")
        return elapsed

    def close(self) -> None:
        for tab in self.tabs.values():
            tab.close()


def measure(
    port: int,
    credentials: dict[str, list[dict]],
    urls: dict[str, str],
    *,
    rounds: int,
    threads: int,
    thread_rounds: int,
) -> Timings:
    timings = Timings(
        sequential={name: [] for name in urls},
        concurrent={name: [] for name in urls},
    )
    started = time.monotonic()
    tabs = Tabs(port, credentials)
    for _ in range(3):  # warm-up: both workers, every page, caches, connections
        for name, path in urls.items():
            tabs.timed_get(name, path)
    names = list(urls)
    for index in range(rounds):
        # Rotate the order so no page always follows the same one.
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            timings.sequential[name].append(tabs.timed_get(name, urls[name]))
        if time.monotonic() - started > ROUND_TIME_LIMIT:
            print(f"  time limit reached after {index + 1} rounds", flush=True)
            break
    tabs.close()

    lock = threading.Lock()
    errors: list[BaseException] = []

    def worker(offset: int) -> None:
        own = Tabs(port, credentials)
        try:
            for index in range(thread_rounds):
                shift = (index + offset) % len(names)
                for name in names[shift:] + names[:shift]:
                    elapsed = own.timed_get(name, urls[name])
                    with lock:
                        timings.concurrent[name].append(elapsed)
        except BaseException as error:  # reported below, after the join
            errors.append(error)
        finally:
            own.close()

    wall = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=ROUND_TIME_LIMIT)
    timings.concurrent_wall = time.perf_counter() - wall
    if errors:
        raise SystemExit(f"A client thread failed: {errors[0]}")
    return timings


# --- Main -------------------------------------------------------------------------


def credentials_for(env: dict[str, str], count: int) -> dict[str, list[dict]]:
    out = this_script(env, "--sessions", str(count))
    return json.loads(out.strip().splitlines()[-1])


def time_size(args, label: str, env: dict[str, str], prepared: dict) -> dict:
    print(f"\n## {prepared['organisations']:,} organisations: timing", flush=True)
    credentials = credentials_for(env, 1)
    server = Server(env, RESULTS / f"gunicorn-{label}.log")
    try:
        server.wait_ready()
        print(
            f"  timing {len(prepared['urls'])} pages on gunicorn (port {server.port})…",
            flush=True,
        )
        load_before = os.getloadavg()[0]
        timings = measure(
            server.port,
            credentials,
            prepared["urls"],
            rounds=args.requests,
            threads=args.threads,
            thread_rounds=args.thread_requests,
        )
    finally:
        server.stop()
    load_after = os.getloadavg()[0]
    total_concurrent = sum(len(v) for v in timings.concurrent.values())
    names = prepared["urls"]
    return {
        "organisations": prepared["organisations"],
        "detail_organisation": prepared["detail_organisation"],
        "urls": prepared["urls"],
        "queries": prepared["queries"],
        "threads": args.threads,
        "sequential": {n: timings.summary("sequential", n) for n in names},
        "concurrent": {n: timings.summary("concurrent", n) for n in names},
        "concurrent_rps": total_concurrent / timings.concurrent_wall,
        "load": [load_before, load_after],
    }


def run_load(args, label: str, env: dict[str, str]) -> list[str]:
    from bench_load import load_report, load_run

    print(f"\n## load run at {label}", flush=True)
    credentials = credentials_for(env, args.load_users)
    urls = json.loads(
        this_script(env, "--urls").strip().splitlines()[-1],
    )
    load_env = {**env, "GUNICORN_WORKERS": str(args.load_workers)}
    server = Server(
        load_env, RESULTS / f"gunicorn-load-{label}.log", port=args.port, config=True
    )
    try:
        server.wait_ready()
        before = os.getloadavg()[0]
        result = load_run(
            server.port,
            credentials,
            urls,
            users=args.load_users,
            seconds=args.load_seconds,
        )
    finally:
        server.stop()
    lines = load_report(result, (before, os.getloadavg()[0]))
    lines.insert(1, f"(gunicorn.conf.py, {args.load_workers} workers, {label})")
    return lines


def run(args: argparse.Namespace) -> None:
    from bench_report import report

    base_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432"
    ).rstrip("/")
    sizes = [int(s) for s in args.sizes.split(",")]
    secret = secrets.token_urlsafe(40)
    static_root = tempfile.mkdtemp(prefix="ceop-bench-static-")
    RESULTS.mkdir(exist_ok=True)
    results: dict[str, dict] = {}
    envs: dict[str, dict[str, str]] = {}
    prepared: dict[str, dict] = {}
    lines: list[str] = []
    try:
        for orgs in sizes:
            label = size_label(orgs)
            envs[label] = server_env(
                f"{base_url}/{args.db_prefix}{label}", static_root, secret
            )
            prepare_database(args, base_url, orgs, envs[label])
        largest = size_label(sizes[-1])
        manage(envs[largest], "collectstatic", "--no-input", "-v", "0")
        if args.profile:
            print(
                this_script(
                    envs[largest],
                    "--profile-page",
                    args.profile,
                    "--top",
                    str(args.top),
                    "--profile-requests",
                    str(args.profile_requests),
                )
            )
            return
        if not args.load_only:
            # Every in-process count first, back to back, from the same code.
            for orgs in sizes:
                label = size_label(orgs)
                print(f"\n## {orgs:,} organisations: queries in-process", flush=True)
                out = this_script(
                    envs[label], "--inprocess", *(["--explain"] if args.explain else [])
                )
                out_lines = out.strip().splitlines()
                if args.explain:
                    print("\n".join(out_lines[:-1]))
                prepared[label] = json.loads(out_lines[-1])
            for orgs in sizes:
                label = size_label(orgs)
                results[label] = time_size(args, label, envs[label], prepared[label])
            lines = report(results)
        if args.load or args.load_only:
            lines += run_load(args, largest, envs[largest])
    finally:
        shutil.rmtree(static_root, ignore_errors=True)

    print("\n".join(lines))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS / f"bench-{stamp}.json").write_text(json.dumps(results, indent=2))
    (RESULTS / f"bench-{stamp}.txt").write_text("\n".join(lines) + "\n")
    print(f"\nFigures written to bench-results/bench-{stamp}.{{json,txt}}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument(
        "--requests", type=int, default=200, help="sequential requests per page"
    )
    parser.add_argument("--threads", type=int, default=4, help="concurrent clients")
    parser.add_argument(
        "--thread-requests",
        type=int,
        default=25,
        help="requests per page by each concurrent client",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep a database already seeded with that many organisations",
    )
    parser.add_argument(
        "--db-prefix",
        default=os.environ.get("BENCH_DB_PREFIX", "ceop_bench_"),
        help="name of each size's database before its size (1k, 10k, 100k)",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print EXPLAIN ANALYZE of each page's slowest query",
    )
    parser.add_argument(
        "--profile",
        metavar="PAGE",
        choices=sorted(BY_NAME),
        help="print the top functions of requests to PAGE at the largest size",
    )
    parser.add_argument("--top", type=int, default=30, help="functions --profile shows")
    parser.add_argument(
        "--profile-requests",
        type=int,
        default=1,
        help="requests --profile sums (more give steadier figures)",
    )
    parser.add_argument(
        "--load", action="store_true", help="then a load run at the largest size"
    )
    parser.add_argument(
        "--load-only", action="store_true", help="only the load run (no timing)"
    )
    parser.add_argument("--load-users", type=int, default=20)
    parser.add_argument("--load-seconds", type=float, default=60.0)
    parser.add_argument("--load-workers", type=int, default=3)
    parser.add_argument(
        "--port", type=int, default=0, help="the load run's port (default: any free)"
    )
    parser.add_argument("--inprocess", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--sessions", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--urls", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--profile-page", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inprocess:
        inprocess(args.explain)
    elif args.sessions:
        inprocess_sessions(args.sessions)
    elif args.urls:
        django_setup()
        from bench_pages import choose_urls

        print(json.dumps(choose_urls()["urls"]))
    elif args.profile_page:
        inprocess_profile(args.profile_page, args.top, args.profile_requests)
    else:
        run(args)


if __name__ == "__main__":
    main()
