"""`make bench`: the workspace's key pages against two baselines, at two data sizes.

For each size (1,000 and 10,000 organisations by default) it

1. creates a fresh PostgreSQL database (ceop_bench_1k, ceop_bench_10k) on the
   server of BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432),
   migrates it and loads `manage.py seed_demo --orgs N`;
2. in-process, with production settings: gives the demo relationship manager a
   password, picks the organisation for the detail page (a Strategic Partner the
   manager owns) and counts each page's SQL queries with CaptureQueriesContext
   (after one warm-up request), keeping the slowest query of each;
3. serves the app with gunicorn (2 workers) and production settings
   (DJANGO_SETTINGS_MODULE=ceop_crm.settings.production, static files collected
   into a temporary STATIC_ROOT and served by whitenoise, DJANGO_BENCH_VIEWS=True
   for the two baselines under /bench/);
4. signs in as the manager through the sign-in page and times, over keep-alive
   HTTP connections, the dashboard, the filtered organisation list and the
   organisation page next to the baselines (a trivial view through the full
   middleware; twenty ORM rows rendered in the staff layout): a bounded number
   of sequential rounds, each round one request to every page in turn, then a
   few client threads at once.

It prints median and p95 times, each page's ratio to both baselines, its query
count and the growth from the smaller to the larger data set, and writes the
figures as JSON into bench-results/. The aims: each key page within 3x the
ORM-and-template baseline, the same query count at both sizes, p95 growth under
1.5x. The run is bounded (requests, time-outs) and talks only to 127.0.0.1.

    .venv/bin/python scripts/bench.py [--sizes 1000,10000] [--requests 200]
        [--threads 4] [--thread-requests 25] [--reuse] [--explain]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
RESULTS = ROOT / "bench-results"
HOST = "127.0.0.1"
USERNAME = "manager"  # the demo relationship manager seed_demo creates
REQUEST_TIMEOUT = 30.0
ROUND_TIME_LIMIT = 15 * 60  # seconds of timing per data set, at most

BASELINES = ("trivial", "orm")
PAGES = (
    "dashboard",
    "organisation_list",
    "organisation_list_sorted",
    "organisation_detail",
)
LABELS = {
    "trivial": "baseline: trivial view",
    "orm": "baseline: 20 ORM rows + template",
    "dashboard": "dashboard",
    "organisation_list": "organisation list, filtered",
    "organisation_list_sorted": "  same, by next review due",
    "organisation_detail": "organisation page",
}
# The filtered list: Partners with an MoU in force, in the default order (name);
# then the same rows sorted by a computed column (the next review due), which
# has to compute it for every matching organisation before it can page.
LIST_QUERY = "tier=partner&mou=in_force"
LIST_SORTED_QUERY = "tier=partner&mou=in_force&sort=next_review"
IN_PROCESS_REQUESTS = 20


def size_label(orgs: int) -> str:
    return f"{orgs // 1000}k" if orgs % 1000 == 0 else str(orgs)


# --- Environment and processes ---------------------------------------------------


def server_env(database_url: str, static_root: str, secret: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "CEOP_")) and k not in ("DATABASE_URL",)
    }
    env.update(
        DJANGO_SETTINGS_MODULE="ceop_crm.settings.production",
        DJANGO_SECRET_KEY=secret,
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_SECURE_SSL_REDIRECT="False",
        DJANGO_BENCH_VIEWS="True",
        DJANGO_STATIC_ROOT=static_root,
        DATABASE_URL=database_url,
        PYTHONUNBUFFERED="1",
    )
    # Pages never wait on the broker; without Redis the filesystem broker is used.
    env.pop("REDIS_URL", None)
    return env


def manage(env: dict[str, str], *args: str, capture: bool = False) -> str:
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [PYTHON, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


def recreate_database(base_url: str, name: str) -> None:
    import psycopg2

    parts = urllib.parse.urlsplit(base_url)
    connection = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=urllib.parse.unquote(parts.username or "postgres"),
        password=urllib.parse.unquote(parts.password or "") or None,
        dbname="postgres",
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def database_has_organisations(env: dict[str, str], orgs: int) -> bool:
    code = (
        "from partners.models import Organisation;print(Organisation.objects.count())"
    )
    try:
        out = manage(env, "shell", "-c", code, capture=True)
    except subprocess.CalledProcessError:
        return False
    return out.strip().splitlines()[-1:] == [str(orgs)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with two workers, stopped whatever happens."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.log = log.open("w")
        self.process = subprocess.Popen(  # noqa: S603 - the venv's gunicorn
            [
                GUNICORN,
                "ceop_crm.wsgi:application",
                "--workers",
                "2",
                "--bind",
                f"{HOST}:{self.port}",
                "--log-level",
                "warning",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.log.name}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                conn.request("GET", "/accounts/login/")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer in {timeout:.0f}s")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


# --- HTTP client ----------------------------------------------------------------


class Browser:
    """One keep-alive connection with its cookies, like one signed-in tab."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None) -> None:
        self.port = port
        self.cookies = dict(cookies or {})
        self.conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Host": HOST, "User-Agent": "ceop-bench"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers.update(extra or {})
        return headers

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        try:
            self.conn.request(method, path, body=body, headers=self._headers(headers))
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            # The server closed a kept-alive connection: open another once.
            self.conn.close()
            self.conn = http.client.HTTPConnection(
                HOST, self.port, timeout=REQUEST_TIMEOUT
            )
            self.conn.request(method, path, body=body, headers=self._headers(headers))
            response = self.conn.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response, content

    def sign_in(self, username: str, password: str) -> None:
        response, content = self.request("GET", "/accounts/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if response.status != 200 or not match:
            raise SystemExit("The sign-in page did not load.")
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": match.group(1).decode(),
                "username": username,
                "password": password,
                "next": "/",
            }
        )
        response, _ = self.request(
            "POST",
            "/accounts/login/",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if response.status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"Signing in as {username} failed ({response.status}).")

    def timed_get(self, path: str) -> float:
        started = time.perf_counter()
        response, content = self.request("GET", path)
        elapsed = time.perf_counter() - started
        if response.status != 200:
            raise SystemExit(f"GET {path} answered {response.status}")
        if not content:
            raise SystemExit(f"GET {path} answered an empty page")
        return elapsed

    def close(self) -> None:
        self.conn.close()


# --- Statistics -------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


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


def measure(
    port: int,
    cookies: dict[str, str],
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
    browser = Browser(port, cookies)
    for _ in range(5):  # warm-up: both workers, every page, caches, connections
        for path in urls.values():
            browser.timed_get(path)
    names = list(urls)
    for index in range(rounds):
        # Rotate the order so no page always follows the same one.
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            timings.sequential[name].append(browser.timed_get(urls[name]))
        if time.monotonic() - started > ROUND_TIME_LIMIT:
            print(f"  time limit reached after {index + 1} rounds", flush=True)
            break
    browser.close()

    lock = threading.Lock()
    errors: list[BaseException] = []

    def worker(offset: int) -> None:
        tab = Browser(port, cookies)
        try:
            for index in range(thread_rounds):
                shift = (index + offset) % len(names)
                for name in names[shift:] + names[:shift]:
                    elapsed = tab.timed_get(urls[name])
                    with lock:
                        timings.concurrent[name].append(elapsed)
        except BaseException as error:  # reported below, after the join
            errors.append(error)
        finally:
            tab.close()

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


# --- In-process step (runs inside Django) ------------------------------------------


def inprocess(password: str, explain: bool) -> None:
    """Prepare the signed-in user, choose the URLs and count each page's queries.

    Prints one JSON object on the last line of stdout.
    """
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from partners.models import Organisation
    from tiers.models import Association

    user = get_user_model().objects.get(username=USERNAME)
    user.set_password(password)
    user.save(update_fields=["password"])

    today = timezone.localdate()
    current = Association.objects.filter(end__isnull=True)
    detail = (
        Organisation.objects.filter(
            owner=user,
            associations__in=current.filter(tier__code="strategic-partner"),
        )
        .order_by("name")
        .first()
        or Organisation.objects.order_by("name").first()
    )
    urls = {
        "trivial": "/bench/trivial/",
        "orm": "/bench/orm/",
        "dashboard": "/",
        "organisation_list": f"/organisations/?{LIST_QUERY}",
        "organisation_list_sorted": f"/organisations/?{LIST_SORTED_QUERY}",
        "organisation_detail": f"/organisations/{detail.pk}/",
    }
    client = Client(SERVER_NAME=HOST)
    client.force_login(user)
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
                "detail_organisation": detail.name,
                "today": today.isoformat(),
                "urls": urls,
                "queries": counts,
            }
        )
    )


# --- Report ---------------------------------------------------------------------


def report(results: dict[str, dict]) -> list[str]:
    lines: list[str] = []
    out = lines.append
    sizes = list(results)
    for size in sizes:
        data = results[size]
        seq = data["sequential"]
        conc = data["concurrent"]
        out("")
        out(
            f"== {data['organisations']:,} organisations "
            f"(detail page: {data['detail_organisation']}) =="
        )
        out(
            f"{'page':<32} {'median':>8} {'p95':>8} {'x trivial':>9} {'x ORM':>7}"
            f" {'p95 x ORM':>9} {'queries':>7} {'conc. median':>12} {'conc. p95':>9}"
            f" {'in-proc.':>8} {'SQL':>6}"
        )
        base_trivial = seq["trivial"]["median_ms"]
        base_orm = seq["orm"]["median_ms"]
        base_orm_p95 = seq["orm"]["p95_ms"]
        for name in (*BASELINES, *PAGES):
            s, c, q = seq[name], conc[name], data["queries"][name]
            out(
                f"{LABELS[name]:<32} {s['median_ms']:>6.1f}ms {s['p95_ms']:>6.1f}ms"
                f" {s['median_ms'] / base_trivial:>8.1f}x"
                f" {s['median_ms'] / base_orm:>6.2f}x"
                f" {s['p95_ms'] / base_orm_p95:>8.2f}x"
                f" {q['queries']:>7}"
                f" {c['median_ms']:>10.1f}ms {c['p95_ms']:>7.1f}ms"
                f" {q['in_process_ms']:>6.1f}ms {q['sql_ms']:>4.1f}ms"
            )
        out(
            f"  sequential: {seq['trivial']['n']} requests per page; concurrent: "
            f"{data['threads']} client threads, {conc['trivial']['n']} requests per "
            f"page, {data['concurrent_rps']:.0f} requests/s overall; in-process: "
            f"median of {IN_PROCESS_REQUESTS} requests, SQL = time in PostgreSQL"
        )
        out(
            "  load average (1 min) before and after timing: "
            f"{data['load'][0]:.2f} → {data['load'][1]:.2f} on {os.cpu_count()} CPUs"
        )
    if len(sizes) >= 2:
        small, large = results[sizes[0]], results[sizes[-1]]
        out("")
        out(
            f"== Growth from {small['organisations']:,} to "
            f"{large['organisations']:,} organisations =="
        )
        out(
            f"{'page':<32} {'median':>15} {'p95':>17} {'p95 growth':>10}"
            f" {'vs ORM':>7} {'queries':>9} {'in-process':>17}"
        )
        orm_growth = (
            large["sequential"]["orm"]["p95_ms"]
            / (small["sequential"]["orm"]["p95_ms"])
        )
        for name in (*BASELINES, *PAGES):
            a, b = small["sequential"][name], large["sequential"][name]
            qa, qb = small["queries"][name], large["queries"][name]
            growth = b["p95_ms"] / a["p95_ms"]
            out(
                f"{LABELS[name]:<32} {a['median_ms']:>6.1f} → {b['median_ms']:>5.1f}ms"
                f" {a['p95_ms']:>7.1f} → {b['p95_ms']:>5.1f}ms"
                f" {growth:>9.2f}x {growth / orm_growth:>6.2f}x"
                f" {qa['queries']:>4} → {qb['queries']:<3}"
                f" {qa['in_process_ms']:>6.1f} → {qb['in_process_ms']:>5.1f}ms"
            )
        out(
            "  vs ORM: the p95 growth divided by the ORM baseline's own p95 growth "
            "in the same run (a busier machine raises both)."
        )
        out("")
        out("== Aims ==")
        for name in PAGES:
            worst_ratio = max(
                results[s]["sequential"][name]["median_ms"]
                / results[s]["sequential"]["orm"]["median_ms"]
                for s in sizes
            )
            growth = (
                large["sequential"][name]["p95_ms"]
                / small["sequential"][name]["p95_ms"]
            )
            qa = small["queries"][name]["queries"]
            qb = large["queries"][name]["queries"]
            verdicts = [
                f"median ≤ 3x ORM baseline: {'yes' if worst_ratio <= 3 else 'NO'}"
                f" ({worst_ratio:.2f}x at worst)",
                f"same queries: {'yes' if qa == qb else 'NO'} ({qa} → {qb})",
                f"p95 growth < 1.5x: {'yes' if growth < 1.5 else 'NO'} ({growth:.2f}x)",
            ]
            out(f"{LABELS[name]:<32} " + "; ".join(verdicts))
    return lines


# --- Main -------------------------------------------------------------------------


def run(args: argparse.Namespace) -> None:
    base_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432"
    ).rstrip("/")
    sizes = [int(s) for s in args.sizes.split(",")]
    secret = secrets.token_urlsafe(40)
    password = secrets.token_urlsafe(18)
    static_root = tempfile.mkdtemp(prefix="ceop-bench-static-")
    RESULTS.mkdir(exist_ok=True)
    results: dict[str, dict] = {}
    envs: dict[str, dict[str, str]] = {}
    prepared_by_size: dict[str, dict] = {}
    try:
        # First every data set and every in-process count, back to back, so the
        # query counts of both sizes come from the same code.
        for orgs in sizes:
            label = size_label(orgs)
            database = f"ceop_bench_{label}"
            env = envs[label] = server_env(
                f"{base_url}/{database}", static_root, secret
            )
            print(f"\n## {orgs:,} organisations: database {database}", flush=True)
            if args.reuse and database_has_organisations(env, orgs):
                print("  reusing the seeded database", flush=True)
            else:
                recreate_database(base_url, database)
                manage(env, "migrate", "--no-input", "-v", "0")
                started = time.monotonic()
                manage(env, "seed_demo", "--orgs", str(orgs))
                print(f"  seeded in {time.monotonic() - started:.0f}s", flush=True)
                manage(
                    env,
                    "shell",
                    "-c",
                    "from django.db import connection;"
                    "connection.cursor().execute('VACUUM ANALYZE')",
                )
            if not any(Path(static_root).iterdir()):
                manage(env, "collectstatic", "--no-input", "-v", "0")
        for orgs in sizes:
            label = size_label(orgs)
            out = subprocess.run(  # noqa: S603 - this script, in-process mode
                [PYTHON, __file__, "--inprocess", "--password", password]
                + (["--explain"] if args.explain else []),
                cwd=ROOT,
                env=envs[label],
                check=True,
                text=True,
                stdout=subprocess.PIPE,
            ).stdout
            lines = out.strip().splitlines()
            if args.explain:
                print("\n".join(lines[:-1]))
            prepared_by_size[label] = json.loads(lines[-1])
        for orgs in sizes:
            label = size_label(orgs)
            env, prepared = envs[label], prepared_by_size[label]
            print(f"\n## {orgs:,} organisations: timing", flush=True)
            server = Server(env, RESULTS / f"gunicorn-{label}.log")
            try:
                server.wait_ready()
                client = Browser(server.port)
                client.sign_in(USERNAME, password)
                cookies = dict(client.cookies)
                client.close()
                print(
                    f"  timing {len(prepared['urls'])} pages on gunicorn "
                    f"(port {server.port})…",
                    flush=True,
                )
                load_before = os.getloadavg()[0]
                timings = measure(
                    server.port,
                    cookies,
                    prepared["urls"],
                    rounds=args.requests,
                    threads=args.threads,
                    thread_rounds=args.thread_requests,
                )
            finally:
                server.stop()
            load_after = os.getloadavg()[0]
            total_concurrent = sum(len(v) for v in timings.concurrent.values())
            results[label] = {
                "organisations": prepared["organisations"],
                "detail_organisation": prepared["detail_organisation"],
                "urls": prepared["urls"],
                "queries": prepared["queries"],
                "threads": args.threads,
                "sequential": {
                    n: timings.summary("sequential", n) for n in prepared["urls"]
                },
                "concurrent": {
                    n: timings.summary("concurrent", n) for n in prepared["urls"]
                },
                "concurrent_rps": total_concurrent / timings.concurrent_wall,
                "load": [load_before, load_after],
            }
    finally:
        shutil.rmtree(static_root, ignore_errors=True)

    lines = report(results)
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
        "--explain",
        action="store_true",
        help="print EXPLAIN ANALYZE of each page's slowest query",
    )
    parser.add_argument("--inprocess", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--password", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inprocess:
        sys.path.insert(0, str(ROOT))
        inprocess(args.password, args.explain)
    else:
        run(args)


if __name__ == "__main__":
    main()
