"""API views that belong to no app."""

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ceop_crm.api.permissions import RolePermission
from ceop_crm.roles import can_edit, is_partner_user, is_senior_manager, is_staff_member


class PingOutputSerializer(serializers.Serializer):
    user = serializers.CharField()
    role = serializers.ChoiceField(
        choices=["senior_manager", "manager", "analyst", "partner"]
    )


class PingApi(APIView):
    """Who the caller is to the API; also the trivial baseline of the benchmark."""

    permission_classes = [RolePermission]
    partner_access = True

    @extend_schema(summary="Check credentials and role", responses=PingOutputSerializer)
    def get(self, request):
        user = request.user
        if is_senior_manager(user):
            role = "senior_manager"
        elif can_edit(user):
            role = "manager"
        elif is_staff_member(user):
            role = "analyst"
        else:
            role = "partner" if is_partner_user(user) else ""
        return Response({"user": user.get_username(), "role": role})


@csrf_exempt
def not_found(request, *args, **kwargs) -> JsonResponse:
    """Unknown URLs under /api/ answer in JSON, like every other API error."""
    return JsonResponse({"detail": "Not found."}, status=404)
