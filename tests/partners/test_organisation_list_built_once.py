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
