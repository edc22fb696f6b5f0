"""The dashboard plots are shared between requests, yet never stale after a change."""

import pytest
from django.core.cache import cache, caches
from django.test import Client

from partners.reports import FIGURES_VERSION_KEY
from tests import factories
from tests.clients import VerifiedClient

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_caches")]


def _associations_plotted(client: Client) -> int:
    counts = client.get("/").context["chart_data"]["tiers"]["counts"]
    return sum(sum(row) for row in counts)


def test_plots_count_a_new_association_at_once(
    manager, django_capture_on_commit_callbacks
):
    client = VerifiedClient()
    client.force_login(manager)
    before = _associations_plotted(client)
    with django_capture_on_commit_callbacks(execute=True):
        factories.AssociationFactory()
    assert _associations_plotted(client) == before + 1


def test_plots_are_not_invalidated_by_a_change_that_is_rolled_back(
    manager, django_capture_on_commit_callbacks
):
    client = VerifiedClient()
    client.force_login(manager)
    _associations_plotted(client)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        factories.AssociationFactory()
    assert callbacks  # queued for the commit, which never comes
    assert caches["shared"].get(FIGURES_VERSION_KEY) is None


def test_plots_stay_shared_while_nothing_changes(
    manager, django_assert_max_num_queries
):
    client = VerifiedClient()
    client.force_login(manager)
    client.get("/")
    with django_assert_max_num_queries(30) as first:
        client.get("/")
    cache.clear()
    with django_assert_max_num_queries(40) as uncached:
        client.get("/")
    assert len(first.captured_queries) < len(uncached.captured_queries)
