import datetime as dt
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from ceop_crm.celery import app as celery_app
from planning.models import Milestone, MilestoneTemplate, PlanningYear, Review
from tests import factories

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("open_planning_year", *args, stdout=out)
    return out.getvalue()


def test_open_planning_year_copies_the_template_and_schedules_reviews():
    partner = factories.AssociationFactory(tier=factories.tier("partner"))
    supporter = factories.AssociationFactory(tier=factories.tier("official-supporter"))
    supplier = factories.AssociationFactory(tier=factories.tier("supplier"))
    MilestoneTemplate.objects.filter(kind="annual_monitoring").update(
        month=2, day=20, end_month=3, end_day=31, in_next_year=False
    )

    output = run("2028/29")

    year = PlanningYear.objects.get(label="2028/29")
    assert (year.start, year.end) == (dt.date(2028, 4, 1), dt.date(2029, 3, 31))
    assert year.milestones.count() == MilestoneTemplate.objects.count()
    annual = year.milestones.get(kind="annual_monitoring")
    assert annual.date == dt.date(2029, 2, 20)  # from the template, not from code
    reviews = Review.objects.filter(milestone__planning_year=year)
    assert reviews.filter(organisation=partner.organisation).count() == 4
    assert list(
        reviews.filter(organisation=supporter.organisation).values_list(
            "milestone", flat=True
        )
    ) == [annual.pk]
    assert not reviews.filter(organisation=supplier.organisation).exists()
    assert "5 created" in output
    # The fourth quarter of 2028/29 is reviewed in April 2029, kept in 2028/29.
    fourth = year.milestones.get(quarter=4)
    assert (fourth.date, fourth.end_date) == (dt.date(2029, 4, 1), dt.date(2029, 4, 30))
    assert reviews.get(
        organisation=partner.organisation, milestone=fourth
    ).due_on == dt.date(2029, 4, 30)


def test_open_planning_year_again_changes_nothing():
    factories.AssociationFactory(tier=factories.tier("strategic-partner"))
    run("2028/29")
    Milestone.objects.filter(planning_year__label="2028/29", quarter=1).update(
        name="Edited window"
    )
    output = run("2028/29")
    assert "0 created, 0 moved, 0 cancelled" in output
    assert Milestone.objects.filter(name="Edited window").count() == 1
    assert Review.objects.filter(milestone__planning_year__label="2028/29").count() == 4


@pytest.mark.parametrize("label", ["2028", "2028/30", "28/29", "next"])
def test_open_planning_year_refuses_a_bad_label(label):
    with pytest.raises(CommandError, match="YYYY/YY"):
        run(label)
    assert not PlanningYear.objects.filter(label=label).exists()


def test_the_sweep_runs_hourly_from_celery_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["planning-reminders-sweep"]
    # What a worker does at start: import every app's tasks module.
    celery_app.loader.import_default_modules()
    assert entry["task"] in celery_app.tasks
    assert "planning.send_reminders" in celery_app.tasks
    assert "ceop_crm.send_outbound_emails" in celery_app.tasks
    assert entry["schedule"].minute == {5}
    assert len(entry["schedule"].hour) == 24
