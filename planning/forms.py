"""Workspace forms of the planning app."""

from django import forms

from partners.forms import UKDateField
from planning.models import Review


class ReviewConductForm(forms.Form):
    progress = forms.CharField(
        label="Progress against Centre Plan objectives",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    benefits_to_ceop = forms.CharField(
        label="Benefits to CEOP", widget=forms.Textarea(attrs={"rows": 3})
    )
    benefits_to_partner = forms.CharField(
        label="Benefits to the partner", widget=forms.Textarea(attrs={"rows": 3})
    )
    recommendation = forms.ChoiceField(
        choices=[("", "Choose…"), *Review.Recommendation.choices]
    )
    completed_on = UKDateField(label="Review held on")
