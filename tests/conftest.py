import pytest
from django.contrib.auth.models import Group

from ceop_crm import roles
from tests import factories


def _staff(role: str, username: str):
    user = factories.UserFactory(username=username)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def manager(db):
    return _staff(roles.RELATIONSHIP_MANAGER, "manager")


@pytest.fixture
def senior_manager(db):
    return _staff(roles.SENIOR_MANAGER, "senior")


@pytest.fixture
def analyst(db):
    return _staff(roles.ANALYST, "analyst")


@pytest.fixture
def partner_user(db):
    membership = factories.PortalMembershipFactory(user__username="partner")
    return membership.user


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
