"""The portal pages `make bench` times hold their query budgets at 10 and 200
rows of each kind (benefits, proposals, contributions; a fifth as many draft
MoUs) as at 2 and 40 (test_home.py)."""

import pytest
from django.urls import reverse

from tests.portal.test_home import _grow

pytestmark = pytest.mark.django_db

BUDGETS = {"portal:home": 19, "portal:support": 14}


@pytest.mark.parametrize("size", [10, 200])
@pytest.mark.parametrize("url_name", list(BUDGETS))
def test_benchmarked_portal_pages_query_count_does_not_grow(
    client, world_a, frozen_today, size, url_name, django_assert_max_num_queries
):
    _grow(world_a, size)
    client.force_login(world_a.user)
    with django_assert_max_num_queries(BUDGETS[url_name]):
        response = client.get(reverse(url_name))
    assert response.status_code == 200
