"""Build the POST data of an admin add or change page from its GET response.

A test then changes only the fields it is about, as a person would, and the
management forms of every inline are right without being written by hand.
"""

from typing import Any

from django.forms import BaseForm, FileField, MultipleChoiceField, MultiWidget
from django.forms.models import ModelMultipleChoiceField
from django.http import HttpResponse


def _value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [_value(item) for item in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _form_data(form: BaseForm) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if isinstance(field, FileField):
            continue  # A file is only sent when a test uploads one.
        value = form[name].value()
        if isinstance(field, MultipleChoiceField | ModelMultipleChoiceField):
            data[key] = _value(value or [])
        elif isinstance(field.widget, MultiWidget):
            for index, part in enumerate(field.widget.decompress(value)):
                data[f"{key}_{index}"] = _value(part)
        elif value is True:
            data[key] = "on"
        elif value is False:
            continue  # An unticked checkbox is not sent.
        else:
            data[key] = _value(value)
    return data


def admin_form_data(response: HttpResponse) -> dict[str, Any]:
    """The data the page would post if submitted as it is."""
    data = _form_data(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for form in formset.forms:
            data.update(_form_data(form))
    return data


def add_inline_row(data: dict[str, Any], prefix: str, **fields: Any) -> None:
    """Append one new row to the inline with the given prefix."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = _value(value)
