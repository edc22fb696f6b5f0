"""Suppliers: no benefits, no MoU requirement, never called an association."""

import pytest

from ceop_crm.exceptions import ApplicationError
from partners.templatetags.workspace import tier_badge
from tests import factories
from tests.rules_each_layer.helpers import TODAY, refused_by_the_database
from tiers import models as tm
from tiers.services import benefit_delivery_record

pytestmark = pytest.mark.django_db


def test_a_supplier_gets_no_benefit(manager):
    association = factories.AssociationFactory(tier=factories.tier("supplier"))
    benefit = factories.tier("official-supporter").benefits.first()

    with pytest.raises(ApplicationError, match="receives no benefits"):
        benefit_delivery_record(
            organisation=association.organisation,
            benefit=benefit,
            delivered_on=TODAY,
            actor=manager,
        )


@pytest.mark.parametrize("field", ["benefits_allowed", "requires_mou"])
def test_the_database_refuses_a_supplier_level_with_benefits_or_an_mou(field):
    refused_by_the_database(
        lambda: tm.TierLevel.objects.filter(code="supplier").update(**{field: True})
    )


def test_the_staff_level_badge_says_a_supplier_is_not_an_association():
    supplier = factories.tier("supplier")
    partner = factories.tier("partner")

    assert "(not an association)" in tier_badge(supplier.code, supplier.name)
    assert "not an association" not in tier_badge(partner.code, partner.name)
