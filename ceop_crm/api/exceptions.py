"""Rules broken in a service answer 400 with field errors, never 500."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

CONFLICT = "This change conflicts with the current data; reload and try again."


def validation_error_detail(error: DjangoValidationError) -> dict | list:
    """Django's message dict in DRF's shape: `__all__` becomes `non_field_errors`."""
    if hasattr(error, "error_dict"):
        return {
            (
                api_settings.NON_FIELD_ERRORS_KEY
                if field == NON_FIELD_ERRORS
                else field
            ): [str(m) for m in messages]
            for field, messages in error.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: [str(m) for m in error.messages]}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(validation_error_detail(exc))
    elif isinstance(exc, IntegrityError):
        # A constraint a concurrent request won: the service's transaction rolled back.
        exc = exceptions.ValidationError(
            {api_settings.NON_FIELD_ERRORS_KEY: [CONFLICT]}
        )
    return drf_exception_handler(exc, context)
