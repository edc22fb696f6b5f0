"""OpenAPI description: the token scheme and the errors of every operation."""

import inspect

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import get_doc
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
    """Adds the error responses every operation can give, so none is undocumented,
    and says who may call each operation (from the view's role attributes)."""

    def get_description(self) -> str:
        # Only the concrete view's own docstring: the shared base classes' docs
        # are about the code, not the endpoint.
        action = getattr(self.view, getattr(self.view, "action", "") or "", None)
        action_doc = get_doc(action) if action is not None else ""
        own_doc = self.view.__class__.__dict__.get("__doc__")
        return action_doc or (inspect.cleandoc(own_doc) if own_doc else "")

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return operation
        note = self._access_note()
        description = operation.get("description", "").strip()
        operation["description"] = f"{description}\n\n{note}".strip()
        if "summary" not in operation:
            summary = self._default_summary()
            if summary:
                operation["summary"] = summary
        return operation

    def _default_summary(self) -> str | None:
        queryset = getattr(self.view, "queryset", None)
        action = getattr(self.view, "action", None)
        if queryset is None or action not in ("list", "retrieve"):
            return None
        meta = queryset.model._meta
        if action == "list":
            return f"List {meta.verbose_name_plural}"
        return f"One {meta.verbose_name}"

    def _access_note(self) -> str:
        view = self.view
        action = getattr(view, "action", None)
        safe = self.method in ("GET", "HEAD", "OPTIONS")
        if action in getattr(view, "senior_actions", ()):
            staff = "**Who:** senior managers only."
        elif safe:
            staff = "**Who:** every staff role (analysts read only)."
        else:
            staff = (
                "**Who:** relationship managers and senior managers (analysts get 403)."
            )
        if not getattr(view, "partner_access", False) or (
            not safe and action not in getattr(view, "partner_actions", ())
        ):
            partner = "Partner users get 403."
        elif getattr(view, "organisation_field", None) is None:
            partner = "Partner users too."
        else:
            partner = (
                "Partner users too, for their own organisation only: another "
                "organisation's records answer 404 (or 400 when named in the body)."
            )
        return f"{staff} {partner}"

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


class VerifiedSessionScheme(SessionScheme):
    """The browser session (once its second factor is verified)."""

    target_class = "ceop_crm.api.authentication.VerifiedSessionAuthentication"
    priority = 0
