import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_shows_own_organisation(client, world_a, frozen_today):
    client.force_login(world_a.user)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert "Alpha Systems" in response.content.decode()
