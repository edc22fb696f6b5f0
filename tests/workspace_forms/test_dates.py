"""Workspace forms: every date field is the browser's date input, and typed UK
dates still count."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from partners import models as pm
from tests.workspace_forms.helpers import _client

pytestmark = pytest.mark.django_db


def test_dates_are_the_browsers_date_input_and_typed_uk_dates_still_count(
    manager, world
):
    page = _client(manager).get(
        reverse("partners:issue_create", args=[world.organisation.pk])
    )
    today = timezone.localdate()
    assert (
        f'<input type="date" name="raised_on" value="{today.isoformat()}"'
        in page.content.decode()
    )
    response = _client(manager).post(
        reverse("partners:issue_create", args=[world.organisation.pk]),
        {"title": "Late data", "raised_on": "2026-13-40"},
    )
    assert "Enter a real date" in str(response.context["form"].errors)
    _client(manager).post(
        reverse("partners:issue_create", args=[world.organisation.pk]),
        {"title": "Typed by hand", "raised_on": "03/02/2026"},
    )
    issue = pm.RelationshipIssue.objects.get(title="Typed by hand")
    assert issue.raised_on == dt.date(2026, 2, 3)


FORM_MODULES = (
    "partners.forms",
    "partners.joint.forms",
    "partners.portal.forms",
    "partners.imports.forms",
    "partners.public_forms",
    "planning.forms",
    "tiers.forms",
    "ceop_crm.privacy.forms",
)


def test_every_date_field_of_the_workspace_and_portal_is_a_date_input():
    import importlib
    import inspect

    from django import forms

    checked = []
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, forms.BaseForm) or cls.__module__ != name:
                continue
            try:
                form = cls()
            except TypeError:  # needs arguments of its view; fields are declared
                fields = cls.base_fields
            else:
                fields = form.fields
            for field_name, field in fields.items():
                if isinstance(field, forms.DateField):
                    checked.append(f"{cls.__name__}.{field_name}")
                    assert field.widget.input_type == "date", checked[-1]
    assert "RelationshipIssueForm.raised_on" in checked
    assert "ReviewConductForm.completed_on" in checked
    assert len(checked) >= 15
