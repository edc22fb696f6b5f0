"""The supplier's rule on what it may say, stored as the strategy words it.

The third sentence of "Suppliers and contractors", verbatim, and the address of
the Brand Association Policy the section names (the strategy gives it without
a scheme). tests/tiers/test_reference_data.py compares both with the seed.
"""

from django.db import migrations

PROMOTION_RULE = (
    "To ensure that suppliers and contractors do not prejudice CEOP's ability to "
    "gain support through partnership, certain factual statements can be made "
    "about the work they are being paid to undertake (e.g. client lists) but "
    "they cannot promote themselves as associated with CEOP."
)
BRAND_POLICY_URL = "https://www.ceop.police.uk/publications"


def store(apps, schema_editor):
    TierLevel = apps.get_model("tiers", "TierLevel")
    TierLevel.objects.filter(code="supplier").update(
        promotion_rule=PROMOTION_RULE, brand_policy_url=BRAND_POLICY_URL
    )


def clear(apps, schema_editor):
    TierLevel = apps.get_model("tiers", "TierLevel")
    TierLevel.objects.filter(code="supplier").update(
        promotion_rule="", brand_policy_url=""
    )


class Migration(migrations.Migration):
    dependencies = [("tiers", "0004_tierlevel_promotion_rule_and_brand_policy")]

    operations = [migrations.RunPython(store, clear)]
