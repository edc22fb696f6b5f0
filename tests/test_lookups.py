"""ceop_crm.lookups: ``field IN ids`` as one array parameter on PostgreSQL."""

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from ceop_crm.lookups import AnyOf, id_in
from partners.models import Organisation
from tests import factories

pytestmark = pytest.mark.django_db


def test_id_in_finds_the_same_rows_as_in():
    made = [factories.OrganisationFactory() for _ in range(4)]
    wanted = [made[0].pk, made[2].pk, 10**12]
    found = Organisation.objects.filter(id_in("pk", wanted))
    assert sorted(found.values_list("pk", flat=True)) == sorted(wanted[:2])
    assert not Organisation.objects.filter(id_in("pk", [])).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL arrays")
def test_on_postgresql_the_ids_are_one_array_parameter():
    made = [factories.OrganisationFactory() for _ in range(3)]
    condition = id_in("pk", [o.pk for o in made])
    assert isinstance(condition, AnyOf)
    with CaptureQueriesContext(connection) as captured:
        assert Organisation.objects.filter(condition).count() == 3
    [query] = captured.captured_queries
    assert "= ANY(" in query["sql"]
    assert " IN (" not in query["sql"]


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the other databases")
def test_elsewhere_it_is_a_plain_in():
    with pytest.raises(NotImplementedError):
        str(Organisation.objects.filter(AnyOf(F("pk"), [1])).query)
    assert "IN" in str(Organisation.objects.filter(id_in("pk", [1, 2])).query)
