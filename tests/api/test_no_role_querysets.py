"""A user with no role gets nothing from any API queryset, even if a view's
permission check were missing: the scoping itself returns no row."""

import pytest
from django.test import RequestFactory

from ceop_crm.api_urls import router

pytestmark = pytest.mark.django_db


def test_a_user_without_a_role_gets_no_row_from_any_api_queryset(world, no_role_user):
    request = RequestFactory().get("/api/v1/")
    request.user = no_role_user
    seen = {}
    for _prefix, viewset, basename in router.registry:
        view = viewset()
        view.request = request
        view.action = "list"
        view.kwargs = {}
        view.format_kwarg = None
        model = view.get_queryset().model
        assert model.objects.exists() or basename == "reminder", basename
        seen[basename] = view.get_queryset().count()
    assert seen
    assert set(seen.values()) == {0}, seen
