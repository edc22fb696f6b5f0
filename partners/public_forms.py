"""The public approach form at /get-involved/."""

from django import forms

from partners.models import ContributionKind, Sector
from partners.portal.forms import PriorityAreaChoiceField
from priorities.models import PriorityArea

# Bots fill every field; people never see this one.
HONEYPOT_FIELD = "fax_number"


class ApproachForm(forms.Form):
    organisation_name = forms.CharField(label="Organisation name", max_length=200)
    sector = forms.ChoiceField(
        label="Sector", choices=[("", "Choose a sector"), *Sector.choices]
    )
    country = forms.CharField(label="Country", max_length=80, initial="United Kingdom")
    website = forms.URLField(
        label="Website", required=False, max_length=200, assume_scheme="https"
    )
    description = forms.CharField(
        label="About your organisation",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contact_name = forms.CharField(label="Your name", max_length=150)
    job_title = forms.CharField(label="Your job title", max_length=150, required=False)
    contact_email = forms.EmailField(label="Your email address", max_length=254)
    contact_phone = forms.CharField(
        label="Your telephone number", max_length=40, required=False
    )
    title = forms.CharField(label="A short title for your offer", max_length=200)
    kind = forms.ChoiceField(
        label="Kind of support",
        choices=[("", "Choose the kind of support"), *ContributionKind.choices],
    )
    offer = forms.CharField(
        label="What you offer",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="People, skills, technology, data or funding, and for how long. Up to 5,000 characters.",
    )
    priority_areas = PriorityAreaChoiceField(
        label="Priority areas it serves",
        queryset=PriorityArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_threat = forms.CharField(
        label="Or a threat to children it helps address",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    other_suggestion = forms.BooleanField(
        label="Or it is another suggestion, beyond these areas",
        required=False,
        help_text="We welcome suggestions beyond our current priorities.",
    )
    fax_number = forms.CharField(
        label="Leave this field empty",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, priority_areas, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priority_areas"].queryset = priority_areas

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

    def clean(self) -> dict:
        data = super().clean()
        if (
            not data.get("priority_areas")
            and not (data.get("new_threat") or "").strip()
            and not data.get("other_suggestion")
        ):
            self.add_error(
                "priority_areas",
                "Choose at least one priority area, describe the threat your "
                "support helps address, or offer it as another suggestion.",
            )
        return data
