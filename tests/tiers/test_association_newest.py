"""The dashboard's newest associations: their order, and the index that reads them."""

import pytest
from django.db import connection

from tests import factories
from tiers.models import Association
from tiers.selectors import association_list_newest

pytestmark = pytest.mark.django_db


def test_newest_first_with_ties_broken_by_the_later_row():
    first, second, third = factories.AssociationFactory.create_batch(3)
    # Rows written together (as a bulk load does) share their creation time.
    Association.objects.filter(pk__in=[first.pk, second.pk]).update(
        created_at=third.created_at
    )

    assert list(association_list_newest()[:2]) == [third, second]
    assert list(association_list_newest()) == [third, second, first]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_the_newest_are_read_backwards_through_one_index():
    """As on a large table: no sort of every association (0.3 to 0.5 s at
    100,000 organisations with created_at's index alone)."""
    factories.AssociationFactory.create_batch(3)
    sql, params = association_list_newest()[:5].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Index Scan Backward using association_created_id" in plan, plan
    assert "Sort" not in plan, plan
