"""Workspace forms of the tiers app."""

from django import forms

from partners.forms import UKDateField
from tiers.models import Benefit, KeyCharacteristic, TierLevel


class TierChangeForm(forms.Form):
    """A proposed move, with evidence against each key characteristic of the target."""

    effective_date = UKDateField(label="Takes effect on")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the organisation should move.",
    )

    def __init__(self, *args, characteristics: list[KeyCharacteristic], **kwargs):
        super().__init__(*args, **kwargs)
        self.characteristics = characteristics
        for c in characteristics:
            self.fields[f"evidence_{c.pk}"] = forms.CharField(
                required=False,
                label="Evidence",
                # The visible heading names the characteristic; this names the field.
                widget=forms.Textarea(
                    attrs={"rows": 2, "aria-label": f"Evidence for: {c.text}"}
                ),
            )

    def evidence(self) -> dict[int, str]:
        return {
            c.pk: self.cleaned_data.get(f"evidence_{c.pk}") or ""
            for c in self.characteristics
        }


class TierChangeDecisionForm(forms.Form):
    decision_reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, reason_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision_reason"].required = reason_required
        if not reason_required:
            self.fields["decision_reason"].help_text = "Optional."


class BenefitDeliveryForm(forms.Form):
    benefit = forms.ModelChoiceField(queryset=Benefit.objects.none())
    delivered_on = UKDateField(label="Delivered on")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, tier: TierLevel | None, **kwargs):
        super().__init__(*args, **kwargs)
        benefits = Benefit.objects.select_related("tier").filter(
            tier__benefits_allowed=True
        )
        if tier is not None and tier.benefits_allowed:
            benefits = benefits.filter(tier=tier)
        self.fields["benefit"].queryset = benefits.order_by("-tier__rank", "order")
        self.fields["benefit"].label_from_instance = lambda b: (
            b.text if tier and b.tier_id == tier.pk else f"{b.tier.name}: {b.text}"
        )
