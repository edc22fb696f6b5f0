"""Forms of the data protection room: who to look for, and why to erase."""

from django import forms

from ceop_crm.privacy.selectors import MIN_NAME_LENGTH, PersonQuery


class PersonForm(forms.Form):
    name = forms.CharField(
        max_length=150,
        required=False,
        help_text="Full name, or part of it (three letters or more).",
    )
    email = forms.EmailField(max_length=254, required=False)

    def clean(self) -> dict:
        cleaned = super().clean()
        name = " ".join((cleaned.get("name") or "").split())
        cleaned["name"] = name
        if name and len(name) < MIN_NAME_LENGTH:
            self.add_error("name", "Give at least three letters of the name.")
        elif not name and not cleaned.get("email") and "email" not in self.errors:
            raise forms.ValidationError("Give the person's name or email.")
        return cleaned

    def person_query(self, *, exact: bool) -> PersonQuery:
        return PersonQuery.of(
            name=self.cleaned_data["name"],
            email=self.cleaned_data.get("email") or "",
            exact=exact,
        )


class ErasureForm(PersonForm):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=(
            "The request or ground for erasure, e.g. “Erasure request received "
            "12/03/2027, reference DP-0042”. Do not name the person: this record "
            "keeps no personal data."
        ),
    )
    confirm = forms.BooleanField(
        label="I have checked the records listed and they are this person's."
    )
