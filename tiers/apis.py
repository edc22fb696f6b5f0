"""REST API of the levels of association.

Associations are read only: they change through tier moves, which a manager
requests and a senior manager approves or rejects (tiers.services).
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action

from ceop_crm.api.fields import ScopedOrganisationField
from ceop_crm.api.serializers import OutputSerializer
from ceop_crm.api.viewsets import ApiViewSet, ReadOnlyViewSet
from tiers import services
from tiers.models import (
    Association,
    Benefit,
    BenefitDelivery,
    KeyCharacteristic,
    TierChange,
    TierChangeEvidence,
    TierLevel,
)

# --- Tier levels --------------------------------------------------------------


class KeyCharacteristicSerializer(OutputSerializer):
    class Meta:
        model = KeyCharacteristic
        fields = ["id", "order", "text", "automatic_check"]
        read_only_fields = fields


class BenefitSerializer(OutputSerializer):
    class Meta:
        model = Benefit
        fields = ["id", "order", "text", "grants_logo"]
        read_only_fields = fields


class TierLevelOutputSerializer(OutputSerializer):
    characteristics = KeyCharacteristicSerializer(many=True, read_only=True)
    benefits = BenefitSerializer(many=True, read_only=True)

    class Meta:
        model = TierLevel
        fields = [
            "id",
            "code",
            "name",
            "rank",
            "definition",
            "is_association",
            "monitoring_frequency",
            "requires_mou",
            "benefits_allowed",
            "characteristics",
            "benefits",
        ]
        read_only_fields = fields


class TierLevelViewSet(ReadOnlyViewSet):
    """The four levels with their key characteristics and benefits (reference data)."""

    queryset = TierLevel.objects.prefetch_related(
        "characteristics", "benefits"
    ).order_by("-rank")
    serializer_class = TierLevelOutputSerializer
    partner_serializer_class = TierLevelOutputSerializer
    organisation_field = None
    partner_access = True
    filterset_fields = ["code", "is_association"]
    search_fields = ["name", "definition"]
    ordering_fields = ["rank", "name"]


# --- Associations -------------------------------------------------------------


class AssociationOutputSerializer(OutputSerializer):
    tier_code = serializers.CharField(source="tier.code", read_only=True)
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = Association
        fields = [
            "id",
            "organisation",
            "tier",
            "tier_code",
            "start",
            "end",
            "end_reason",
            "mou",
            "is_current",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PartnerAssociationSerializer(AssociationOutputSerializer):
    """Without CEOP's reason for ending or moving an association."""

    class Meta(AssociationOutputSerializer.Meta):
        fields = [
            "id",
            "organisation",
            "tier",
            "tier_code",
            "start",
            "end",
            "mou",
            "is_current",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class AssociationViewSet(ReadOnlyViewSet):
    """An organisation's levels over time; change them with a tier move."""

    queryset = Association.objects.select_related("tier").order_by(
        "organisation_id", "-start", "-pk"
    )
    serializer_class = AssociationOutputSerializer
    partner_serializer_class = PartnerAssociationSerializer
    partner_access = True
    filterset_fields = {
        "organisation": ["exact"],
        "tier": ["exact"],
        "end": ["isnull"],
        "start": ["gte", "lte"],
    }
    ordering_fields = ["start", "end", "created_at"]


# --- Tier moves ---------------------------------------------------------------


class TierChangeEvidenceSerializer(OutputSerializer):
    class Meta:
        model = TierChangeEvidence
        fields = ["characteristic", "evidence", "automatic_result"]
        read_only_fields = fields


class TierMoveOutputSerializer(OutputSerializer):
    evidence = TierChangeEvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = TierChange
        fields = [
            "id",
            "organisation",
            "from_association",
            "to_tier",
            "direction",
            "effective_date",
            "reason",
            "status",
            "requested_by",
            "decided_by",
            "decided_at",
            "decision_reason",
            "resulting_association",
            "evidence",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class EvidenceInputSerializer(serializers.Serializer):
    characteristic = serializers.IntegerField(min_value=1)
    evidence = serializers.CharField(allow_blank=True, max_length=5000)


class TierMoveInputSerializer(serializers.Serializer):
    organisation = ScopedOrganisationField()
    to_tier = serializers.PrimaryKeyRelatedField(
        queryset=TierLevel.objects.all(),
        allow_null=True,
        help_text="The target level; null ends the association.",
    )
    effective_date = serializers.DateField()
    reason = serializers.CharField(allow_blank=True)
    evidence = EvidenceInputSerializer(
        many=True,
        required=False,
        help_text="Evidence against each key characteristic of the target level "
        "that is not met automatically.",
    )


class TierMoveDecisionSerializer(serializers.Serializer):
    decision_reason = serializers.CharField(
        allow_blank=True, required=False, default=""
    )


class TierMoveViewSet(ApiViewSet):
    """Requested by managers, decided by a senior manager other than the requester.

    Staff only: partner users get 403.
    """

    queryset = TierChange.objects.prefetch_related("evidence").order_by(
        "-created_at", "-pk"
    )
    serializer_class = TierMoveOutputSerializer
    senior_actions = ("approve", "reject")
    filterset_fields = ["organisation", "status", "direction", "to_tier"]
    search_fields = ["reason"]
    ordering_fields = ["created_at", "effective_date", "decided_at"]

    @extend_schema(
        summary="Request a tier move",
        request=TierMoveInputSerializer,
        responses={201: TierMoveOutputSerializer},
    )
    def create(self, request):
        data = TierMoveInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        evidence = {
            e["characteristic"]: e["evidence"] for e in fields.pop("evidence", [])
        }
        change = services.tier_change_request(
            actor=request.user, evidence=evidence, **fields
        )
        return self.respond(change, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Approve a tier move (senior managers)",
        description="Closes the current association, opens the next and "
        "reschedules reviews. The requester cannot approve their own move.",
        request=TierMoveDecisionSerializer,
        responses={200: TierMoveOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        change = self.get_object()
        data = TierMoveDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.tier_change_approve(
            tier_change=change,
            actor=request.user,
            reason=data.validated_data["decision_reason"],
        )
        return self.respond(change)

    @extend_schema(
        summary="Reject a tier move with a reason (senior managers)",
        request=TierMoveDecisionSerializer,
        responses={200: TierMoveOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        change = self.get_object()
        data = TierMoveDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.tier_change_reject(
            tier_change=change,
            actor=request.user,
            reason=data.validated_data["decision_reason"],
        )
        return self.respond(change)


# --- Benefit deliveries -------------------------------------------------------


class BenefitDeliveryOutputSerializer(OutputSerializer):
    class Meta:
        model = BenefitDelivery
        fields = [
            "id",
            "organisation",
            "association",
            "benefit",
            "delivered_on",
            "description",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class BenefitDeliveryInputSerializer(serializers.Serializer):
    organisation = ScopedOrganisationField()
    benefit = serializers.PrimaryKeyRelatedField(queryset=Benefit.objects.all())
    delivered_on = serializers.DateField()
    description = serializers.CharField(allow_blank=True, required=False, default="")


class BenefitDeliveryViewSet(ApiViewSet):
    queryset = BenefitDelivery.objects.order_by("-delivered_on", "-pk")
    serializer_class = BenefitDeliveryOutputSerializer
    partner_serializer_class = BenefitDeliveryOutputSerializer
    partner_access = True
    filterset_fields = {
        "organisation": ["exact"],
        "benefit": ["exact"],
        "delivered_on": ["gte", "lte"],
    }
    ordering_fields = ["delivered_on", "created_at"]

    @extend_schema(
        summary="Record a benefit given to an organisation",
        description="Only benefits of its level on that date; never to a supplier.",
        request=BenefitDeliveryInputSerializer,
        responses={201: BenefitDeliveryOutputSerializer},
    )
    def create(self, request):
        data = BenefitDeliveryInputSerializer(
            data=request.data, context={"request": request}
        )
        data.is_valid(raise_exception=True)
        delivery = services.benefit_delivery_record(
            actor=request.user, **data.validated_data
        )
        return self.respond(delivery, status.HTTP_201_CREATED)
