"""The tables and the aims `make bench` prints (see scripts/bench.py).

The aims, each printed PASS or MISS page by page:

- the same number of SQL queries at every size;
- p95 growth from the smallest to the largest size under 1.5x;
- the median within 3x the ORM-and-template baseline at every size;
- the API organisation list at least half the throughput of the plain DRF list
  of the same rows (throughput of one client: 1 / median time).
"""

from __future__ import annotations

import os

from bench_pages import LABELS, PAGES

MAX_ORM_RATIO = 3.0
MAX_P95_GROWTH = 1.5
MIN_API_THROUGHPUT_RATIO = 0.5


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def size_table(data: dict) -> list[str]:
    seq, conc, queries = data["sequential"], data["concurrent"], data["queries"]
    lines = [
        "",
        f"== {data['organisations']:,} organisations "
        f"(detail page: {data['detail_organisation']}) ==",
        f"{'page':<34} {'median':>8} {'p95':>8} {'x trivial':>9} {'x ORM':>7}"
        f" {'p95 x ORM':>9} {'queries':>7} {'conc. median':>12} {'conc. p95':>9}"
        f" {'in-proc.':>8} {'SQL':>7}",
    ]
    base_trivial = seq["trivial"]["median_ms"]
    base_orm = seq["orm"]["median_ms"]
    base_orm_p95 = seq["orm"]["p95_ms"]
    for page in PAGES:
        s, c, q = seq[page.name], conc[page.name], queries[page.name]
        lines.append(
            f"{page.label:<34} {s['median_ms']:>6.1f}ms {s['p95_ms']:>6.1f}ms"
            f" {s['median_ms'] / base_trivial:>8.1f}x"
            f" {s['median_ms'] / base_orm:>6.2f}x"
            f" {s['p95_ms'] / base_orm_p95:>8.2f}x"
            f" {q['queries']:>7}"
            f" {c['median_ms']:>10.1f}ms {c['p95_ms']:>7.1f}ms"
            f" {q['in_process_ms']:>6.1f}ms {q['sql_ms']:>5.1f}ms"
        )
    lines.append(
        f"  sequential: {seq['trivial']['n']} requests per page; concurrent: "
        f"{data['threads']} client threads, {conc['trivial']['n']} requests per "
        f"page, {data['concurrent_rps']:.0f} requests/s overall; in-process: "
        "median of a few requests, SQL = time in PostgreSQL"
    )
    lines.append(
        "  load average (1 min) before and after timing: "
        f"{data['load'][0]:.2f} → {data['load'][1]:.2f} on {os.cpu_count()} CPUs"
    )
    return lines


def growth_table(small: dict, large: dict) -> list[str]:
    lines = [
        "",
        f"== Growth from {small['organisations']:,} to "
        f"{large['organisations']:,} organisations ==",
        f"{'page':<34} {'median':>16} {'p95':>18} {'p95 growth':>10}"
        f" {'vs ORM':>7} {'in-process':>17}",
    ]
    orm_growth = (
        large["sequential"]["orm"]["p95_ms"] / small["sequential"]["orm"]["p95_ms"]
    )
    for page in PAGES:
        a, b = small["sequential"][page.name], large["sequential"][page.name]
        qa, qb = small["queries"][page.name], large["queries"][page.name]
        growth = b["p95_ms"] / a["p95_ms"]
        lines.append(
            f"{page.label:<34} {a['median_ms']:>6.1f} → {b['median_ms']:>6.1f}ms"
            f" {a['p95_ms']:>7.1f} → {b['p95_ms']:>6.1f}ms"
            f" {growth:>9.2f}x {growth / orm_growth:>6.2f}x"
            f" {qa['in_process_ms']:>6.1f} → {qb['in_process_ms']:>6.1f}ms"
        )
    lines.append(
        "  vs ORM: the p95 growth divided by the ORM baseline's own p95 growth "
        "in the same run (a busier machine raises both)."
    )
    return lines


def aims(results: dict[str, dict]) -> tuple[list[str], int]:
    """The aims line by line, and how many were missed."""
    sizes = list(results)
    small, large = results[sizes[0]], results[sizes[-1]]
    lines = ["", "== Aims =="]
    missed = 0

    def out(ok: bool, text: str) -> None:
        nonlocal missed
        missed += not ok
        lines.append(f"{_verdict(ok)}  {text}")

    for page in PAGES:
        if page.baseline:
            continue
        counts = [results[s]["queries"][page.name]["queries"] for s in sizes]
        out(
            len(set(counts)) == 1,
            f"{page.label.strip()}: same queries at every size "
            f"({' → '.join(map(str, counts))})",
        )
        if len(sizes) >= 2:
            growth = (
                large["sequential"][page.name]["p95_ms"]
                / small["sequential"][page.name]["p95_ms"]
            )
            out(
                growth < MAX_P95_GROWTH,
                f"{page.label.strip()}: p95 growth {sizes[0]} → {sizes[-1]} "
                f"{growth:.2f}x (aim under {MAX_P95_GROWTH}x)",
            )
        ratios = [
            results[s]["sequential"][page.name]["median_ms"]
            / results[s]["sequential"]["orm"]["median_ms"]
            for s in sizes
        ]
        out(
            max(ratios) <= MAX_ORM_RATIO,
            f"{page.label.strip()}: median ÷ ORM baseline "
            f"{' / '.join(f'{r:.2f}x' for r in ratios)} (aim at most {MAX_ORM_RATIO}x)",
        )
    for size in sizes:
        seq = results[size]["sequential"]
        ratio = seq["drf"]["median_ms"] / seq["api_organisation_list"]["median_ms"]
        out(
            ratio >= MIN_API_THROUGHPUT_RATIO,
            f"{LABELS['api_organisation_list']} at {size}: throughput "
            f"{1000 / seq['api_organisation_list']['median_ms']:.1f} req/s = "
            f"{ratio:.2f}x the plain DRF list's "
            f"{1000 / seq['drf']['median_ms']:.1f} req/s "
            f"(aim at least {MIN_API_THROUGHPUT_RATIO}x)",
        )
    lines.append(f"{missed} aim(s) missed")
    return lines, missed


def report(results: dict[str, dict]) -> list[str]:
    lines: list[str] = []
    for data in results.values():
        lines += size_table(data)
    sizes = list(results)
    if len(sizes) >= 2:
        lines += growth_table(results[sizes[0]], results[sizes[-1]])
    lines += aims(results)[0]
    return lines
