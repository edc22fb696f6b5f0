import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from activities import services
from tests import factories

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def organisation(manager):
    return factories.OrganisationFactory(name="Northwind Safety", owner=manager)


@pytest.fixture
def other_organisation(db):
    return factories.OrganisationFactory(name="Elsewhere Ltd")


@pytest.fixture
def make_task(manager, organisation):
    def make(**fields):
        fields.setdefault("actor", manager)
        fields.setdefault("organisation", organisation)
        fields.setdefault("title", "Send the draft MoU")
        fields.setdefault("due_on", timezone.localdate() + dt.timedelta(days=2))
        fields.setdefault("assignee", manager)
        return services.task_create(**fields)

    return make
