"""The filter backend of the API: filter choices are scoped like the data.

A filter on an organisation (or a user) builds its choices from the whole
table; the browsable API renders them as a select, and an unknown id answers
400 where a known one answers 200. For anyone but staff, organisation choices
are narrowed to what `scope_for_user` allows and user choices are removed.

An id or number in a filter that no database column can hold (beyond 64 bits)
answers 400 beside the filter's name, on every database: SQLite cannot even
bind such a value.
"""

import re

from django import forms
from django.contrib.auth import get_user_model
from django_filters.filters import NumberFilter, QuerySetRequestMixin
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

from ceop_crm.api.scoping import scope_for_user
from ceop_crm.roles import is_staff_member
from partners.models import Organisation

_INTEGER = re.compile(r"\s*[+-]?\d+\s*")
_INT64 = range(-(2**63), 2**63)
OUT_OF_RANGE = "Enter a number between -9223372036854775808 and 9223372036854775807."


def refuse_out_of_range_numbers(filterset) -> None:
    """A 400 for an integer no column can hold, in any id or number filter."""
    errors = {}
    for name, filter_ in filterset.filters.items():
        numeric = isinstance(filter_, NumberFilter) or issubclass(
            filter_.field_class, forms.ModelChoiceField
        )
        if not numeric:
            continue
        for key in (name, *(f"{name}_{suffix}" for suffix in ("min", "max"))):
            for raw in getattr(filterset.data, "getlist", lambda _: [])(key):
                values = str(raw).split(",")
                if any(_INTEGER.fullmatch(v) and int(v) not in _INT64 for v in values):
                    errors[key] = [OUT_OF_RANGE]
    if errors:
        raise ValidationError(errors)


class ScopedFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            refuse_out_of_range_numbers(filterset)
        if filterset is None or is_staff_member(request.user):
            return filterset
        User = get_user_model()
        for filter_ in filterset.filters.values():
            if not isinstance(filter_, QuerySetRequestMixin):
                continue
            choices = filter_.get_queryset(request)
            if choices is None:
                continue
            if choices.model is Organisation:
                filter_.queryset = scope_for_user(
                    choices, user=request.user, organisation_field="pk"
                )
            elif choices.model is User:
                filter_.queryset = choices.none()
            else:
                continue
            filter_.__dict__.pop("_field", None)
        return filterset
