"""The default annual business planning cycle, April to March.

The strategy's timeline table did not survive in the seed, so these dates are a
default: each planning year copies them into its own milestones, where every
date can be changed. Months April to December fall in the planning year's
first calendar year, January to March in its second.
"""

from django.db import migrations

DEFAULT_CYCLE = [
    {
        "order": 1,
        "kind": "threat_assessment",
        "name": "Strategic Threat Assessment published",
        "description": "CEOP publishes its annual Strategic Threat Assessment, which identifies the threats presenting the greatest danger to children and guides who CEOP needs to work with.",
        "month": 4,
        "day": 30,
        "audience": "both",
    },
    {
        "order": 2,
        "kind": "centre_plan",
        "name": "Centre Plan published",
        "description": "CEOP publishes its Centre Plan, whose objectives Strategic Partners and Partners agree to help deliver during the year.",
        "month": 5,
        "day": 31,
        "audience": "both",
    },
    {
        "order": 3,
        "kind": "priorities",
        "name": "Priorities for external support published",
        "description": "CEOP publishes the priority areas where external support could most increase its ability to protect children, and invites partners and supporters to respond.",
        "month": 6,
        "day": 15,
        "audience": "both",
    },
    {
        "order": 4,
        "kind": "quarterly_monitoring",
        "name": "Quarter 1 monitoring window",
        "description": "Strategic Partners and Partners review with CEOP their progress and the benefits to both parties in the first quarter (April to June).",
        "month": 7,
        "day": 1,
        "end_month": 7,
        "end_day": 31,
        "quarter": 1,
        "audience": "both",
    },
    {
        "order": 5,
        "kind": "quarterly_monitoring",
        "name": "Quarter 2 monitoring window",
        "description": "Strategic Partners and Partners review with CEOP their progress and the benefits to both parties in the second quarter (July to September).",
        "month": 10,
        "day": 1,
        "end_month": 10,
        "end_day": 31,
        "quarter": 2,
        "audience": "both",
    },
    {
        "order": 6,
        "kind": "quarterly_monitoring",
        "name": "Quarter 3 monitoring window",
        "description": "Strategic Partners and Partners review with CEOP their progress and the benefits to both parties in the third quarter (October to December).",
        "month": 1,
        "day": 1,
        "end_month": 1,
        "end_day": 31,
        "quarter": 3,
        "audience": "both",
    },
    {
        "order": 7,
        "kind": "quarterly_monitoring",
        "name": "Quarter 4 monitoring window",
        "description": "Strategic Partners and Partners review with CEOP their progress and the benefits to both parties in the fourth quarter (January to March).",
        "month": 3,
        "day": 1,
        "end_month": 3,
        "end_day": 31,
        "quarter": 4,
        "audience": "both",
    },
    {
        "order": 8,
        "kind": "annual_monitoring",
        "name": "Annual monitoring",
        "description": "Official Supporters review with CEOP their support over the year and the benefits to both parties, and each organisation's level of association is confirmed or a move proposed.",
        "month": 3,
        "day": 1,
        "end_month": 3,
        "end_day": 31,
        "audience": "both",
    },
    {
        "order": 9,
        "kind": "annual_review",
        "name": "Recognition in the Annual Review",
        "description": "CEOP staff confirm which partners and supporters are recognised in the Annual Review for their contribution during the year.",
        "month": 3,
        "day": 15,
        "audience": "staff",
    },
]


def load(apps, schema_editor):
    MilestoneTemplate = apps.get_model("planning", "MilestoneTemplate")
    MilestoneTemplate.objects.bulk_create(
        MilestoneTemplate(reminder_lead_days=14, **row) for row in DEFAULT_CYCLE
    )


def unload(apps, schema_editor):
    # order is the templates' unique key, so the rows go even if renamed or redated.
    apps.get_model("planning", "MilestoneTemplate").objects.filter(
        order__in=[row["order"] for row in DEFAULT_CYCLE]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
