"""Reading an uploaded CSV or XLSX file into a header row and data rows.

XLSX is read (and the failed rows written back) with tablib over openpyxl; CSV
with the standard library's reader, which accepts rows of uneven length as
spreadsheet exports often have them (tablib refuses those). Cells keep their types where the format has them (XLSX dates arrive as dates);
fully blank rows are dropped; every value is stored as JSON, so dates become
ISO text that the field readers accept.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass

import tablib

from ceop_crm.exceptions import ApplicationError

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
FORMATS = {".csv": "csv", ".xlsx": "xlsx"}


@dataclass
class Sheet:
    headers: list[str]
    rows: list[list]


def _json_value(value):
    if isinstance(value, dt.datetime):
        return (
            value.date().isoformat() if value.time() == dt.time() else value.isoformat()
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value is None or isinstance(value, int | float | str | bool):
        return value
    return str(value)


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ApplicationError({"file": ["The file's text encoding is not UTF-8."]})


def sheet_read(*, name: str, content: bytes) -> Sheet:
    """The headers and rows of a CSV or XLSX file, or a message saying what is wrong."""
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    fmt = FORMATS.get(extension)
    if fmt is None:
        raise ApplicationError({"file": ["Upload a CSV (.csv) or Excel (.xlsx) file."]})
    if len(content) > MAX_BYTES:
        raise ApplicationError({"file": ["The file is larger than 10 MB."]})
    try:
        if fmt == "csv":
            table = list(csv.reader(io.StringIO(_decode(content), newline="")))
        else:
            dataset = tablib.Dataset().load(content, format="xlsx")
            table = [list(dataset.headers or []), *dataset]
    except ApplicationError:
        raise
    except Exception:  # any parser error: the file is not what it says
        raise ApplicationError(
            {"file": [f"This file cannot be read as {fmt.upper()}."]}
        ) from None
    first = table[0] if table else []
    while first and first[-1] in (None, ""):
        first = first[:-1]
    headers = [
        str(h).strip() if h not in (None, "") else f"Column {i + 1}"
        for i, h in enumerate(first)
    ]
    if not headers:
        raise ApplicationError({"file": ["The file has no header row."]})
    rows = []
    for row in table[1:]:
        row = (list(row) + [None] * len(headers))[: len(headers)]
        values = [_json_value(v) for v in row]
        if any(v not in (None, "") and str(v).strip() for v in values):
            rows.append(values)
    if not rows:
        raise ApplicationError({"file": ["The file has a header row but no data."]})
    if len(rows) > MAX_ROWS:
        raise ApplicationError(
            {"file": [f"The file has {len(rows):,} rows; import at most {MAX_ROWS:,}."]}
        )
    return Sheet(headers=headers, rows=rows)


def sheet_write_xlsx(*, headers: list[str], rows: list[list]) -> bytes:
    """An XLSX file of these rows under these headers."""
    dataset = tablib.Dataset(headers=headers)
    width = len(headers)
    for row in rows:
        dataset.append((list(row) + [None] * width)[:width])
    return dataset.export("xlsx")
