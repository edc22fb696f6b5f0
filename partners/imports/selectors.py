"""Reads of imports: the list, the preview of a file's rows, the result."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from partners.dedupe.selectors import LikelyDuplicate, organisation_likely_duplicates
from partners.imports.fields import (
    FIELDS,
    FIELDS_BY_KEY,
    cell_error_messages,
    read_row,
)
from partners.imports.models import ImportJob, ImportRow
from partners.imports.rows import organisation_match
from partners.models import DueDiligence, MoU, Organisation, Sector
from planning.models import Review

PREVIEW_PAGE_SIZE = 50
# Choice fields are shown by their labels.
LABELS = {
    "sector": dict(Sector.choices),
    "mou_status": dict(MoU.Status.choices),
    "dd_outcome": dict(DueDiligence.Outcome.choices),
    "review_recommendation": dict(Review.Recommendation.choices),
}
RESULT_PAGE_SIZE = 100


def import_job_list() -> QuerySet[ImportJob]:
    return ImportJob.objects.select_related("created_by").order_by("-created_at", "-pk")


def import_job_get(*, pk: int) -> ImportJob:
    return ImportJob.objects.select_related("created_by").get(pk=pk)


@dataclass
class PreviewRow:
    number: int
    cells: list[tuple[str, object]]
    errors: list[str] = field(default_factory=list)
    match: Organisation | None = None
    duplicates: list[LikelyDuplicate] = field(default_factory=list)

    @property
    def name(self) -> str:
        return next((v for k, v in self.cells if k == "Name"), "")


@dataclass
class Preview:
    page: Page
    rows: list[PreviewRow]
    total: int
    with_errors: int
    columns: list[str]


def _errors_of(values: list, mapping: dict) -> tuple[dict, list[str]]:
    data, errors = read_row(values, mapping)
    return data, cell_error_messages(errors)


def import_preview(
    *, job: ImportJob, page_number: str | int | None = 1, problems_only: bool = False
) -> Preview:
    """Every row's cells as mapped and its errors; for the rows of one page also
    the organisation it would update and its likely duplicates. Rules of the
    strategy (an MoU in force, due diligence) are checked when the row runs."""
    rows = list(job.rows.order_by("number").values_list("number", "values"))
    checked = [
        (number, values, *_errors_of(values, job.mapping)) for number, values in rows
    ]
    with_errors = sum(1 for *_, errors in checked if errors)
    if problems_only:
        checked = [row for row in checked if row[3]]
    paginator = Paginator(checked, PREVIEW_PAGE_SIZE)
    page = paginator.get_page(page_number)
    keys = [k for _, k in sorted(job.mapping.items(), key=lambda i: int(i[0])) if k]
    order = {f.key: i for i, f in enumerate(FIELDS)}
    keys.sort(key=order.__getitem__)
    preview_rows = []
    for number, _values, data, errors in page.object_list:
        row = PreviewRow(
            number=number,
            cells=[
                (
                    FIELDS_BY_KEY[k].label,
                    LABELS.get(k, {}).get(data.get(k, ""), data.get(k, "")),
                )
                for k in keys
            ],
            errors=errors,
        )
        if data.get("name"):
            try:
                row.match = organisation_match(
                    external_ref=data.get("external_ref", ""),
                    name=data["name"],
                    website=data.get("website", ""),
                )
            except ValidationError as error:
                row.errors.extend(error.messages)
            if row.match is None:
                row.duplicates = organisation_likely_duplicates(
                    name=data["name"],
                    website=data.get("website", ""),
                    email=data.get("contact_email", ""),
                    limit=3,
                )
        preview_rows.append(row)
    return Preview(
        page=page,
        rows=preview_rows,
        total=len(rows),
        with_errors=with_errors,
        columns=[FIELDS_BY_KEY[k].label for k in keys],
    )


def import_result_rows(
    *, job: ImportJob, outcome: str = "", page_number: str | int | None = 1
) -> Page:
    rows = job.rows.select_related("organisation").order_by("number")
    if outcome in ImportRow.Outcome.values:
        rows = rows.filter(outcome=outcome)
    return Paginator(rows, RESULT_PAGE_SIZE).get_page(page_number)


def import_row_name(row: ImportRow, job: ImportJob) -> str:
    """The organisation name a row gives (for the result list)."""
    for index, key in job.mapping.items():
        if key == "name" and int(index) < len(row.values):
            return str(row.values[int(index)] or "")
    return ""
