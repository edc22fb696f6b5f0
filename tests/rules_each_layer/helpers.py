"""Helpers of the rule tests: the day and zone they run in, a write the database
refuses, an organisation that is an Official Supporter."""

from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from partners import models as pm
from tests import factories
from tiers.services import association_start

LONDON = ZoneInfo("Europe/London")
TODAY = factories.TODAY


def refused_by_the_database(write) -> None:
    """The write, around every service, is refused by a constraint."""
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def _official_supporter(manager) -> pm.Organisation:
    organisation = factories.DueDiligenceFactory().organisation
    association_start(
        organisation=organisation,
        tier=factories.tier("official-supporter"),
        start=TODAY,
        actor=manager,
    )
    return organisation
