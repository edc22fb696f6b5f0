"""Forms of imports: the upload and the mapping of columns to fields."""

from django import forms

from partners.imports.fields import FIELDS
from partners.imports.models import ImportJob


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Spreadsheet",
        help_text=(
            "CSV or Excel (.xlsx), one organisation per row, headers in the first "
            "row. A file of failed rows downloaded from an earlier import can be "
            "uploaded again once fixed."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


def _choices() -> list[tuple[str, list[tuple[str, str]]] | tuple[str, str]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for field in FIELDS:
        label = f"{field.label} (required)" if field.required else field.label
        groups.setdefault(field.group, []).append((field.key, label))
    return [("", "— ignore this column —"), *groups.items()]


class ImportMappingForm(forms.Form):
    """One choice per column of the file: which field it fills, or none."""

    def __init__(self, *args, job: ImportJob, samples: list[list], **kwargs):
        super().__init__(*args, **kwargs)
        self.job = job
        choices = _choices()
        for index, header in enumerate(job.headers):
            examples = [
                str(row[index])
                for row in samples
                if index < len(row) and row[index] not in (None, "")
            ][:2]
            self.fields[str(index)] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                initial=job.mapping.get(str(index), ""),
                help_text=("e.g. " + "; ".join(examples)) if examples else "empty",
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    def mapping(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in self.fields}
