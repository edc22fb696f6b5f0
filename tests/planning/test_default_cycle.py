"""The default annual planning cycle, April to March, as milestone templates."""

import importlib
from datetime import date

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

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
    "quarter",
    "audience",
    "reminder_lead_days",
)


def on(month: int, day: int, first_year: int = 2026) -> date:
    """A template's month and day in the planning year that starts in April first_year."""
    return date(first_year if month >= 4 else first_year + 1, month, day)


def test_default_cycle_is_the_agreed_nine_milestones():
    stored = list(MilestoneTemplate.objects.order_by("order").values_list(*FIELDS))

    assert stored == [
        (1, "threat_assessment", "Strategic Threat Assessment published", 4, 30, None, None, None, "both", 14),
        (2, "centre_plan", "Centre Plan published", 5, 31, None, None, None, "both", 14),
        (3, "priorities", "Priorities for external support published", 6, 15, None, None, None, "both", 14),
        (4, "quarterly_monitoring", "Quarter 1 monitoring window", 7, 1, 7, 31, 1, "both", 14),
        (5, "quarterly_monitoring", "Quarter 2 monitoring window", 10, 1, 10, 31, 2, "both", 14),
        (6, "quarterly_monitoring", "Quarter 3 monitoring window", 1, 1, 1, 31, 3, "both", 14),
        (7, "quarterly_monitoring", "Quarter 4 monitoring window", 3, 1, 3, 31, 4, "both", 14),
        (8, "annual_monitoring", "Annual monitoring", 3, 1, 3, 31, None, "both", 14),
        (9, "annual_review", "Recognition in the Annual Review", 3, 15, None, None, None, "staff", 14),
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
        opens = [on(t.month, t.day, first_year) for t in templates]
        assert all(
            date(first_year, 4, 1) <= d <= date(first_year + 1, 3, 31) for d in opens
        )
        # The publications and the quarterly windows come in the order of the year.
        assert opens[:7] == sorted(opens[:7])
        for template, opened in zip(templates, opens, strict=True):
            if template.end_month is not None:
                assert on(template.end_month, template.end_day, first_year) >= opened


def test_windows_have_an_end_and_points_do_not():
    for template in MilestoneTemplate.objects.all():
        is_window = template.kind in {"quarterly_monitoring", "annual_monitoring"}
        assert (template.end_month is not None) is is_window, template.name
        assert (template.end_day is not None) is is_window, template.name
        assert (template.quarter is not None) is (
            template.kind == "quarterly_monitoring"
        )


def test_each_quarter_is_reviewed_after_it_ends_or_in_its_last_month():
    # Quarter n of the planning year covers months 3n+1 .. 3n+3 counted from April.
    for template in MilestoneTemplate.objects.filter(kind="quarterly_monitoring"):
        quarter_end = on((3 + 3 * template.quarter) % 12 or 12, 1)
        assert on(template.month, template.day) >= quarter_end.replace(day=1), (
            template.name
        )


def test_default_cycle_migration_reverses_and_reapplies():
    migration = importlib.import_module("planning.migrations.0002_default_cycle")
    state_apps = (
        MigrationLoader(connection)
        .project_state(("planning", "0002_default_cycle"))
        .apps
    )
    before = list(
        MilestoneTemplate.objects.order_by("order").values_list("description", *FIELDS)
    )

    migration.unload(state_apps, None)

    assert not MilestoneTemplate.objects.exists()

    migration.load(state_apps, None)

    assert (
        list(
            MilestoneTemplate.objects.order_by("order").values_list(
                "description", *FIELDS
            )
        )
        == before
    )
