"""Each figure of the dashboard's levels-by-sector plot leads to the rows it counts."""

import pytest
from django.core.cache import cache

from tests import factories
from tests.clients import VerifiedClient

pytestmark = pytest.mark.django_db


def test_every_level_by_sector_figure_links_to_a_list_of_that_many(analyst):
    cache.clear()
    for _ in range(2):
        factories.AssociationFactory(
            organisation=factories.OrganisationFactory(sector="industry")
        )
    factories.OrganisationFactory(sector="voluntary")
    client = VerifiedClient()
    client.force_login(analyst)
    response = client.get("/?scope=all")
    checked = 0
    for _tier, cells in response.context["tier_table"]:
        for figure, url in cells:
            listed = client.get(url).context["page"].paginator.count
            assert listed == figure, url
            checked += figure
    assert checked == 3
    urls = response.context["chart_data"]["tiers"]["urls"]
    assert len(urls) == len(response.context["sectors"])
    cache.clear()
