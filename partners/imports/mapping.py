"""Which column fills which field: guessed from the headers, corrected by the
user, remembered for the user's next file."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ceop_crm.exceptions import ApplicationError
from partners.imports.fields import FIELDS, FIELDS_BY_KEY, header_key
from partners.imports.models import ImportColumnMapping, ImportJob

_KNOWN = {}
for _field in FIELDS:
    for _name in (_field.key, _field.label, *_field.headers):
        _KNOWN.setdefault(header_key(_name.replace("_", " ")), _field.key)


def mapping_guess(
    *, headers: list[str], remembered: dict[str, str] | None = None
) -> dict[str, str]:
    """{column index: field key or ""}: the user's last choice for a header, else
    the field the header names; a field is filled from one column at most."""
    remembered = remembered or {}
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for index, header in enumerate(headers):
        key = header_key(header)
        guess = remembered.get(key, _KNOWN.get(key, ""))
        if guess not in FIELDS_BY_KEY or guess in used:
            guess = ""
        if guess:
            used.add(guess)
        mapping[str(index)] = guess
    return mapping


def mapping_remembered(*, user: AbstractBaseUser) -> dict[str, str]:
    row = ImportColumnMapping.objects.filter(user=user).first()
    return dict(row.mapping) if row else {}


@transaction.atomic
def import_job_map(
    *, job: ImportJob, mapping: dict[str, str], actor: AbstractBaseUser
) -> ImportJob:
    """Set the columns of an import not yet confirmed; remember them for the user."""
    if job.status != ImportJob.Status.UPLOADED:
        raise ApplicationError("This import has already been confirmed.")
    cleaned = {}
    used: dict[str, str] = {}
    errors = []
    for index in range(len(job.headers)):
        key = mapping.get(str(index), "") or ""
        if key and key not in FIELDS_BY_KEY:
            errors.append(f"Column “{job.headers[index]}”: unknown field.")
            continue
        if key and key in used:
            errors.append(
                f"{FIELDS_BY_KEY[key].label} is chosen for both “{used[key]}” and "
                f"“{job.headers[index]}”."
            )
            continue
        if key:
            used[key] = job.headers[index]
        cleaned[str(index)] = key
    missing = [f.label for f in FIELDS if f.required and f.key not in used]
    if missing:
        errors.append("Choose a column for: " + ", ".join(missing) + ".")
    if errors:
        raise ApplicationError(errors)
    job.mapping = cleaned
    job.save(update_fields=["mapping", "updated_at"])
    remembered, _ = ImportColumnMapping.objects.get_or_create(user=actor)
    for index, key in cleaned.items():
        remembered.mapping[header_key(job.headers[int(index)])] = key
    remembered.save()
    return job
