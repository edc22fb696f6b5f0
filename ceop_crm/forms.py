"""Form pieces every audience shares (workspace, portal, admin)."""

from django import forms
from django.core.exceptions import ValidationError


def add_service_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ApplicationError beside the fields it names.

    Messages for a field the form does not show (absent, hidden, or read-only in
    admin) go above the form, where ``add_error`` would otherwise raise.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages in error.message_dict.items():
        field = form.fields.get(name)
        shown = field is not None and not field.widget.is_hidden
        form.add_error(name if shown else None, messages)
