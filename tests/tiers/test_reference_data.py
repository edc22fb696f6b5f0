"""The levels of association carry the seed's tables, bullet for bullet."""

import importlib
import re
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from tiers.models import Benefit, CharacteristicCheck, KeyCharacteristic, TierLevel

pytestmark = pytest.mark.django_db

SEED_NAME = "relationship-management-strategy.txt"
SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / SEED_NAME
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / SEED_NAME

# Table heading in the seed -> tier code.
TABLES = {
    "STRATEGIC PARTNER": "strategic-partner",
    "PARTNER": "partner",
    "OFFICIAL SUPPORTER": "official-supporter",
}


def read_seed() -> str:
    """The strategy text: ../shared/seed beside the repository, else our copy."""
    path = SEED if SEED.exists() else FIXTURE
    return path.read_text(encoding="utf-8")


def bullets(cell: str) -> list[str]:
    """The "➤" items of a table cell, in order."""
    return [item.strip() for item in cell.split("➤")[1:]]


def tier_table(text: str, heading: str) -> dict:
    """Definition, key characteristics and benefits of one tier's table.

    A table is its heading line, the column header line, then one row whose
    three cells are separated by tabs.
    """
    lines = text.splitlines()
    start = [i for i, line in enumerate(lines) if line.strip() == heading]
    assert len(start) == 1, f"{heading!r} heads {len(start)} lines of the seed"
    header, row = lines[start[0] + 1], lines[start[0] + 2]
    assert header.split("\t") == [
        "Definition",
        "Key characteristics",
        "Examples of benefits",
    ]
    definition, characteristics, benefits = row.split("\t")
    return {
        "definition": definition.strip(),
        "characteristics": bullets(characteristics),
        "benefits": bullets(benefits),
    }


def supplier_definition(text: str) -> str:
    """The first two sentences of the "SUPPLIERS AND CONTRACTORS" section."""
    section = text.split("\nSUPPLIERS AND CONTRACTORS\n", 1)[1]
    paragraph = section.strip().split("\n", 1)[0]
    sentences = re.split(r"(?<=\.) (?=[A-Z])", paragraph)
    return " ".join(sentences[:2])


@pytest.fixture(scope="module")
def seed() -> str:
    return read_seed()


def test_seed_tables_parse_to_the_expected_counts(seed):
    counts = {
        code: (len(table["characteristics"]), len(table["benefits"]))
        for code, table in ((code, tier_table(seed, h)) for h, code in TABLES.items())
    }
    assert counts == {
        "strategic-partner": (8, 11),
        "partner": (8, 9),
        "official-supporter": (4, 5),
    }


def test_tier_levels_are_the_four_levels_with_their_flags():
    stored = list(
        TierLevel.objects.order_by("-rank").values_list(
            "code",
            "name",
            "rank",
            "is_association",
            "monitoring_frequency",
            "requires_mou",
            "benefits_allowed",
        )
    )

    assert stored == [
        ("strategic-partner", "Strategic Partner", 3, True, "quarterly", True, True),
        ("partner", "Partner", 2, True, "quarterly", True, True),
        ("official-supporter", "Official Supporter", 1, True, "annual", False, True),
        ("supplier", "Supplier/Contractor", 0, False, "none", False, False),
    ]


@pytest.mark.parametrize(("heading", "code"), TABLES.items())
def test_association_tier_names_and_definitions_are_the_seed_tables(
    seed, heading, code
):
    tier = TierLevel.objects.get(code=code)

    assert tier.name.upper() == heading
    assert tier.definition == tier_table(seed, heading)["definition"]


def test_supplier_definition_is_the_first_two_sentences_of_its_section(seed):
    expected = supplier_definition(seed)

    assert expected.startswith("Organisations supplying goods and/or services to CEOP")
    assert expected.endswith("Strategic Partner, Partner or Supporter.")
    assert TierLevel.objects.get(code="supplier").definition == expected


def test_supplier_promotion_rule_is_the_strategys_sentence_and_links_its_policy(seed):
    section = seed.split("\nSUPPLIERS AND CONTRACTORS\n", 1)[1].strip()
    paragraph = section.split("\n", 1)[0]
    sentences = re.split(r"(?<=\.) (?=[A-Z])", paragraph)
    supplier = TierLevel.objects.get(code="supplier")

    assert supplier.promotion_rule == sentences[2]
    assert "factual statements" in supplier.promotion_rule
    address = re.search(r"Brand Association Policy, please visit (\S+)", paragraph)
    assert supplier.brand_policy_url == f"https://{address.group(1)}"
    assert (
        not TierLevel.objects.exclude(code="supplier")
        .exclude(promotion_rule="")
        .exists()
    )


@pytest.mark.parametrize(("heading", "code"), TABLES.items())
def test_key_characteristics_are_the_seed_bullets_in_order(seed, heading, code):
    expected = tier_table(seed, heading)["characteristics"]

    stored = list(
        KeyCharacteristic.objects.filter(tier__code=code)
        .order_by("order")
        .values_list("order", "text")
    )

    assert stored == list(enumerate(expected, start=1))


@pytest.mark.parametrize(("heading", "code"), TABLES.items())
def test_benefits_are_the_seed_bullets_in_order(seed, heading, code):
    expected = tier_table(seed, heading)["benefits"]

    stored = list(
        Benefit.objects.filter(tier__code=code)
        .order_by("order")
        .values_list("order", "text")
    )

    assert stored == list(enumerate(expected, start=1))


def test_characteristics_keep_each_apostrophe_as_the_seed_has_it():
    first = {
        c.tier.code: c.text
        for c in KeyCharacteristic.objects.filter(order=1).select_related("tier")
    }

    assert "CEOP\u2019s core business areas" in first["strategic-partner"]
    assert "CEOP\u2019s core business areas" in first["partner"]
    assert "CEOP's core business areas" in first["official-supporter"]


def test_automatic_checks_are_mapped_to_the_checkable_characteristics():
    expected = {
        "strategic-partner": [
            "",
            "objectives_several",
            "",
            "",
            "market_equally",
            "mou_in_force",
            "monitoring_quarterly",
            "ownership_hierarchy",
        ],
        "partner": [
            "",
            "objectives_one",
            "",
            "",
            "market_equally",
            "mou_in_force",
            "monitoring_quarterly",
            "ownership_hierarchy",
        ],
        "official-supporter": ["contribution_active", "", "", "monitoring_annual"],
    }

    stored = {
        code: list(
            KeyCharacteristic.objects.filter(tier__code=code)
            .order_by("order")
            .values_list("automatic_check", flat=True)
        )
        for code in expected
    }

    assert stored == expected
    assert set(
        KeyCharacteristic.objects.values_list("automatic_check", flat=True)
    ) <= set(CharacteristicCheck.values)


def test_checks_sit_on_the_characteristics_they_check():
    # A check that drifted to the wrong bullet would still pass the list above
    # if the bullets moved with it; tie each check to the words it checks.
    words = {
        "objectives_several": "a number of its Centre Plan objectives",
        "objectives_one": "at least one of its Centre Plan objectives",
        "market_equally": "market the partnership equally",
        "mou_in_force": "Memorandum of Understanding",
        "monitoring_quarterly": "Monitor progress quarterly",
        "monitoring_annual": "Monitor progress annually",
        "ownership_hierarchy": "hierarchy of internal ownership",
        "contribution_active": "support",
    }

    checked = KeyCharacteristic.objects.exclude(automatic_check="")

    assert checked.count() == 12
    for characteristic in checked:
        assert words[characteristic.automatic_check] in characteristic.text


def test_the_same_characteristic_is_judged_the_same_way_at_every_level():
    checks: dict[str, set[str]] = {}
    for text, check in KeyCharacteristic.objects.values_list("text", "automatic_check"):
        checks.setdefault(text.replace("’", "'"), set()).add(check)
    shared = [text for text, found in checks.items() if len(found) > 1]

    assert shared == []
    above_and_beyond = KeyCharacteristic.objects.filter(
        text__contains="above and beyond day to day business"
    )
    assert sorted(above_and_beyond.values_list("tier__code", "automatic_check")) == [
        ("official-supporter", ""),
        ("partner", ""),
    ]


def test_supplier_has_no_characteristics_or_benefits():
    supplier = TierLevel.objects.get(code="supplier")

    assert not supplier.characteristics.exists()
    assert not supplier.benefits.exists()


def test_only_the_official_supporter_logo_benefit_grants_the_logo():
    logo = list(
        Benefit.objects.filter(grants_logo=True).values_list("tier__code", "text")
    )

    assert logo == [("official-supporter", "Use of Official Supporter logo")]
    assert Benefit.objects.filter(grants_logo=False).count() == 24


def test_reference_data_migration_reverses_and_reapplies():
    migration = importlib.import_module("tiers.migrations.0002_reference_data")
    state_apps = (
        MigrationLoader(connection).project_state(("tiers", "0002_reference_data")).apps
    )

    def snapshot():
        return (
            list(TierLevel.objects.values_list("code", "name", "rank", "definition")),
            list(
                KeyCharacteristic.objects.values_list(
                    "tier__code", "order", "text", "automatic_check"
                )
            ),
            list(
                Benefit.objects.values_list(
                    "tier__code", "order", "text", "grants_logo"
                )
            ),
        )

    before = snapshot()

    migration.unload(state_apps, None)

    assert not TierLevel.objects.exists()
    assert not KeyCharacteristic.objects.exists()
    assert not Benefit.objects.exists()

    migration.load(state_apps, None)
    importlib.import_module(
        "tiers.migrations.0003_above_and_beyond_judged_from_evidence"
    ).judge_from_evidence(state_apps, None)

    assert snapshot() == before
