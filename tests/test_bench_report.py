"""The benchmark's aims (scripts/bench_report.py): each printed PASS or MISS
from the figures of one run, and every benchmarked page has a URL and a user."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import bench_pages  # noqa: E402
import bench_report  # noqa: E402


def _size(orgs: int, *, median: float, queries: int, api: float, drf: float) -> dict:
    def timing(ms: float) -> dict:
        return {"n": 10, "median_ms": ms, "p95_ms": ms * 1.2}

    sequential = {page.name: timing(median) for page in bench_pages.PAGES}
    sequential["orm"] = timing(50.0)
    sequential["api_organisation_list"] = timing(api)
    sequential["drf"] = timing(drf)
    return {
        "organisations": orgs,
        "sequential": sequential,
        "queries": {page.name: {"queries": queries} for page in bench_pages.PAGES},
    }


def _verdicts(lines: list[str], text: str) -> set[str]:
    return {line.split()[0] for line in lines if text in line}


def test_aims_pass_when_every_figure_is_within_its_aim():
    results = {
        "1k": _size(1000, median=100.0, queries=8, api=40.0, drf=30.0),
        "100k": _size(100000, median=120.0, queries=8, api=40.0, drf=30.0),
    }
    lines, missed = bench_report.aims(results)
    assert missed == 0
    assert _verdicts(lines, "dashboard:") == {"PASS"}


def test_aims_miss_more_queries_slower_growth_and_a_slow_api_list():
    results = {
        "1k": _size(1000, median=100.0, queries=8, api=40.0, drf=30.0),
        "100k": _size(100000, median=200.0, queries=9, api=70.0, drf=30.0),
    }
    lines, _ = bench_report.aims(results)
    dashboard = [line for line in lines if line.split("  ", 1)[-1].startswith("dash")]
    assert [line.split()[0] for line in dashboard] == ["MISS", "MISS", "MISS"]
    assert "same queries at every size (8 → 9)" in dashboard[0]
    api = [line for line in lines if "the plain DRF list" in line]
    assert [line.split()[0] for line in api] == ["PASS", "MISS"]


def test_every_benchmarked_page_has_a_kind_of_user_the_timing_knows():
    assert {page.who for page in bench_pages.PAGES} == {
        "staff",
        "partner",
        "admin",
        "api",
    }
    assert set(bench_pages.LOAD_STAFF_PAGES) <= set(bench_pages.BY_NAME)
    assert set(bench_pages.LOAD_PARTNER_PAGES) <= set(bench_pages.BY_NAME)
