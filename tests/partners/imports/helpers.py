"""Building import files and running them as a senior manager would."""

import csv
import io

from partners.imports import services
from partners.imports.mapping import import_job_map

HEADERS = [
    "Ref",
    "Organisation",
    "Sector",
    "Website",
    "Owner",
    "Contact",
    "Email",
    "Level",
    "Start date",
    "MoU",
    "MoU signed",
    "MoU start",
    "MoU end",
    "CEOP signatory",
    "Partner signatory",
    "Due diligence",
    "DD date",
    "DD expiry",
    "Last review",
    "Recommendation",
]


def row(**cells) -> dict:
    """A row by header; unnamed cells are empty."""
    unknown = set(cells) - set(HEADERS)
    assert not unknown, unknown
    return cells


def csv_bytes(rows: list[dict], headers: list[str] = HEADERS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for r in rows:
        writer.writerow([r.get(h, "") for h in headers])
    return out.getvalue().encode()


def upload(rows: list[dict], actor, name: str = "partners.csv", headers=HEADERS):
    job = services.import_job_create(
        name=name, content=csv_bytes(rows, headers), actor=actor
    )
    return import_job_map(job=job, mapping=job.mapping, actor=actor)


def run(rows: list[dict], actor, name: str = "partners.csv"):
    """Upload, confirm and run an import with the guessed columns; the finished job."""
    job = upload(rows, actor, name)
    services.import_job_confirm(job=job, actor=actor)
    return services.import_job_run(job_id=job.pk)


def outcomes(job) -> dict[int, tuple[str, str]]:
    return {r.number: (r.outcome, r.message) for r in job.rows.order_by("number")}


PARTNER = {
    "Level": "Partner",
    "Start date": "01/06/2025",
    "MoU": "Signed",
    "MoU signed": "15/05/2025",
    "MoU start": "01/06/2025",
    "MoU end": "31/05/2028",
    "CEOP signatory": "Director of Partnerships",
    "Partner signatory": "K Jones",
    "Due diligence": "Approved",
    "DD date": "01/05/2025",
    "DD expiry": "01/05/2027",
}
