"""Form pieces every audience shares (workspace, portal, admin)."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


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


def select_html(bound_field: forms.BoundField, css: str | None = None) -> SafeString:
    """A form's select box rendered in Python, as Django's Select widget renders it
    (``css``: its class, instead of the widget's).

    The widget renders a template per option; a filter panel of eight selects
    spent more on that than on the rest of its page.
    """
    widget = bound_field.field.widget
    attrs = dict(widget.attrs)
    if css is not None:
        attrs["class"] = css
    attrs = bound_field.build_widget_attrs(attrs)
    attrs.setdefault("id", bound_field.auto_id)
    if widget.allow_multiple_selected:
        attrs["multiple"] = True
    chosen = set(widget.format_value(bound_field.value()))
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (
                "" if value is None else value,
                mark_safe(" selected") if str(value or "") in chosen else "",
                label,
            )
            for value, label in widget.choices
        ),
    )
    return format_html(
        '<select name="{}"{}>{}</select>',
        bound_field.html_name,
        flatatt(attrs),
        options,
    )


# The Bootstrap class of each kind of widget, as the crispy template pack gives.
_WIDGET_CLASS = {"select": "form-select", "selectmultiple": "form-select"}


def field_widget_html(bound_field: forms.BoundField) -> SafeString:
    """A field's widget with Bootstrap's class, marked invalid when the field
    has errors (``aria-invalid`` and ``aria-describedby`` are Django's); a
    select box rendered in Python (select_html), any other widget by Django."""
    kind = bound_field.widget_type
    css = _WIDGET_CLASS.get(kind, "form-control")
    if bound_field.errors:
        css += " is-invalid"
    if kind in _WIDGET_CLASS:
        return select_html(bound_field, css)
    return bound_field.as_widget(attrs={**bound_field.field.widget.attrs, "class": css})
