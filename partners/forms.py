"""Workspace forms of the partners app: shape and clean input; services hold the rules."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from ceop_crm.forms import ModelMultipleChoiceField
from partners.models import (
    Contact,
    Contribution,
    ContributionKind,
    DueDiligence,
    MoU,
    Organisation,
    OwnershipLevel,
)
from partners.selectors import staff_user_list
from priorities.models import CentrePlanObjective, Principle, PriorityArea, Threat


class UKDateField(forms.DateField):
    """A date picked in the browser's own date input (shown the UK way in an
    en-GB browser, sent as ISO); dd/mm/yyyy typed by hand is accepted too."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    input_formats = ["%Y-%m-%d", "%d/%m/%Y"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {"invalid": "Enter a real date, e.g. 31/03/2027."},
        )
        super().__init__(*args, **kwargs)


def _staff_choice(**kwargs) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(queryset=staff_user_list(), **kwargs)
    field.label_from_instance = lambda u: u.get_full_name() or u.get_username()
    return field


class OrganisationForm(forms.ModelForm):
    owner = _staff_choice(required=False, label="Relationship owner")
    deputy = _staff_choice(required=False)
    website = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "name",
            "sector",
            "status",
            "owner",
            "deputy",
            "website",
            "country",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "status": "Becomes active when an association starts, ended when it ends.",
        }
        error_messages = {
            "name": {"unique": "An organisation with this name already exists."}
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new organisation is a prospect or under assessment; it becomes
        # active when an association starts.
        self.fields["status"].choices = [
            (Organisation.Status.PROSPECT, Organisation.Status.PROSPECT.label),
            (Organisation.Status.ASSESSMENT, Organisation.Status.ASSESSMENT.label),
        ]
        if self.instance.pk:
            self.fields["status"].choices = Organisation.Status.choices
            # Status follows the association; a level change moves it.
            self.fields["status"].disabled = True

        self.likely_duplicates = []
        if not self.instance.pk:
            self.fields["acknowledge_duplicates"] = forms.BooleanField(
                required=False,
                label="I have checked the likely duplicates: this is another organisation",
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.instance.pk or not cleaned.get("name"):
            return cleaned
        from partners.dedupe.selectors import organisation_likely_duplicates

        self.likely_duplicates = organisation_likely_duplicates(
            name=cleaned["name"], website=cleaned.get("website") or ""
        )
        if self.likely_duplicates and not cleaned.get("acknowledge_duplicates"):
            self.add_error(
                "acknowledge_duplicates",
                "This looks like an organisation already recorded (listed above). "
                "Open it instead, or tick this box if it is another organisation.",
            )
        return cleaned

    def service_fields(self) -> dict:
        return {
            f: self.cleaned_data[f]
            for f in self.fields
            if not self.fields[f].disabled and f != "acknowledge_duplicates"
        }


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "job_title", "email", "phone", "is_primary"]
        labels = {"is_primary": "Primary contact"}

    def _get_validation_exclusions(self):
        # The service demotes the previous primary contact, so the
        # one-primary constraint is checked there, not here.
        exclusions = super()._get_validation_exclusions()
        exclusions.add("is_primary")
        return exclusions


class DueDiligenceForm(forms.Form):
    """An assessment against each principle: met or not, with evidence."""

    assessed_on = UKDateField(label="Assessed on")
    # No answer is chosen for the assessor: a select would otherwise start on
    # its first, most favourable option and an untouched one would pass as it.
    child_protection = forms.ChoiceField(
        choices=[("", "Choose…"), *DueDiligence.ChildProtection.choices],
        label="Child protection procedures",
        error_messages={"required": "Choose what the organisation has in place."},
    )
    brand_risk = forms.ChoiceField(
        choices=[("", "Choose…"), *DueDiligence.BrandRisk.choices],
        label="Risk to CEOP's brand",
        error_messages={"required": "Choose the risk to CEOP's brand."},
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.principles = list(Principle.objects.order_by("order"))
        for p in self.principles:
            self.fields[f"met_{p.pk}"] = forms.BooleanField(
                required=False, label=f"Met: {p.order}. {p.title}"
            )
            self.fields[f"evidence_{p.pk}"] = forms.CharField(
                required=False,
                label="Evidence",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def principle_rows(self):
        return [
            (p, self[f"met_{p.pk}"], self[f"evidence_{p.pk}"]) for p in self.principles
        ]

    def clean(self):
        data = super().clean()
        for p in self.principles:
            if (
                data.get(f"met_{p.pk}")
                and not (data.get(f"evidence_{p.pk}") or "").strip()
            ):
                self.add_error(
                    f"evidence_{p.pk}", "Say what shows this principle is met."
                )
        return data

    def findings(self) -> dict[int, tuple[bool, str]]:
        return {
            p.pk: (
                bool(self.cleaned_data.get(f"met_{p.pk}")),
                self.cleaned_data.get(f"evidence_{p.pk}") or "",
            )
            for p in self.principles
        }


class DueDiligenceDecideForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[
            (DueDiligence.Outcome.APPROVED, "Approve"),
            (DueDiligence.Outcome.REJECTED, "Reject"),
        ],
        widget=forms.RadioSelect,
    )
    expires_on = UKDateField(
        required=False,
        label="Expires on",
        help_text="Needed to approve.",
    )


class MoUForm(forms.ModelForm):
    centre_plan_objectives = ModelMultipleChoiceField(
        queryset=CentrePlanObjective.objects.select_related("planning_year"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start = UKDateField(required=False)
    end = UKDateField(required=False)

    class Meta:
        model = MoU
        fields = [
            "title",
            "status",
            "start",
            "end",
            "ceop_signatory",
            "partner_signatory",
            "centre_plan_objectives",
            "market_equally",
            "joint_marketing_terms",
        ]
        labels = {
            "ceop_signatory": "CEOP signatory",
            "market_equally": "Both sides agree to market the partnership equally",
        }
        widgets = {"joint_marketing_terms": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only drafts are written here; signing is its own step.
        self.fields["status"].choices = [
            (MoU.Status.DRAFT, MoU.Status.DRAFT.label),
            (MoU.Status.NEGOTIATION, MoU.Status.NEGOTIATION.label),
        ]
        if self.instance.pk and self.instance.status not in (
            MoU.Status.DRAFT,
            MoU.Status.NEGOTIATION,
        ):
            del self.fields["status"]
            for name in ("start", "end"):
                self.fields[name].disabled = True

    def service_fields(self) -> dict:
        return {
            f: self.cleaned_data[f] for f in self.fields if not self.fields[f].disabled
        }


def _is_pdf(upload) -> bool:
    position = upload.tell()
    upload.seek(0)
    head = upload.read(5)
    upload.seek(position)
    return head == b"%PDF-"


class MoUDocumentForm(forms.Form):
    document = forms.FileField(
        label="Signed MoU (PDF)",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_document(self):
        upload = self.cleaned_data["document"]
        limit = settings.MOU_DOCUMENT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {filesizeformat(upload.size)}; the limit is "
                f"{filesizeformat(limit)}."
            )
        if not upload.name.lower().endswith(".pdf") or not _is_pdf(upload):
            raise forms.ValidationError("Upload the signed MoU as a PDF file.")
        return upload


class MoUSignForm(forms.Form):
    signed_on = UKDateField(label="Signed on")
    start = UKDateField()
    end = UKDateField()
    ceop_signatory = forms.CharField(label="CEOP signatory", max_length=150)
    partner_signatory = forms.CharField(label="Partner signatory", max_length=150)


class MoURenewForm(forms.Form):
    start = UKDateField(label="New MoU starts")
    end = UKDateField(label="New MoU ends")


class MoUTerminateForm(forms.Form):
    terminated_on = UKDateField(label="Terminated on")
    termination_reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm = forms.BooleanField(
        label="I understand the MoU ends on this date and cannot be changed afterwards."
    )


class OwnershipLevelForm(forms.ModelForm):
    class Meta:
        model = OwnershipLevel
        fields = ["level", "side", "name", "role", "email", "days_to_resolve"]


class ContributionForm(forms.ModelForm):
    priority_areas = ModelMultipleChoiceField(
        queryset=PriorityArea.objects.order_by("number"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    centre_plan_objectives = ModelMultipleChoiceField(
        queryset=CentrePlanObjective.objects.select_related("planning_year"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start = UKDateField(required=False)
    end = UKDateField(required=False)

    class Meta:
        model = Contribution
        fields = [
            "title",
            "kind",
            "status",
            "description",
            "priority_areas",
            "centre_plan_objectives",
            "start",
            "end",
            "outcomes",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "outcomes": forms.Textarea(attrs={"rows": 3}),
        }


class ProposalForm(forms.Form):
    title = forms.CharField(max_length=200)
    offer = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    kind = forms.ChoiceField(choices=ContributionKind.choices, label="Kind of support")
    priority_areas = ModelMultipleChoiceField(
        queryset=PriorityArea.objects.order_by("number"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    threat = forms.ModelChoiceField(
        queryset=Threat.objects.select_related("planning_year"), required=False
    )
    new_threat = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Or a new threat it addresses",
    )
    other_suggestion = forms.BooleanField(
        required=False,
        label="Or another suggestion, beyond the priority areas",
        help_text="The strategy welcomes suggestions beyond its priority areas; "
        "it is flagged at triage.",
    )


class ProposalDeclineForm(forms.Form):
    decline_reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 3})
    )


class ConfirmForm(forms.Form):
    """A POST with nothing to type: the page itself is the confirmation."""


class RelationshipIssueForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    raised_on = UKDateField(label="Raised on")
    owner = _staff_choice(
        required=False, help_text="Defaults to the relationship owner."
    )


class RelationshipIssueResolveForm(forms.Form):
    resolution = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    resolved_on = UKDateField(label="Resolved on")
