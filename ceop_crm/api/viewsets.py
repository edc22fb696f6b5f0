"""The base every API view set builds on: scoping, roles and conditional reads."""

import hashlib
import json

from django.core.exceptions import ImproperlyConfigured
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from rest_framework import status, viewsets
from rest_framework.response import Response

from ceop_crm.api.scoping import partner_organisation_id, scope_for_user


class ScopedViewSetMixin:
    """Applies `scope_for_user` to every queryset of the view, in this one place.

    Subclasses set:
    - `organisation_field`: lookup from the model to its organisation; None for
      reference data every signed-in user may read;
    - `partner_access`: whether partner users may use the resource at all;
    - `partner_actions`: the writes partner users may make;
    - `senior_actions`: the actions only a senior manager may take;
    - `partner_serializer_class`: what a partner user reads (the fields the
      portal shows them), required wherever `partner_access` is set.
    """

    organisation_field: str | None = "organisation"
    partner_access = False
    partner_actions: tuple[str, ...] = ()
    senior_actions: tuple[str, ...] = ()
    partner_serializer_class = None

    def get_serializer_class(self):
        request = getattr(self, "request", None)
        if request is not None and partner_organisation_id(request.user) is not None:
            if self.partner_serializer_class is None:
                raise ImproperlyConfigured(
                    f"{type(self).__name__} opens to partner users without a "
                    "partner_serializer_class."
                )
            return self.partner_serializer_class
        return super().get_serializer_class()

    def filter_queryset(self, queryset):
        # Filters, search and ordering shape lists; a detail URL names one object
        # (already scoped), so building the filter set there is wasted work.
        if self.action == "list":
            return super().filter_queryset(queryset)
        return queryset

    def get_queryset(self):
        return scope_for_user(
            super().get_queryset(),
            user=self.request.user,
            organisation_field=self.organisation_field,
        )


class ConditionalRetrieveMixin:
    """Detail reads carry an ETag (and Last-Modified where the row has
    `updated_at`) and answer 304 to a matching If-None-Match / If-Modified-Since."""

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.get_serializer(instance).data
        body = json.dumps(data, sort_keys=True, default=str).encode()
        etag = quote_etag(hashlib.sha256(body).hexdigest()[:32])
        updated_at = getattr(instance, "updated_at", None)
        last_modified = int(updated_at.timestamp()) if updated_at else None
        headers = {"ETag": etag}
        if last_modified is not None:
            headers["Last-Modified"] = http_date(last_modified)
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match is not None:
            candidates = {t.strip() for t in if_none_match.split(",")}
            if etag in candidates or f"W/{etag}" in candidates or "*" in candidates:
                return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
        elif last_modified is not None:
            since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
            if since is not None and last_modified <= since:
                return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
        return Response(data, headers=headers)


class ReadOnlyViewSet(
    ScopedViewSetMixin, ConditionalRetrieveMixin, viewsets.ReadOnlyModelViewSet
):
    """List and detail of a resource, scoped and conditional."""


class ApiViewSet(ScopedViewSetMixin, ConditionalRetrieveMixin, viewsets.GenericViewSet):
    """A resource whose writes are explicit methods, each calling one service."""

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)

    def respond(self, instance, status_code=status.HTTP_200_OK) -> Response:
        """The output representation of an object a service returned, re-read
        through the view's queryset so it has its annotations."""
        instance = self.get_queryset().get(pk=instance.pk)
        return Response(self.get_serializer(instance).data, status=status_code)
