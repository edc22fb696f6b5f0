"""Serializer fields shared by the apps' APIs."""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers

from ceop_crm.access import may_edit_organisation
from ceop_crm.api.scoping import scope_for_user
from ceop_crm.roles import is_staff_member
from partners.models import Organisation


@extend_schema_field(OpenApiTypes.INT)
class ScopedOrganisationField(serializers.PrimaryKeyRelatedField):
    """An organisation the caller may see: partner users can name only their own."""

    def get_queryset(self):
        request = self.context.get("request")
        return scope_for_user(
            Organisation.objects.all(),
            user=getattr(request, "user", None),
            organisation_field="pk",
        )

    def to_internal_value(self, data):
        organisation = super().to_internal_value(data)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if (
            user is not None
            and is_staff_member(user)
            and not may_edit_organisation(user, organisation)
        ):
            raise exceptions.PermissionDenied(
                "You may change only the organisations you own or deputise for."
            )
        return organisation


class PdfField(serializers.FileField):
    """A PDF upload: checked by size and by its first bytes, not only its name."""

    def to_internal_value(self, data):
        upload = super().to_internal_value(data)
        if upload.size > settings.MOU_DOCUMENT_MAX_BYTES:
            limit = settings.MOU_DOCUMENT_MAX_BYTES // (1024 * 1024)
            raise serializers.ValidationError(
                f"The document is larger than {limit} MB."
            )
        if not upload.name.lower().endswith(".pdf"):
            raise serializers.ValidationError("Upload the signed MoU as a PDF file.")
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise serializers.ValidationError("This file is not a PDF.")
        return upload
