"""Forms of the partner portal: they shape and clean input; services hold the rules."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import QuerySet

from ceop_crm.forms import ModelMultipleChoiceField
from partners.models import Contact, ContributionKind
from partners.portal.selectors import portal_username_for
from planning.services.self_assessment import SELF_ASSESSMENT_MAX_CHARS
from priorities.models import PriorityArea, Threat


def _text(label: str, help_text: str = "", *, rows: int = 5, max_length: int = 5000):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class SelfAssessmentForm(forms.Form):
    progress = _text(
        "Progress",
        "What you have delivered with CEOP since the last review, against the objectives you support.",
        max_length=SELF_ASSESSMENT_MAX_CHARS,
    )
    benefits_received = _text(
        "Benefits your organisation received",
        max_length=SELF_ASSESSMENT_MAX_CHARS,
    )
    benefits_given = _text(
        "Benefits your organisation gave CEOP",
        max_length=SELF_ASSESSMENT_MAX_CHARS,
    )
    improvements = _text(
        "What could be better",
        "On either side: what would make the relationship work better.",
        max_length=SELF_ASSESSMENT_MAX_CHARS,
    )


class PriorityAreaChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: PriorityArea) -> str:
        return f"{obj.number}. {obj.title}"


class ProposalForm(forms.Form):
    title = forms.CharField(
        label="A short title for your offer",
        max_length=200,
    )
    kind = forms.ChoiceField(
        label="Kind of support",
        choices=[("", "Choose the kind of support"), *ContributionKind.choices],
    )
    offer = forms.CharField(
        label="What you offer",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="People, skills, technology, data or funding, and for how long.",
    )
    priority_areas = PriorityAreaChoiceField(
        label="Priority areas it serves",
        queryset=PriorityArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    threat = forms.ModelChoiceField(
        label="Or a threat from this year's Strategic Threat Assessment",
        queryset=Threat.objects.none(),
        required=False,
        empty_label="None of these",
    )
    new_threat = forms.CharField(
        label="Or a new threat it helps address",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args,
        priority_areas: QuerySet[PriorityArea],
        threats: QuerySet[Threat],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priority_areas"].queryset = priority_areas
        self.fields["threat"].queryset = threats
        if not threats.exists():
            del self.fields["threat"]

    def clean(self) -> dict:
        data = super().clean()
        if (
            not data.get("priority_areas")
            and not data.get("threat")
            and not (data.get("new_threat") or "").strip()
        ):
            self.add_error(
                "priority_areas",
                "Choose at least one priority area, or name the threat this support addresses.",
            )
        return data


class OrganisationProfileForm(forms.Form):
    """What a partner may change about its organisation (not name or sector)."""

    website = forms.URLField(
        label="Website", required=False, max_length=200, assume_scheme="https"
    )
    country = forms.CharField(label="Country", max_length=80)
    description = forms.CharField(
        label="About your organisation",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "job_title", "email", "phone", "is_primary"]
        labels = {"is_primary": "Primary contact for CEOP"}


class PortalAuthenticationForm(AuthenticationForm):
    """Sign-in with the email address in any letter case: a partner's account is
    named by the address, lower-cased when they were invited. Normalising before
    authentication also keeps the lockout counting one name per account."""

    def clean(self):
        typed = self.cleaned_data.get("username")
        if typed:
            self.cleaned_data["username"] = portal_username_for(login=typed)
        return super().clean()
