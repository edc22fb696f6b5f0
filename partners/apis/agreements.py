"""API of MoUs: reading them, drafting, signing, terminating and renewing through the services."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser

from ceop_crm.api.fields import PdfField, ScopedOrganisationField
from ceop_crm.api.parsers import JSONParser
from ceop_crm.api.scoping import partner_organisation_id
from ceop_crm.api.serializers import OutputSerializer
from ceop_crm.api.viewsets import ApiViewSet
from partners import services
from partners.models import (
    MoU,
    OwnershipLevel,
)
from priorities.models import CentrePlanObjective

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
