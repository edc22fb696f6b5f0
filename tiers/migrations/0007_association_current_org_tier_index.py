"""The current associations with their level, by organisation (a partial index):
where the at-risk check starts (partners/selectors/at_risk.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tiers", "0006_association_created_id_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="association",
            index=models.Index(
                condition=models.Q(("end__isnull", True)),
                fields=["organisation", "tier"],
                name="association_current_org_tier",
            ),
        ),
    ]
