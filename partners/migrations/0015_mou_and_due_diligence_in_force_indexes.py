"""Partial indexes for "in force": the signed MoUs and the approved due diligence,
each by organisation with the dates the at-risk check compares
(partners/selectors/at_risk.py), so its anti-joins read these small indexes
only instead of the tables."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0014_contact_email_trigram_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="duediligence",
            index=models.Index(
                condition=models.Q(("outcome", "approved")),
                fields=["organisation", "expires_on"],
                include=("assessed_on",),
                name="due_diligence_approved_org",
            ),
        ),
        migrations.AddIndex(
            model_name="mou",
            index=models.Index(
                condition=models.Q(("status", "signed")),
                fields=["organisation", "end"],
                include=("start",),
                name="mou_signed_org_end",
            ),
        ),
    ]
