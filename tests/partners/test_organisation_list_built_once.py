"""The organisation list's queryset is built once a day and process, and each
caller gets a copy of its own (partners.selectors.organisation_list)."""

import datetime as dt

import pytest

from partners.selectors import organisation_list
from partners.selectors.organisations import _organisation_list_built
from tests import factories

pytestmark = pytest.mark.django_db


def test_each_call_gets_its_own_copy_and_no_rows_are_shared():
    first = factories.OrganisationFactory(name="Aldgate Trust")
    listed = organisation_list(today=factories.TODAY)
    other = organisation_list(today=factories.TODAY)
    assert listed is not other
    assert [o.pk for o in listed] == [first.pk]
    # Evaluating one copy leaves the other (and the one built) unread.
    assert other._result_cache is None
    assert _organisation_list_built(factories.TODAY)._result_cache is None

    second = factories.OrganisationFactory(name="Bexley Works")
    assert [o.pk for o in organisation_list(today=factories.TODAY)] == [
        first.pk,
        second.pk,
    ]
    # A copy filtered further does not narrow the next one.
    assert organisation_list(today=factories.TODAY).filter(pk=first.pk).count() == 1
    assert organisation_list(today=factories.TODAY).count() == 2


def test_it_is_built_once_a_day():
    _organisation_list_built.cache_clear()
    organisation_list(today=factories.TODAY)
    organisation_list(today=factories.TODAY)
    info = _organisation_list_built.cache_info()
    assert (info.misses, info.hits) == (1, 1)
    # Another day's list is another build: the day is in its figures.
    tomorrow = organisation_list(today=factories.TODAY + dt.timedelta(days=1))
    assert _organisation_list_built.cache_info().misses == 2
    assert str(factories.TODAY + dt.timedelta(days=1)) in str(tomorrow.query)


def test_the_pages_that_use_it_leave_the_one_built_alone(manager):
    """Filtered, cut, used as a subquery, read for one organisation, and
    behind the list and the dashboard: the day's built queryset keeps its SQL
    and is never read."""
    from django.urls import reverse

    from partners.models import Organisation
    from partners.selectors import organisation_get
    from tests.clients import VerifiedClient

    org = factories.OrganisationFactory(name="Zed")
    factories.AssociationFactory(organisation=org)
    built = _organisation_list_built(factories.TODAY)
    before = str(built.query)
    listed = organisation_list(today=factories.TODAY)
    list(listed.filter(name="Zed").values("pk", "tier_name"))
    list(listed.select_related(None).only("name")[:1])
    list(
        Organisation.objects.filter(
            pk__in=organisation_list(today=factories.TODAY).values("pk")
        )
    )
    organisation_get(pk=org.pk, today=factories.TODAY)
    organisation_list(today=factories.TODAY).order_by("-tier_rank").count()
    client = VerifiedClient()
    client.force_login(manager)
    for url, params in (
        (reverse("partners:organisation_list"), {"q": "zed", "sort": "tier"}),
        (reverse("workspace:dashboard"), {"scope": "all"}),
    ):
        assert client.get(url, params).status_code == 200
    assert str(built.query) == before
    assert built._result_cache is None
