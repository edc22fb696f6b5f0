"""The default annual planning cycle, April to March, as milestone templates."""

import importlib
from datetime import date, timedelta

import pytest
from django.apps import apps as django_apps

from planning.models import MilestoneKind, MilestoneTemplate

pytestmark = pytest.mark.django_db

FIELDS = (
    "order",
    "kind",
    "name",
    "month",
    "day",
    "end_month",
    "end_day",
    "in_next_year",
    "quarter",
    "audience",
    "reminder_lead_days",
)


def on(month: int, day: int, first_year: int = 2026, next_year: bool = False) -> date:
    """A template's month and day in the planning year that starts in April first_year."""
    year = first_year if month >= 4 else first_year + 1
    return date(year + (1 if next_year else 0), month, day)


def test_default_cycle_is_the_agreed_nine_milestones():
    stored = list(MilestoneTemplate.objects.order_by("order").values_list(*FIELDS))

    assert stored == [
        (1, "threat_assessment", "Strategic Threat Assessment published", 4, 30, None, None, False, None, "both", 14),
        (2, "centre_plan", "Centre Plan published", 5, 31, None, None, False, None, "both", 14),
        (3, "priorities", "Priorities for external support published", 6, 15, None, None, False, None, "both", 14),
        (4, "quarterly_monitoring", "Quarter 1 monitoring window", 7, 1, 7, 31, False, 1, "both", 14),
        (5, "quarterly_monitoring", "Quarter 2 monitoring window", 10, 1, 10, 31, False, 2, "both", 14),
        (6, "quarterly_monitoring", "Quarter 3 monitoring window", 1, 1, 1, 31, False, 3, "both", 14),
        # The fourth quarter and the year are reviewed in the April after.
        (7, "quarterly_monitoring", "Quarter 4 monitoring window", 4, 1, 4, 30, True, 4, "both", 14),
        (8, "annual_monitoring", "Annual monitoring", 4, 1, 4, 30, True, None, "both", 14),
        (9, "annual_review", "Recognition in the Annual Review", 3, 15, None, None, False, None, "staff", 14),
    ]  # fmt: skip


def test_every_kind_of_the_cycle_but_other_has_a_template():
    kinds = set(MilestoneTemplate.objects.values_list("kind", flat=True))

    assert kinds == set(MilestoneKind.values) - {MilestoneKind.OTHER}


def test_each_template_has_a_one_sentence_description():
    for template in MilestoneTemplate.objects.all():
        description = template.description
        assert description.endswith("."), template.name
        assert description[0].isupper(), template.name
        assert ". " not in description, f"{template.name}: more than one sentence"


def test_templates_are_real_dates_in_order_through_april_to_march():
    templates = list(MilestoneTemplate.objects.order_by("order"))
    # A leap year's February must not be needed, nor a 31st in a 30-day month.
    for first_year in (2026, 2027):
        opens = [on(t.month, t.day, first_year, t.in_next_year) for t in templates]
        # Within the year, or in the month after it ends.
        assert all(
            date(first_year, 4, 1) <= d <= date(first_year + 1, 4, 30) for d in opens
        )
        # The publications and the quarterly windows come in the order of the year.
        assert opens[:7] == sorted(opens[:7])
        for template, opened in zip(templates, opens, strict=True):
            if template.end_month is not None:
                closes = on(
                    template.end_month,
                    template.end_day,
                    first_year,
                    template.in_next_year,
                )
                assert closes >= opened


def test_windows_have_an_end_and_points_do_not():
    for template in MilestoneTemplate.objects.all():
        is_window = template.kind in {"quarterly_monitoring", "annual_monitoring"}
        assert (template.end_month is not None) is is_window, template.name
        assert (template.end_day is not None) is is_window, template.name
        assert (template.quarter is not None) is (
            template.kind == "quarterly_monitoring"
        )


def _month_after(last_day: date) -> tuple[date, date]:
    opens = last_day + timedelta(days=1)
    following = date(opens.year + opens.month // 12, opens.month % 12 + 1, 1)
    return opens, following - timedelta(days=1)


@pytest.mark.parametrize("first_year", [2026, 2027])
def test_each_quarter_is_reviewed_in_the_month_after_it_ends(first_year):
    quarter_ends = {
        1: date(first_year, 6, 30),
        2: date(first_year, 9, 30),
        3: date(first_year, 12, 31),
        4: date(first_year + 1, 3, 31),
    }
    for template in MilestoneTemplate.objects.filter(kind="quarterly_monitoring"):
        window = (
            on(template.month, template.day, first_year, template.in_next_year),
            on(template.end_month, template.end_day, first_year, template.in_next_year),
        )
        assert window == _month_after(quarter_ends[template.quarter]), template.name


def test_official_supporters_are_reviewed_in_the_month_after_the_year_ends():
    template = MilestoneTemplate.objects.get(kind="annual_monitoring")

    window = (
        on(template.month, template.day, 2026, template.in_next_year),
        on(template.end_month, template.end_day, 2026, template.in_next_year),
    )

    assert window == (date(2027, 4, 1), date(2027, 4, 30))


def test_default_cycle_migration_reverses_and_reapplies():
    # 0002 loads the first dates, 0007 moves the fourth quarter and the annual
    # window to April; run on today's model, which has the later column.
    migration = importlib.import_module("planning.migrations.0002_default_cycle")
    moved = importlib.import_module(
        "planning.migrations.0007_review_each_quarter_in_the_month_after"
    )
    before = list(
        MilestoneTemplate.objects.order_by("order").values_list("description", *FIELDS)
    )

    migration.unload(django_apps, None)

    assert not MilestoneTemplate.objects.exists()

    migration.load(django_apps, None)
    moved.forwards(django_apps, None)

    assert (
        list(
            MilestoneTemplate.objects.order_by("order").values_list(
                "description", *FIELDS
            )
        )
        == before
    )
