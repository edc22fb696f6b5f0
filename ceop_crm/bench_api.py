"""The API baseline of `make bench`: a plain DRF list of the organisations.

The same rows, fields, authentication and page size as /api/v1/organisations/,
with nothing of this project's own between the request and the rows: a
ListAPIView, a ModelSerializer, IsAuthenticated, no throttle, no scoping,
filtering or read log. The benchmark's aim is the real list at least half its
throughput. Mounted with the other baselines (settings.CEOP_BENCH_VIEWS).
"""

from django.db.models import OuterRef, Subquery
from rest_framework import generics, permissions, serializers

from ceop_crm.roles import is_staff_member
from partners.models import Organisation
from tiers.models import Association


class StaffOnly(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return is_staff_member(request.user)


class PlainOrganisationSerializer(serializers.ModelSerializer):
    current_tier = serializers.CharField(read_only=True, allow_null=True)

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


class PlainOrganisationListApi(generics.ListAPIView):
    """Staff only, as the baselines are: a partner user is refused."""

    serializer_class = PlainOrganisationSerializer
    permission_classes = [permissions.IsAuthenticated, StaffOnly]
    filter_backends: list = []
    throttle_classes: list = []

    def get_queryset(self):
        return Organisation.objects.annotate(
            current_tier=Subquery(
                Association.objects.filter(
                    organisation=OuterRef("pk"), end__isnull=True
                )
                .order_by()
                .values("tier__code")[:1]
            )
        ).order_by("name", "pk")
