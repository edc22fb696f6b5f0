"""Lookups the ORM lacks."""

from django.db import connection
from django.db.models import F, Lookup, Q


class AnyOf(Lookup):
    """``column = ANY(%s)`` with the values as one array parameter (PostgreSQL
    only): ``pk__in=[…]`` writes one placeholder per value, and each value is
    prepared in Python. Used as an expression, ``filter(AnyOf(F("pk"), ids))``;
    PostgreSQL reads the rows from the column's index, one probe per value.
    """

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        if connection.vendor != "postgresql":
            raise NotImplementedError("AnyOf needs PostgreSQL arrays.")
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs_sql} = ANY(%s)", (*lhs_params, [int(v) for v in self.rhs])


def id_in(field: str, ids: list[int]) -> "Q | AnyOf":
    """``field IN ids`` as a condition for ``filter()``: ``= ANY(%s)`` with one
    array parameter on PostgreSQL (AnyOf), ``IN (…)`` elsewhere. For a page's
    few hundred ids, preparing each value of an ``IN`` in Python cost more than
    the query."""
    if connection.vendor == "postgresql":
        return AnyOf(F(field), ids)
    return Q(**{f"{field}__in": ids})
