"""OpenAPI description: the token scheme and the errors of every operation."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


VALIDATION_ERROR = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description=(
        "Invalid input or a broken rule of the strategy. Keys are field names "
        "(or `non_field_errors`), values lists of messages."
    ),
)
ERRORS = {
    "400": VALIDATION_ERROR,
    "401": OpenApiResponse(ErrorSerializer, description="No or invalid credentials."),
    "403": OpenApiResponse(
        ErrorSerializer, description="Your role does not allow this."
    ),
    "404": OpenApiResponse(
        ErrorSerializer,
        description="No such object, or not one you may see (partner users see "
        "their own organisation only).",
    ),
    "429": OpenApiResponse(
        ErrorSerializer, description="Too many requests for this token."
    ),
}


class ApiAutoSchema(AutoSchema):
    """Adds the error responses every operation can give, so none is undocumented."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["400", "401", "403", "429"]
        if self._is_list_view() and self.method == "GET":
            codes.append("404")  # a page past the end
        elif "{" in self.path:
            codes.append("404")
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(ERRORS[code], code)
        return responses


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "ceop_crm.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token issued by an administrator in Django admin "
            "(API tokens), sent as `Authorization: Bearer <token>`.",
        }
