"""API of organisations and their contacts."""

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.response import Response

from ceop_crm.api.fields import ScopedOrganisationField
from ceop_crm.api.serializers import OutputSerializer
from ceop_crm.api.viewsets import ApiViewSet
from ceop_crm.privacy.models import ReadLogEntry
from ceop_crm.privacy.services import contacts_read_log
from ceop_crm.roles import is_staff_member
from partners import services
from partners.apis.common import staff_users
from partners.dedupe.selectors import organisation_merged_target
from partners.models import (
    Contact,
    Organisation,
)
from partners.reports.figures import report_figures_cached
from tiers.models import Association


class OrganisationOutputSerializer(OutputSerializer):
    current_tier = serializers.CharField(
        read_only=True, allow_null=True, help_text="Code of the current level."
    )

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "sector",
            "status",
            "owner",
            "deputy",
            "website",
            "country",
            "description",
            "current_tier",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PartnerOrganisationSerializer(OrganisationOutputSerializer):
    """A partner reads its organisation as the portal shows it: no staff ids."""

    class Meta(OrganisationOutputSerializer.Meta):
        fields = [
            "id",
            "name",
            "sector",
            "status",
            "website",
            "country",
            "description",
            "current_tier",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class OrganisationInputSerializer(serializers.ModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(
        queryset=staff_users(), allow_null=True, required=False
    )
    deputy = serializers.PrimaryKeyRelatedField(
        queryset=staff_users(), allow_null=True, required=False
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "sector",
            "status",
            "owner",
            "deputy",
            "website",
            "country",
            "description",
        ]
        validators: list = []


class OrganisationFilter(filters.FilterSet):
    tier = filters.CharFilter(
        field_name="current_tier", help_text="Code of the current level, e.g. partner."
    )
    updated_since = filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte"
    )

    class Meta:
        model = Organisation
        fields = ["sector", "status", "owner", "deputy", "country"]


@extend_schema_view(
    list=extend_schema(summary="List organisations"),
    retrieve=extend_schema(summary="An organisation"),
)
class OrganisationViewSet(ApiViewSet):
    queryset = Organisation.objects.annotate(
        current_tier=Subquery(
            # At most one current association: no ordering needed.
            Association.objects.filter(organisation=OuterRef("pk"), end__isnull=True)
            .order_by()
            .values("tier__code")[:1]
        )
    ).order_by("name", "pk")
    serializer_class = OrganisationOutputSerializer
    partner_serializer_class = PartnerOrganisationSerializer
    organisation_field = "pk"
    partner_access = True
    filterset_class = OrganisationFilter
    search_fields = ["name", "description", "website"]
    ordering_fields = ["name", "sector", "status", "created_at", "updated_at"]

    # Parameters that leave the number of organisations listed as it is.
    UNCOUNTED_PARAMS = frozenset({"page", "page_size", "ordering", "format"})

    def shared_count(self, request, queryset) -> int | None:
        """Every organisation, counted once for every staff caller until a change
        to the organisations commits (partners.reports.figures): at 100,000
        organisations the count took 5 to 8 ms of each page. None (counted as
        usual) for a filtered or searched list, or a partner's."""
        if not is_staff_member(request.user):
            return None
        if not set(request.query_params) <= self.UNCOUNTED_PARAMS:
            return None
        return report_figures_cached(
            "count:api:organisations",
            today=timezone.localdate(),
            build=queryset.count,
        )

    def retrieve(self, request, *args, **kwargs):
        """A merged organisation's URL answers 301 to the one it was merged into."""
        pk = kwargs.get("pk")
        target = organisation_merged_target(pk=int(pk)) if str(pk).isdigit() else None
        if target is not None and self.get_queryset().filter(pk=target.pk).exists():
            url = request.build_absolute_uri(
                reverse("api:v1:organisation-detail", kwargs={"pk": target.pk})
            )
            return Response(
                {"detail": "This organisation was merged into another.", "url": url},
                status=status.HTTP_301_MOVED_PERMANENTLY,
                headers={"Location": url},
            )
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Create an organisation",
        request=OrganisationInputSerializer,
        responses={201: OrganisationOutputSerializer},
    )
    def create(self, request):
        data = OrganisationInputSerializer(
            data=request.data, context={"request": request}
        )
        data.is_valid(raise_exception=True)
        organisation = services.organisation_create(
            actor=request.user, **data.validated_data
        )
        return self.respond(organisation, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change an organisation",
        request=OrganisationInputSerializer,
        responses={200: OrganisationOutputSerializer},
    )
    def partial_update(self, request, pk=None):
        organisation = self.get_object()
        data = OrganisationInputSerializer(
            organisation, data=request.data, partial=True, context={"request": request}
        )
        data.is_valid(raise_exception=True)
        services.organisation_update(
            organisation=organisation, actor=request.user, **data.validated_data
        )
        return self.respond(organisation)


# --- Contacts -----------------------------------------------------------------


class ContactOutputSerializer(OutputSerializer):
    class Meta:
        model = Contact
        fields = [
            "id",
            "organisation",
            "name",
            "job_title",
            "email",
            "phone",
            "is_primary",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ContactInputSerializer(serializers.ModelSerializer):
    organisation = ScopedOrganisationField()

    class Meta:
        model = Contact
        fields = ["organisation", "name", "job_title", "email", "phone", "is_primary"]
        validators: list = []


class ContactUpdateSerializer(ContactInputSerializer):
    class Meta(ContactInputSerializer.Meta):
        fields = ["name", "job_title", "email", "phone", "is_primary"]


class ContactViewSet(ApiViewSet):
    queryset = Contact.objects.order_by("organisation_id", "-is_primary", "name", "pk")
    serializer_class = ContactOutputSerializer
    partner_serializer_class = ContactOutputSerializer
    partner_access = True
    partner_actions = ("create", "partial_update", "destroy")
    filterset_fields = ["organisation", "is_primary"]
    search_fields = ["name", "email", "job_title"]
    ordering_fields = ["name", "created_at", "updated_at"]

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        contacts_read_log(
            request=request,
            kind=ReadLogEntry.Kind.CONTACT_LIST,
            what="Contacts read through the API (list)",
            contact_ids=[row["id"] for row in response.data.get("results", [])],
        )
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        if response.status_code != status.HTTP_200_OK:
            return response  # 304: nothing shown that was not shown before
        contacts_read_log(
            request=request,
            kind=ReadLogEntry.Kind.CONTACT_VIEW,
            what=f"Contact #{kwargs['pk']} read through the API",
            contact_ids=[int(kwargs["pk"])],
        )
        return response

    @extend_schema(
        summary="Add a contact",
        description="Partner users may add contacts to their own organisation.",
        request=ContactInputSerializer,
        responses={201: ContactOutputSerializer},
    )
    def create(self, request):
        data = ContactInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        contact = services.contact_save(
            contact=Contact(**data.validated_data), actor=request.user
        )
        return self.respond(contact, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a contact",
        request=ContactUpdateSerializer,
        responses={200: ContactOutputSerializer},
    )
    def partial_update(self, request, pk=None):
        contact = self.get_object()
        data = ContactUpdateSerializer(
            contact, data=request.data, partial=True, context={"request": request}
        )
        data.is_valid(raise_exception=True)
        for field, value in data.validated_data.items():
            setattr(contact, field, value)
        services.contact_save(contact=contact, actor=request.user)
        return self.respond(contact)

    @extend_schema(summary="Remove a contact", request=None, responses={204: None})
    def destroy(self, request, pk=None):
        services.contact_delete(contact=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
