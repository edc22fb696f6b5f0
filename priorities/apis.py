"""REST API of CEOP's priorities: reference data every signed-in user may read."""

from ceop_crm.api.serializers import OutputSerializer
from ceop_crm.api.viewsets import ReadOnlyViewSet
from priorities.models import Objective, Principle, PriorityArea


class ObjectiveOutputSerializer(OutputSerializer):
    class Meta:
        model = Objective
        fields = ["id", "code", "description", "order"]
        read_only_fields = fields


class ObjectiveViewSet(ReadOnlyViewSet):
    queryset = Objective.objects.order_by("order")
    serializer_class = ObjectiveOutputSerializer
    partner_serializer_class = ObjectiveOutputSerializer
    organisation_field = None
    partner_access = True
    filterset_fields = ["code"]
    ordering_fields = ["order", "code"]


class PriorityAreaOutputSerializer(OutputSerializer):
    class Meta:
        model = PriorityArea
        fields = [
            "id",
            "number",
            "title",
            "summary",
            "objectives",
            "is_current",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PriorityAreaViewSet(ReadOnlyViewSet):
    queryset = PriorityArea.objects.prefetch_related("objectives").order_by("number")
    serializer_class = PriorityAreaOutputSerializer
    partner_serializer_class = PriorityAreaOutputSerializer
    organisation_field = None
    partner_access = True
    filterset_fields = ["is_current", "objectives"]
    search_fields = ["title", "summary"]
    ordering_fields = ["number", "title"]


class PrincipleOutputSerializer(OutputSerializer):
    class Meta:
        model = Principle
        fields = ["id", "order", "title", "text"]
        read_only_fields = fields


class PrincipleViewSet(ReadOnlyViewSet):
    queryset = Principle.objects.order_by("order")
    serializer_class = PrincipleOutputSerializer
    partner_serializer_class = PrincipleOutputSerializer
    organisation_field = None
    partner_access = True
    search_fields = ["title", "text"]
    ordering_fields = ["order", "title"]
