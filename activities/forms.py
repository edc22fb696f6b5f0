"""Forms of activities and tasks: shape input for the services, nothing more."""

from typing import Any

from django import forms
from django.utils import timezone

from activities.models import Activity
from activities.selectors import assignable_people, assignable_users
from ceop_crm.forms import ModelChoiceField, ModelMultipleChoiceField
from partners.models import Organisation


class _DateInput(forms.DateInput):
    input_type = "date"


class _DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ActivityForm(forms.Form):
    """The short form: what, when, a summary, and an optional follow-up."""

    kind = forms.ChoiceField(choices=Activity.Kind.choices, initial="call")
    occurred_at = forms.DateTimeField(
        label="When", widget=_DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    contacts = ModelMultipleChoiceField(
        queryset=None, required=False, label="Contacts who took part"
    )
    follow_up_title = forms.CharField(
        required=False, max_length=200, label="Follow-up (optional)"
    )
    follow_up_due = forms.DateField(
        required=False, label="Follow-up due", widget=_DateInput()
    )
    follow_up_assignee = ModelChoiceField(
        queryset=None, required=False, label="Follow-up for"
    )

    def __init__(
        self,
        *args: Any,
        organisation: Organisation | None,
        user,
        contacts: list | None = None,
        **kwargs,
    ):
        """``contacts``: the organisation's, when already read (the page that
        shows the form lists them): offered without reading them again."""
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].initial = timezone.localtime().replace(
            second=0, microsecond=0
        )
        # Checked against the queryset, offered from the people shared
        # between requests (assignable_people).
        self.fields["follow_up_assignee"].queryset = assignable_users()
        # "Me" is the empty choice: a preselected person would count as a
        # follow-up begun, and an activity without one would be refused.
        self.fields["follow_up_assignee"].choices = [("", "Me"), *assignable_people()]
        if organisation is not None:
            self.fields["contacts"].queryset = organisation.contacts.order_by("name")
            if contacts is not None:
                self.fields["contacts"].choices = [
                    (c.pk, str(c))
                    for c in sorted(contacts, key=lambda c: (c.name.casefold(), c.pk))
                ]
        else:
            del self.fields["contacts"]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.setdefault("contacts", [])
        return data


class ActivityLogForm(ActivityForm):
    """From the dashboard: the organisation is chosen among one's own."""

    organisation = forms.ModelChoiceField(queryset=None)
    field_order = ["organisation"]

    def __init__(self, *args: Any, organisations, user, **kwargs: Any) -> None:
        super().__init__(*args, organisation=None, user=user, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.order_fields(["organisation", *self.fields])


class TaskForm(forms.Form):
    title = forms.CharField(max_length=200)
    due_on = forms.DateField(label="Due", widget=_DateInput())
    assignee = forms.ModelChoiceField(queryset=None, label="For")

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable_users()
        self.fields["assignee"].initial = user.pk


class TaskReassignForm(forms.Form):
    assignee = forms.ModelChoiceField(queryset=None, label="Hand it to")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable_users()
