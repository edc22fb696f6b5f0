"""The one error a service raises when a rule of the strategy is broken.

It is a Django ValidationError, so a form shows it beside the field it names,
admin shows it as a form error and the API turns it into a 400 with field errors.
"""

from django.core.exceptions import ValidationError


class ApplicationError(ValidationError):
    pass
