"""Fixtures of the workspace form tests: the worlds they act on (the cache is
cleared for each test by tests/conftest.py)."""

import pytest

from partners import models as pm
from tests.workspace_world import build_world


@pytest.fixture
def world(manager):
    return build_world(owner=manager)


@pytest.fixture
def draft(world):
    return pm.MoU.objects.create(organisation=world.organisation, title="Second MoU")


@pytest.fixture
def partner_without_move(manager):
    """A Partner with a signed MoU but no pending move."""
    world = build_world(owner=manager, name="Clearpath Trust")
    world.tier_change.status = "withdrawn"
    world.tier_change.save()
    return world
