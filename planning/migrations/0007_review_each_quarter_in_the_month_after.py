"""Each quarter is reviewed in the month after it ends.

The fourth quarter (January to March) and the Official Supporters' annual
monitoring were reviewed in March, inside the period under review; they move
to the April after the planning year ends and stay steps of the year they
review. Only rows still holding the old default dates move: a template or a
milestone whose dates were edited keeps them, and so do the milestones of
planning years that have already ended (their reviews were held in March).
Scheduled reviews of a moved window follow it to its new closing day.
"""

import datetime as dt

from django.db import migrations, models
from django.utils import timezone

# The default cycle's orders: the fourth quarter's window, the annual monitoring.
MOVED_ORDERS = (7, 8)
OLD = {"month": 3, "day": 1, "end_month": 3, "end_day": 31, "in_next_year": False}
NEW = {"month": 4, "day": 1, "end_month": 4, "end_day": 30, "in_next_year": True}
MOVED_KINDS = ("quarterly_monitoring", "annual_monitoring")


def _old_window(year):
    return year.end.replace(day=1), year.end


def _new_window(year):
    opens = year.end + dt.timedelta(days=1)
    return opens, opens.replace(day=30)


def _move(apps, *, before, after, template_from, template_to):
    MilestoneTemplate = apps.get_model("planning", "MilestoneTemplate")
    Milestone = apps.get_model("planning", "Milestone")
    Review = apps.get_model("planning", "Review")
    MilestoneTemplate.objects.filter(order__in=MOVED_ORDERS, **template_from).update(
        **template_to
    )
    today = timezone.localdate()
    windows = Milestone.objects.filter(
        planning_year__end__gte=today, kind__in=MOVED_KINDS
    ).exclude(kind="quarterly_monitoring", quarter__lt=4)
    for milestone in windows.select_related("planning_year"):
        opens, closes = before(milestone.planning_year)
        if (milestone.date, milestone.end_date) != (opens, closes):
            continue
        new_opens, new_closes = after(milestone.planning_year)
        Milestone.objects.filter(pk=milestone.pk).update(
            date=new_opens, end_date=new_closes
        )
        Review.objects.filter(
            milestone_id=milestone.pk, status="scheduled", due_on=closes
        ).update(due_on=new_closes)


def forwards(apps, schema_editor):
    _move(
        apps,
        before=_old_window,
        after=_new_window,
        template_from=OLD,
        template_to=NEW,
    )


def backwards(apps, schema_editor):
    _move(
        apps,
        before=_new_window,
        after=_old_window,
        template_from=NEW,
        template_to=OLD,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0006_reminder_due_diligence_and_at_risk_steps"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalmilestonetemplate",
            name="in_next_year",
            field=models.BooleanField(
                default=False,
                help_text="The dates fall in the following planning year, after this one ends (the fourth quarter's review in April).",
            ),
        ),
        migrations.AddField(
            model_name="milestonetemplate",
            name="in_next_year",
            field=models.BooleanField(
                default=False,
                help_text="The dates fall in the following planning year, after this one ends (the fourth quarter's review in April).",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
