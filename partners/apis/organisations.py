"""REST API of the partners app: organisations, contacts and MoUs."""

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from ceop_crm.api.fields import PdfField, ScopedOrganisationField
from ceop_crm.api.parsers import JSONParser
from ceop_crm.api.scoping import partner_organisation_id
from ceop_crm.api.serializers import OutputSerializer
from ceop_crm.api.viewsets import ApiViewSet
from ceop_crm.privacy.models import ReadLogEntry
from ceop_crm.privacy.services import contacts_read_log
from partners import services
from partners.apis.common import staff_users
from partners.dedupe.selectors import organisation_merged_target
from partners.models import (
    Contact,
    MoU,
    Organisation,
    OwnershipLevel,
)
from priorities.models import CentrePlanObjective
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


# --- MoUs ---------------------------------------------------------------------


class OwnershipLevelSerializer(OutputSerializer):
    class Meta:
        model = OwnershipLevel
        fields = ["level", "side", "name", "role", "email", "days_to_resolve"]
        read_only_fields = fields


class MoUOutputSerializer(OutputSerializer):
    ownership_levels = OwnershipLevelSerializer(many=True, read_only=True)
    document = serializers.SerializerMethodField()

    class Meta:
        model = MoU
        fields = [
            "id",
            "organisation",
            "title",
            "status",
            "start",
            "end",
            "signed_on",
            "ceop_signatory",
            "partner_signatory",
            "document",
            "centre_plan_objectives",
            "market_equally",
            "joint_marketing_terms",
            "renewal_of",
            "terminated_on",
            "termination_reason",
            "ownership_levels",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_document(self, mou: MoU) -> str | None:
        """Where the signed PDF downloads, if uploaded: the workspace's download for
        staff, the portal's for partner users (both check who asks)."""
        if not mou.document:
            return None
        request = self.context.get("request")
        partner = request is not None and partner_organisation_id(request.user)
        name = "portal:mou_document" if partner else "partners:mou_document"
        path = reverse(name, kwargs={"mou_pk": mou.pk} if partner else {"pk": mou.pk})
        return request.build_absolute_uri(path) if request is not None else path


class PartnerMoUSerializer(MoUOutputSerializer):
    """The MoU as both sides signed it; not CEOP's notes on renewal or termination."""

    class Meta(MoUOutputSerializer.Meta):
        fields = [
            "id",
            "organisation",
            "title",
            "status",
            "start",
            "end",
            "signed_on",
            "ceop_signatory",
            "partner_signatory",
            "document",
            "centre_plan_objectives",
            "market_equally",
            "joint_marketing_terms",
            "terminated_on",
            "ownership_levels",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


# A new MoU is a draft or in negotiation; signing makes it signed.
NEW_MOU_STATUSES = [
    (MoU.Status.DRAFT.value, MoU.Status.DRAFT.label),
    (MoU.Status.NEGOTIATION.value, MoU.Status.NEGOTIATION.label),
]


class MoUInputSerializer(serializers.ModelSerializer):
    organisation = ScopedOrganisationField()
    document = PdfField(required=False)
    centre_plan_objectives = serializers.PrimaryKeyRelatedField(
        queryset=CentrePlanObjective.objects.all(), many=True, required=False
    )
    status = serializers.ChoiceField(choices=NEW_MOU_STATUSES, required=False)

    class Meta:
        model = MoU
        fields = [
            "organisation",
            "title",
            "status",
            "start",
            "end",
            "ceop_signatory",
            "partner_signatory",
            "document",
            "centre_plan_objectives",
            "market_equally",
            "joint_marketing_terms",
        ]
        validators: list = []


class MoUUpdateSerializer(MoUInputSerializer):
    class Meta(MoUInputSerializer.Meta):
        fields = [f for f in MoUInputSerializer.Meta.fields if f != "organisation"]


class MoUSignSerializer(serializers.Serializer):
    signed_on = serializers.DateField()
    start = serializers.DateField()
    end = serializers.DateField()
    ceop_signatory = serializers.CharField(max_length=150, required=False)
    partner_signatory = serializers.CharField(max_length=150, required=False)


class MoUTerminateSerializer(serializers.Serializer):
    terminated_on = serializers.DateField()
    termination_reason = serializers.CharField(allow_blank=True)


class MoURenewSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class MoUViewSet(ApiViewSet):
    queryset = MoU.objects.prefetch_related(
        "ownership_levels", "centre_plan_objectives"
    ).order_by("organisation_id", "-start", "-pk")
    serializer_class = MoUOutputSerializer
    partner_serializer_class = PartnerMoUSerializer
    partner_access = True
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_fields = {
        "organisation": ["exact"],
        "status": ["exact"],
        "end": ["gte", "lte"],
    }
    search_fields = ["title", "ceop_signatory", "partner_signatory"]
    ordering_fields = ["start", "end", "signed_on", "created_at", "updated_at"]

    @extend_schema(
        summary="Draft an MoU",
        description="Send the signed PDF as `document` in a multipart request.",
        request={
            "multipart/form-data": MoUInputSerializer,
            "application/json": MoUInputSerializer,
        },
        responses={201: MoUOutputSerializer},
    )
    def create(self, request):
        data = MoUInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        organisation = fields.pop("organisation")
        mou = services.mou_create(
            organisation=organisation, actor=request.user, **fields
        )
        return self.respond(mou, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change an MoU or upload its signed PDF",
        request={
            "multipart/form-data": MoUUpdateSerializer,
            "application/json": MoUUpdateSerializer,
        },
        responses={200: MoUOutputSerializer},
    )
    def partial_update(self, request, pk=None):
        mou = self.get_object()
        data = MoUUpdateSerializer(
            mou, data=request.data, partial=True, context={"request": request}
        )
        data.is_valid(raise_exception=True)
        services.mou_update(mou=mou, actor=request.user, **data.validated_data)
        return self.respond(mou)

    @extend_schema(
        summary="Sign an MoU",
        request=MoUSignSerializer,
        responses={200: MoUOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        mou = self.get_object()
        data = MoUSignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.mou_sign(mou=mou, actor=request.user, **data.validated_data)
        return self.respond(mou)

    @extend_schema(
        summary="Terminate a signed MoU",
        request=MoUTerminateSerializer,
        responses={200: MoUOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        mou = self.get_object()
        data = MoUTerminateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.mou_terminate(
            mou=mou,
            on=data.validated_data["terminated_on"],
            reason=data.validated_data["termination_reason"],
            actor=request.user,
        )
        return self.respond(mou)

    @extend_schema(
        summary="Draft the renewal of an MoU",
        request=MoURenewSerializer,
        responses={201: MoUOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        mou = self.get_object()
        data = MoURenewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        renewal = services.mou_renew(mou=mou, actor=request.user, **data.validated_data)
        return self.respond(renewal, status.HTTP_201_CREATED)


# --- Contributions ------------------------------------------------------------
