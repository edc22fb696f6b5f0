"""The levels of association, their key characteristics and benefits.

Definitions, characteristics and benefits are the bullets of the strategy's
tables, verbatim and in the seed's order: the Official Supporter's first
characteristic has a straight apostrophe in "CEOP's" where the other tiers have
a curly one, and it stays that way. The supplier's definition is the first two
sentences of "Suppliers and contractors". tests/tiers/test_reference_data.py
checks each row against the seed itself.
"""

from django.db import migrations

# Each characteristic is (text, automatic check); "" means judged from evidence.
TIERS = [
    {
        "code": "strategic-partner",
        "name": "Strategic Partner",
        "rank": 3,
        "definition": "Strategic Partners will work with CEOP to make a demonstrable difference to its services to combat child exploitation",
        "is_association": True,
        "monitoring_frequency": "quarterly",
        "requires_mou": True,
        "benefits_allowed": True,
        "characteristics": [
            (
                "Transform the delivery of at least one of CEOP’s core business areas",
                "",
            ),
            (
                "Work with CEOP to deliver a number of its Centre Plan objectives",
                "objectives_several",
            ),
            (
                "Identify long term potential that will serve as an engine for strategic partnership growth",
                "",
            ),
            ("Identify a sufficient level of benefits for both parties", ""),
            ("Be willing to market the partnership equally", "market_equally"),
            ("Institute a Memorandum of Understanding", "mou_in_force"),
            ("Monitor progress quarterly", "monitoring_quarterly"),
            (
                "Establish a hierarchy of internal ownership and accountability for issue resolution",
                "ownership_hierarchy",
            ),
        ],
        "benefits": [
            "Gain a deep insight into a unique organisation, combating serious crimes against children",
            "Provision of joint learning activity",
            "Access to relevant anonymised CEOP data",
            "Opportunities for joint research",
            "Early access to CEOP research and publications",
            "Prominent recognition in relevant CEOP publications",
            "Joint press releases",
            "Public demonstration of commitment to combating child exploitation",
            "Detailed public case studies",
            "Provision of speakers for conferences and meetings",
            "Involvement in key CEOP initiatives and events",
        ],
    },
    {
        "code": "partner",
        "name": "Partner",
        "rank": 2,
        "definition": "Partners will work with CEOP to enhance the effectiveness of its services to combat child exploitation",
        "is_association": True,
        "monitoring_frequency": "quarterly",
        "requires_mou": True,
        "benefits_allowed": True,
        "characteristics": [
            (
                "Add value to the delivery of at least one of CEOP’s core business areas",
                "",
            ),
            (
                "Work with CEOP to deliver at least one of its Centre Plan objectives",
                "objectives_one",
            ),
            (
                "Provide a level of support to CEOP that demonstrates delivery above and beyond day to day business",
                "contribution_active",
            ),
            ("Identify a sufficient level of benefits for both parties", ""),
            ("Be willing to market the partnership equally", "market_equally"),
            ("Institute a Memorandum of Understanding", "mou_in_force"),
            ("Monitor progress quarterly", "monitoring_quarterly"),
            (
                "Establish a hierarchy of internal ownership and accountability for issue resolution",
                "ownership_hierarchy",
            ),
        ],
        "benefits": [
            "Gain understanding of a unique organisation, combating serious crimes against children",
            "Opportunities for joint research",
            "Early access to CEOP research and publications",
            "Recognition in relevant CEOP publications",
            "Joint press releases",
            "Public demonstration of commitment to combating child exploitation",
            "Public case studies",
            "Provision of speakers for conferences and meetings",
            "Involvement in key CEOP initiatives and events",
        ],
    },
    {
        "code": "official-supporter",
        "name": "Official Supporter",
        "rank": 1,
        "definition": "Official Supporters will actively work with CEOP to support the delivery of its services to combat child exploitation",
        "is_association": True,
        "monitoring_frequency": "annual",
        "requires_mou": False,
        "benefits_allowed": True,
        "characteristics": [
            (
                "Work with CEOP to provide measurable support to the delivery of at least one of CEOP's core business areas",
                "contribution_active",
            ),
            (
                "Provide a level of support to CEOP that demonstrates delivery above and beyond day to day business",
                "",
            ),
            ("Identify a sufficient level of benefits for both parties", ""),
            ("Monitor progress annually", "monitoring_annual"),
        ],
        "benefits": [
            "Access to CEOP advice, guidance and relevant resources",
            "Recognition in CEOP Annual Review",
            "Access to CEOP publications and updates",
            "Use of Official Supporter logo",
            "Invitation to participate in key CEOP initiatives and events",
        ],
    },
    {
        "code": "supplier",
        "name": "Supplier/Contractor",
        "rank": 0,
        "definition": "Organisations supplying goods and/or services to CEOP will benefit from the experience gained from undertaking work at the CEOP Centre and gaining an insight into our world-renowned, holistic approach to combating child exploitation. Those organisations are paid in full for the delivery of their goods or services and therefore do not receive the benefits of being an official CEOP Strategic Partner, Partner or Supporter.",
        "is_association": False,
        "monitoring_frequency": "none",
        "requires_mou": False,
        "benefits_allowed": False,
        "characteristics": [],
        "benefits": [],
    },
]

# The one benefit that entitles an organisation to the Official Supporter logo.
LOGO_BENEFIT = "Use of Official Supporter logo"


def load(apps, schema_editor):
    TierLevel = apps.get_model("tiers", "TierLevel")
    KeyCharacteristic = apps.get_model("tiers", "KeyCharacteristic")
    Benefit = apps.get_model("tiers", "Benefit")

    for row in TIERS:
        fields = {
            key: value
            for key, value in row.items()
            if key not in ("characteristics", "benefits")
        }
        tier = TierLevel.objects.create(**fields)
        KeyCharacteristic.objects.bulk_create(
            KeyCharacteristic(tier=tier, order=order, text=text, automatic_check=check)
            for order, (text, check) in enumerate(row["characteristics"], start=1)
        )
        Benefit.objects.bulk_create(
            Benefit(tier=tier, order=order, text=text, grants_logo=text == LOGO_BENEFIT)
            for order, text in enumerate(row["benefits"], start=1)
        )


def unload(apps, schema_editor):
    # Characteristics and benefits go with their tier (on_delete=CASCADE).
    apps.get_model("tiers", "TierLevel").objects.filter(
        code__in=[row["code"] for row in TIERS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tiers", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
