"""The filter backend of the API: filter choices are scoped like the data.

A filter on an organisation (or a user) builds its choices from the whole
table; the browsable API renders them as a select, and an unknown id answers
400 where a known one answers 200. For anyone but staff, organisation choices
are narrowed to what `scope_for_user` allows and user choices are removed.
"""

from django.contrib.auth import get_user_model
from django_filters.filters import QuerySetRequestMixin
from django_filters.rest_framework import DjangoFilterBackend

from ceop_crm.api.scoping import scope_for_user
from ceop_crm.roles import is_staff_member
from partners.models import Organisation


class ScopedFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
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
