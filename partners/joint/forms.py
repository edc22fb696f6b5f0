"""The workspace form naming an organisation that works on a contribution."""

from django import forms
from django.urls import reverse

from partners.joint.selectors import organisation_by_name
from partners.models import Organisation

OPTIONS_ID = "organisation-options"


class ContributionPartyForm(forms.Form):
    organisation = forms.CharField(
        label="Organisation working with the lead",
        max_length=200,
        help_text="Type part of its name and choose it from the suggestions.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A text box with suggestions the browser lists (a datalist), filled by
        # htmx as the user types: no script of our own, and typing the full
        # name works without JavaScript.
        self.fields["organisation"].widget.attrs.update(
            {
                "list": OPTIONS_ID,
                "autocomplete": "off",
                "hx-get": reverse("partners:organisation_autocomplete"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": f"#{OPTIONS_ID}",
                "hx-swap": "innerHTML",
            }
        )

    def clean_organisation(self) -> Organisation:
        name = self.cleaned_data["organisation"]
        organisation = organisation_by_name(name=name)
        if organisation is None:
            raise forms.ValidationError(
                f"No organisation is called “{name}”: choose one from the suggestions."
            )
        return organisation
