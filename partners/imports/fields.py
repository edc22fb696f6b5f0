"""What an import can fill: each field, the headers that name it, how a cell is read.

A cell is read into a Python value or a message saying what is wrong with it;
the rules of the strategy are left to the services the rows go through.
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from partners.models import DueDiligence, MoU, Sector
from planning.models import Review


class CellError(ValueError):
    """A cell that cannot be read; its message is shown beside the row."""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def read_text(value) -> str:
    return _text(value)


def read_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    for pattern in (
        "%d/%m/%Y",
        "%Y-%m-%d",
        "%d-%m-%Y",
        "%d.%m.%Y",
        "%Y-%m-%d %H:%M:%S",
    ):
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    raise CellError(f"“{text}” is not a date: write it as dd/mm/yyyy.")


def read_email(value) -> str:
    text = _text(value)
    if text:
        try:
            validate_email(text)
        except ValidationError:
            raise CellError(f"“{text}” is not an email address.") from None
    return text.lower()


def read_website(value) -> str:
    text = _text(value)
    if text and "://" not in text:
        text = "https://" + text
    if text:
        try:
            URLValidator()(text)
        except ValidationError:
            raise CellError(f"“{text}” is not a website address.") from None
    return text


def _choice(choices: list[tuple[str, str]], what: str, aliases=None) -> Callable:
    lookup = {}
    for value, label in choices:
        lookup[_squash(value)] = value
        lookup[_squash(label)] = value
    for alias, value in (aliases or {}).items():
        lookup[_squash(alias)] = value

    def read(value) -> str:
        text = _text(value)
        if not text:
            return ""
        try:
            return lookup[_squash(text)]
        except KeyError:
            known = ", ".join(label for _, label in choices)
            raise CellError(f"“{text}” is not a {what} ({known}).") from None

    return read


def _squash(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", str(text).casefold())


read_sector = _choice(Sector.choices, "sector", {"voluntary": Sector.VOLUNTARY})
read_mou_status = _choice(
    [
        (MoU.Status.DRAFT, MoU.Status.DRAFT.label),
        (MoU.Status.NEGOTIATION, MoU.Status.NEGOTIATION.label),
        (MoU.Status.SIGNED, MoU.Status.SIGNED.label),
        (MoU.Status.EXPIRED, MoU.Status.EXPIRED.label),
    ],
    "MoU status",
)
read_dd_outcome = _choice(
    DueDiligence.Outcome.choices, "due diligence outcome", {"pending": "pending"}
)
read_recommendation = _choice(
    Review.Recommendation.choices,
    "recommendation",
    {"stay": "stay", "up": "move_up", "down": "move_down", "end": "end"},
)


@dataclass(frozen=True)
class ImportField:
    key: str
    label: str
    group: str
    read: Callable
    headers: tuple[str, ...] = ()
    required: bool = False


FIELDS: tuple[ImportField, ...] = (
    ImportField(
        "external_ref",
        "External reference",
        "Organisation",
        read_text,
        ("reference", "ref", "id", "external id", "account number", "crm id"),
    ),
    ImportField(
        "name",
        "Name",
        "Organisation",
        read_text,
        ("organisation", "organisation name", "organization", "company", "partner"),
        required=True,
    ),
    ImportField("sector", "Sector", "Organisation", read_sector, ("type", "industry")),
    ImportField(
        "website", "Website", "Organisation", read_website, ("web", "url", "site")
    ),
    ImportField("country", "Country", "Organisation", read_text),
    ImportField(
        "description", "Description", "Organisation", read_text, ("notes", "about")
    ),
    ImportField(
        "owner_email",
        "Owner (email)",
        "Organisation",
        read_email,
        ("owner", "relationship owner", "relationship manager", "manager email"),
    ),
    ImportField(
        "deputy_email",
        "Deputy (email)",
        "Organisation",
        read_email,
        ("deputy", "deputy owner"),
    ),
    ImportField(
        "contact_name",
        "Contact name",
        "Contact",
        read_text,
        ("contact", "primary contact", "contact person"),
    ),
    ImportField(
        "contact_job_title",
        "Contact job title",
        "Contact",
        read_text,
        ("job title", "contact role", "role", "position"),
    ),
    ImportField(
        "contact_email", "Contact email", "Contact", read_email, ("email", "e mail")
    ),
    ImportField(
        "contact_phone",
        "Contact phone",
        "Contact",
        read_text,
        ("phone", "telephone", "tel"),
    ),
    ImportField(
        "level",
        "Level",
        "Association",
        read_text,
        ("tier", "current level", "association level", "partnership level"),
    ),
    ImportField(
        "level_start",
        "Level start date",
        "Association",
        read_date,
        ("start date", "level since", "tier start", "associated since"),
    ),
    ImportField("mou_status", "MoU status", "MoU", read_mou_status, ("mou",)),
    ImportField(
        "mou_signed_on", "MoU signed on", "MoU", read_date, ("mou signed", "signed on")
    ),
    ImportField("mou_start", "MoU start", "MoU", read_date, ("mou start date",)),
    ImportField("mou_end", "MoU end", "MoU", read_date, ("mou end date", "mou expiry")),
    ImportField(
        "mou_ceop_signatory",
        "MoU CEOP signatory",
        "MoU",
        read_text,
        ("ceop signatory",),
    ),
    ImportField(
        "mou_partner_signatory",
        "MoU partner signatory",
        "MoU",
        read_text,
        ("partner signatory",),
    ),
    ImportField(
        "dd_outcome",
        "Due diligence outcome",
        "Due diligence",
        read_dd_outcome,
        ("due diligence", "dd", "dd outcome"),
    ),
    ImportField(
        "dd_assessed_on",
        "Due diligence assessed on",
        "Due diligence",
        read_date,
        ("dd date", "due diligence date", "dd assessed"),
    ),
    ImportField(
        "dd_expires_on",
        "Due diligence expires on",
        "Due diligence",
        read_date,
        ("dd expiry", "due diligence expiry", "dd expires"),
    ),
    ImportField(
        "review_completed_on",
        "Past review date",
        "Review",
        read_date,
        ("last review", "last review date", "review date", "reviewed on"),
    ),
    ImportField(
        "review_recommendation",
        "Past review recommendation",
        "Review",
        read_recommendation,
        ("recommendation", "review outcome", "last review outcome"),
    ),
    ImportField(
        "review_notes",
        "Past review notes",
        "Review",
        read_text,
        ("review notes", "review comments", "progress"),
    ),
)
FIELDS_BY_KEY = {f.key: f for f in FIELDS}


def header_key(header: str) -> str:
    """A header as mappings compare it: lower case, words separated by one space."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(header or "").casefold()).split())


def read_row(values: list, mapping: dict[str, str]) -> tuple[dict, dict[str, str]]:
    """The row's values by field key, and a message for each cell that cannot be read."""
    data: dict = {}
    errors: dict[str, str] = {}
    for index, key in mapping.items():
        if not key:
            continue
        position = int(index)
        raw = values[position] if position < len(values) else None
        try:
            data[key] = FIELDS_BY_KEY[key].read(raw)
        except CellError as error:
            errors[key] = str(error)
    for field in FIELDS:
        if field.required and not data.get(field.key) and field.key not in errors:
            errors[field.key] = f"{field.label} is required."
    return data, errors


def cell_error_messages(errors: dict[str, str]) -> list[str]:
    """Each cell's message, led by its field's label."""
    return [
        message
        if message.startswith(FIELDS_BY_KEY[key].label)
        else f"{FIELDS_BY_KEY[key].label}: {message}"
        for key, message in errors.items()
    ]
