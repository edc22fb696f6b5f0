"""CSV and XLSX from a report's rows, row by row: memory does not grow with them.

CSV is produced as text chunks (a streaming response or a file takes them);
XLSX is written with openpyxl's write-only workbook, which keeps no cells in
memory (each row goes to a temporary file as it is appended).
"""

import csv
import itertools
from collections.abc import Iterable, Iterator
from datetime import date
from typing import IO

from django.utils import timezone

from partners.sheet_names import xlsx_sheet_title

# Rows gathered into one chunk of a streaming response: fewer, larger writes.
ROWS_PER_CHUNK = 500
# XLSX column widths are read from the first rows; a write-only sheet cannot
# be measured after its rows are written.
WIDTH_SAMPLE_ROWS = 200

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def file_stem(slug: str, year: str = "") -> str:
    """A download's file name without its extension: report, year, today."""
    suffix = f"-{year.replace('/', '-')}" if year else ""
    return f"ceop-{slug}{suffix}-{timezone.localdate():%Y%m%d}"


def _cell(value) -> str | int | float | date:
    return "" if value is None else value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_cell(value) -> str:
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    text = str(_cell(value))
    # Spreadsheets run cells that start with these as formulas.
    if text[:1] in ("=", "+", "-", "@") and not _is_number(text):
        text = "'" + text
    return text


class _Line:
    """A file-like object whose write returns the line: csv.writer without a buffer."""

    def write(self, text: str) -> str:
        return text


def csv_chunks(columns: list[str], rows: Iterable[tuple[list, bool]]) -> Iterator[str]:
    """The CSV (with a BOM, so Excel reads UTF-8) as chunks of whole lines."""
    writer = csv.writer(_Line())
    chunk = ["\ufeff" + writer.writerow(columns)]
    for row, _highlight in rows:
        chunk.append(writer.writerow([csv_cell(v) for v in row]))
        if len(chunk) >= ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def xlsx_write(
    *,
    title: str,
    columns: list[str],
    rows: Iterable[tuple[list, bool]],
    out: IO[bytes] | str,
    on_row=None,
) -> int:
    """Write the workbook to ``out`` (a binary file or a path); returns the rows.

    ``on_row(n)`` is called after each row (progress for the worker)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(xlsx_sheet_title(title))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="FFF3CD")
    rows = iter(rows)
    sample = []
    for row in rows:
        sample.append(row)
        if len(sample) >= WIDTH_SAMPLE_ROWS:
            break
    for index, name in enumerate(columns):
        width = max([len(str(name))] + [len(str(_cell(r[index]))) for r, _ in sample])
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(
            max(width, 8), 60
        )
    header = []
    for name in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    written = 0
    for row, highlight in itertools.chain(sample, rows):
        cells = []
        for value in row:
            value = _cell(value)
            if isinstance(value, str) and value[:1] in ("=", "+", "@"):
                value = "'" + value
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, date):
                cell.number_format = "DD/MM/YYYY"
            if highlight:
                cell.fill = fill
            cells.append(cell)
        sheet.append(cells)
        written += 1
        if on_row is not None:
            on_row(written)
    workbook.save(out)
    return written
