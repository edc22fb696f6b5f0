"""Benefits: none after the association ended."""

import datetime as dt

import pytest
import time_machine

from ceop_crm.exceptions import ApplicationError
from tests.rules_each_layer.helpers import LONDON, _official_supporter
from tiers.services import association_end, benefit_delivery_record

pytestmark = pytest.mark.django_db


def test_no_benefit_is_recorded_after_the_association_ended(manager):
    organisation = _official_supporter(manager)
    association = organisation.associations.get()
    benefit = association.tier.benefits.first()
    with time_machine.travel(dt.datetime(2027, 6, 1, 12, tzinfo=LONDON), tick=False):
        association_end(
            association=association,
            end=dt.date(2027, 1, 31),
            reason="Ended.",
            actor=None,
        )

        with pytest.raises(ApplicationError, match="no level of association"):
            benefit_delivery_record(
                organisation=organisation,
                benefit=benefit,
                delivered_on=dt.date(2027, 2, 1),
                actor=manager,
            )
        # The last day of the association still counts.
        benefit_delivery_record(
            organisation=organisation,
            benefit=benefit,
            delivered_on=dt.date(2027, 1, 31),
            actor=manager,
        )
