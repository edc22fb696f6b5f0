"""The objectives, priority areas and principles are the seed's, word for word."""

import importlib
import re
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from priorities.models import Objective, Principle, PriorityArea

pytestmark = pytest.mark.django_db

SEED_NAME = "relationship-management-strategy.txt"
SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / SEED_NAME
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / SEED_NAME


def read_seed() -> str:
    """The strategy text: ../shared/seed beside the repository, else our copy."""
    path = SEED if SEED.exists() else FIXTURE
    return path.read_text(encoding="utf-8")


def bullets(cell: str) -> list[str]:
    """The "➤" items of a table cell, in order."""
    return [item.strip() for item in cell.split("➤")[1:]]


def appendix_rows(text: str) -> list[dict]:
    """Rows of the appendix table: "n.<tab>title<tab>summary<tab>objectives"."""
    rows = []
    for line in text.splitlines():
        match = re.fullmatch(r"(\d+)\.\t([^\t]+)\t([^\t]+)\t([^\t]+)", line)
        if match:
            number, title, summary, objectives = match.groups()
            rows.append(
                {
                    "number": int(number),
                    "title": title.strip(),
                    "summary": re.sub(r"</?p>", "", summary).strip(),
                    "objectives": [
                        tuple(item.split(" – ", 1)) for item in bullets(objectives)
                    ],
                }
            )
    return rows


def principles(text: str) -> list[tuple[str, str]]:
    """(title, paragraph) of each "➔ **title**" block, in order."""
    return re.findall(r"^- ➔ \*\*(.+?)\*\*\n\n(.+)$", text, flags=re.MULTILINE)


@pytest.fixture(scope="module")
def seed() -> str:
    return read_seed()


def test_fixture_copy_is_the_seed_verbatim():
    if not SEED.exists():
        pytest.skip("../shared/seed is not beside the repository")
    assert FIXTURE.read_bytes() == SEED.read_bytes()


def test_seed_parses_to_the_expected_counts(seed):
    rows = appendix_rows(seed)
    assert [row["number"] for row in rows] == list(range(1, 12))
    assert len(principles(seed)) == 8
    assert len({code for row in rows for code, _ in row["objectives"]}) == 3


def test_objectives_are_the_appendix_wording_in_order(seed):
    # Every row names its objectives in the order PREVENT, PROTECT, PURSUE;
    # the longest list therefore gives all three, in order.
    listed = max((row["objectives"] for row in appendix_rows(seed)), key=len)
    for row in appendix_rows(seed):
        for objective in row["objectives"]:
            assert objective in listed, (
                f"row {row['number']} words {objective} differently"
            )

    stored = list(
        Objective.objects.order_by("order").values_list("code", "description", "order")
    )

    assert stored == [
        (code, description, order)
        for order, (code, description) in enumerate(listed, start=1)
    ]
    assert [code for code, _, _ in stored] == ["PREVENT", "PROTECT", "PURSUE"]


def test_priority_areas_are_the_appendix_rows_verbatim(seed):
    expected = [
        (row["number"], row["title"], row["summary"]) for row in appendix_rows(seed)
    ]

    stored = list(
        PriorityArea.objects.order_by("number").values_list(
            "number", "title", "summary"
        )
    )

    assert len(stored) == 11
    assert stored == expected


def test_priority_areas_keep_the_seed_apostrophes_and_drop_only_the_p_tags():
    areas = PriorityArea.objects.all()

    assert all("<" not in area.summary and ">" not in area.summary for area in areas)
    assert (
        PriorityArea.objects.get(number=4).title
        == "Help enhance CEOP\u2019s data analysis capability"
    )
    assert (
        "offenders\u2019 illegal activity" in PriorityArea.objects.get(number=9).summary
    )
    assert all(area.is_current for area in areas)


def test_each_priority_area_contributes_to_the_objectives_its_row_lists(seed):
    expected = {
        row["number"]: sorted(code for code, _ in row["objectives"])
        for row in appendix_rows(seed)
    }

    stored = {
        area.number: sorted(area.objectives.values_list("code", flat=True))
        for area in PriorityArea.objects.prefetch_related("objectives")
    }

    assert stored == expected
    assert stored[8] == ["PREVENT"]
    assert stored[1] == ["PROTECT", "PURSUE"]


def test_principles_are_the_eight_headings_and_paragraphs_verbatim(seed):
    expected = [
        (order, title, text) for order, (title, text) in enumerate(principles(seed), 1)
    ]

    stored = list(
        Principle.objects.order_by("order").values_list("order", "title", "text")
    )

    assert len(stored) == 8
    assert stored == expected


def test_reference_data_migration_reverses_and_reapplies():
    migration = importlib.import_module("priorities.migrations.0002_reference_data")
    state_apps = (
        MigrationLoader(connection)
        .project_state(("priorities", "0002_reference_data"))
        .apps
    )
    before = (
        list(Objective.objects.values_list("code", "description", "order")),
        list(
            PriorityArea.objects.values_list(
                "number", "title", "summary", "objectives__code"
            )
        ),
        list(Principle.objects.values_list("order", "title", "text")),
    )

    migration.unload(state_apps, None)

    assert not Objective.objects.exists()
    assert not PriorityArea.objects.exists()
    assert not Principle.objects.exists()

    migration.load(state_apps, None)

    after = (
        list(Objective.objects.values_list("code", "description", "order")),
        list(
            PriorityArea.objects.values_list(
                "number", "title", "summary", "objectives__code"
            )
        ),
        list(Principle.objects.values_list("order", "title", "text")),
    )
    assert after == before
