"""Form pieces every audience shares (workspace, portal, admin)."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator


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


INT64 = range(-(2**63), 2**63)


class ReadChoiceIterator(ModelChoiceIterator):
    """A select box's options read by one plain query of its queryset, not
    through a server-side cursor as Django's are: on PostgreSQL that is a
    DECLARE, a FETCH and a CLOSE for a box of a few rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ModelChoiceField(forms.ModelChoiceField):
    """Django's, its options read by one plain query (ReadChoiceIterator)."""

    iterator = ReadChoiceIterator


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, with an id no column can hold refused as an invalid choice
    before it reaches the database (SQLite cannot bind it in `pk IN (...)`),
    its options read by one plain query (ReadChoiceIterator)."""

    iterator = ReadChoiceIterator

    def _check_values(self, value):
        for item in value:
            try:
                number = int(str(item).strip())
            except (TypeError, ValueError):
                continue  # not a number: Django's own check explains it
            if number not in INT64:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)
