import pytest
from django.contrib.auth.models import Group

from ceop_crm import roles
from tests import factories
from tests.clients import VerifiedAPIClient, VerifiedClient


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


@pytest.fixture(autouse=True)
def _fresh_report_figures():
    """Figures one test cached are not another's: each test's rows are rolled
    back, but this process's cache (partners/reports/figures.py) is kept, and
    the version is only bumped by callbacks on a commit that tests never make."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def fresh_caches():
    """Both caches of the figures shared between requests emptied before and
    after the test: this process's figures and the shared version
    (partners/reports/figures.py). For tests of that sharing: a version left
    by another test must not make a figure look fresh or stale."""
    from django.core.cache import cache, caches

    cache.clear()
    caches["shared"].clear()
    yield
    cache.clear()
    caches["shared"].clear()


@pytest.fixture
def client():
    """force_login(user) also passes the second factor (tests/clients.py)."""
    return VerifiedClient()


@pytest.fixture
def manager_client(manager):
    """A client signed in as the relationship manager, second factor passed."""
    client = VerifiedClient()
    client.force_login(manager)
    return client


@pytest.fixture
def api_client():
    return VerifiedAPIClient()


@pytest.fixture
def admin_client(db, admin_user):
    client = VerifiedClient()
    client.force_login(admin_user)
    return client
