"""The one error a service raises when a rule of the strategy is broken.

It is a Django ValidationError, so a form shows it beside the field it names,
admin shows it as a form error and the API turns it into a 400 with field errors.
"""

from django.core.exceptions import ValidationError


class ApplicationError(ValidationError):
    pass


def full_clean(obj) -> None:
    """Model validation whose failure is the application's error, field by field."""
    try:
        obj.full_clean()
    except ValidationError as error:
        if isinstance(error, ApplicationError):
            raise
        raise ApplicationError(
            error.error_dict if hasattr(error, "error_dict") else error.error_list
        ) from error
