"""`make bench` --load: many users at once against gunicorn, for a bounded time.

Simulated users (by default 20: three in five staff, the rest partner users),
each with a signed-in session of their own, open the pages people use in a
working session, one after another with a pause between (a person reads a page
before opening the next), for a fixed time (60 s by default). Only 127.0.0.1 is
spoken to; every request has a time-out. Printed: requests, errors, throughput,
the median, p95 and slowest request overall and per page, and two aims, PASS or
MISS: no error, no request over 2 seconds.
"""

from __future__ import annotations

import random
import statistics
import threading
import time
from dataclasses import dataclass, field

from bench_http import Browser, percentile
from bench_pages import LABELS, LOAD_PARTNER_PAGES, LOAD_STAFF_PAGES

MAX_SECONDS = 2.0
STAFF_SHARE = 0.6
THINK_SECONDS = (0.5, 2.0)  # the pause between two pages of one user


@dataclass
class LoadResult:
    users: int
    seconds: float
    wall: float = 0.0
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.times.values())


def load_run(
    port: int,
    credentials: dict[str, list[dict]],
    urls: dict[str, str],
    *,
    users: int,
    seconds: float,
    seed: int = 2013,
) -> LoadResult:
    result = LoadResult(users=users, seconds=seconds)
    lock = threading.Lock()
    staff_users = round(users * STAFF_SHARE)
    deadline = time.monotonic() + seconds

    def user(index: int) -> None:
        staff = index < staff_users
        kind = "staff" if staff else "partner"
        pool = credentials[kind]
        who = pool[index % len(pool)]
        pages = LOAD_STAFF_PAGES if staff else LOAD_PARTNER_PAGES
        rng = random.Random(seed * 1000 + index)  # noqa: S311 - not for secrets
        tab = Browser(port, who["cookies"], who["headers"], timeout=10.0)
        try:
            # Users arrive over the first seconds, not all in the same instant.
            time.sleep(rng.uniform(0, THINK_SECONDS[1]))
            while time.monotonic() < deadline:
                name = rng.choice(pages)
                started = time.perf_counter()
                try:
                    status, content = tab.get(urls[name])
                except OSError as error:
                    status, content = 0, str(error).encode()
                elapsed = time.perf_counter() - started
                with lock:
                    result.times.setdefault(name, []).append(elapsed)
                    if status != 200 or not content:
                        result.errors.append(f"{name}: {status}")
                time.sleep(rng.uniform(*THINK_SECONDS))
        finally:
            tab.close()

    wall = time.perf_counter()
    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    result.wall = time.perf_counter() - wall
    return result


def load_report(result: LoadResult, load_average: tuple[float, float]) -> list[str]:
    every = [t for values in result.times.values() for t in values]
    slowest = max(every) if every else 0.0
    lines = [
        "",
        f"== Load run: {result.users} users ({round(result.users * STAFF_SHARE)} "
        f"staff, {result.users - round(result.users * STAFF_SHARE)} partner) for "
        f"{result.seconds:.0f} s, pauses of {THINK_SECONDS[0]}-{THINK_SECONDS[1]} s "
        "between pages ==",
        f"{'page':<34} {'requests':>8} {'median':>9} {'p95':>9} {'slowest':>9}",
    ]
    for name, values in sorted(result.times.items()):
        lines.append(
            f"{LABELS[name]:<34} {len(values):>8} "
            f"{statistics.median(values) * 1000:>7.1f}ms "
            f"{percentile(values, 95) * 1000:>7.1f}ms {max(values) * 1000:>7.1f}ms"
        )
    if every:
        lines.append(
            f"{'all':<34} {len(every):>8} {statistics.median(every) * 1000:>7.1f}ms "
            f"{percentile(every, 95) * 1000:>7.1f}ms {slowest * 1000:>7.1f}ms"
        )
    lines.append(
        f"  {result.requests} requests in {result.wall:.1f} s: "
        f"{result.requests / result.wall:.1f} requests/s; load average (1 min) "
        f"{load_average[0]:.2f} → {load_average[1]:.2f}"
    )
    over = sum(t > MAX_SECONDS for t in every)
    lines.append(
        f"{'PASS' if not result.errors else 'MISS'}  load run: no error "
        f"({len(result.errors)} errors{': ' + ', '.join(result.errors[:5]) if result.errors else ''})"
    )
    lines.append(
        f"{'PASS' if over == 0 and every else 'MISS'}  load run: no request over "
        f"{MAX_SECONDS:.0f} s ({over} over; slowest {slowest * 1000:.0f} ms)"
    )
    return lines
