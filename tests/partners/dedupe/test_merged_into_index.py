"""Deleting an organisation checks that no merged record points at it
(on_delete=PROTECT): a partial index of the merged records serves that check,
which would otherwise read every organisation."""

import pytest
from django.db import connection, transaction

from partners.models import Organisation
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="reads PostgreSQL's query plan"
)
def test_the_delete_check_for_merged_records_uses_the_partial_index():
    kept = factories.OrganisationFactory()
    lookup = Organisation._base_manager.filter(merged_into__in=[kept.pk])
    with transaction.atomic(), connection.cursor() as cursor:
        # On a table this small the planner would read it whole anyway.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = lookup.explain()
    assert "organisation_merged_into" in plan, plan
