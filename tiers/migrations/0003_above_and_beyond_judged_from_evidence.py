"""The same key characteristic is judged the same way at every level.

"Provide a level of support to CEOP that demonstrates delivery above and beyond
day to day business" is a characteristic of both the Partner and the Official
Supporter. It was met automatically for a Partner by any agreed support, while
an Official Supporter had to show evidence for it. Agreed support says nothing
about going beyond day to day business, so it is judged from evidence at both.
"""

from django.db import migrations

ABOVE_AND_BEYOND = (
    "Provide a level of support to CEOP that demonstrates delivery above and "
    "beyond day to day business"
)


def judge_from_evidence(apps, schema_editor):
    KeyCharacteristic = apps.get_model("tiers", "KeyCharacteristic")
    KeyCharacteristic.objects.filter(text=ABOVE_AND_BEYOND).update(automatic_check="")


def back_to_active_support(apps, schema_editor):
    KeyCharacteristic = apps.get_model("tiers", "KeyCharacteristic")
    KeyCharacteristic.objects.filter(
        text=ABOVE_AND_BEYOND, tier__code="partner"
    ).update(automatic_check="contribution_active")


class Migration(migrations.Migration):
    dependencies = [("tiers", "0002_reference_data")]

    operations = [migrations.RunPython(judge_from_evidence, back_to_active_support)]
