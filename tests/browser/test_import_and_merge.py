"""A senior manager imports a spreadsheet with a bad row and a duplicate, fixes the
bad row in the downloaded file, imports it again, then merges the duplicate.

The import runs as the worker would run it (`import_job_run`, called from the
test between page steps): the page itself only polls for progress.
"""

import re
from pathlib import Path

import openpyxl
import pytest

from partners.imports.models import ImportJob
from partners.imports.reading import sheet_write_xlsx
from partners.imports.services import import_job_run
from partners.models import Organisation
from tests import factories
from tests.browser.conftest import BROWSER_DB, sign_in

pytestmark = [pytest.mark.browser, BROWSER_DB]

PHONE = {"width": 390, "height": 844}
HEADERS = ["Reference", "Organisation", "Sector", "Website", "Contact", "Email"]


def scrolls_sideways(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth"
        " > document.documentElement.clientWidth + 1"
    )


def both_widths(page, shot, name: str) -> None:
    """Screenshots at desktop and phone width; no page may scroll sideways."""
    shot(page, name)
    page.set_viewport_size(PHONE)
    shot(page, f"{name}-phone")
    assert not scrolls_sideways(page), f"{page.url} scrolls sideways at phone width"
    page.set_viewport_size({"width": 1280, "height": 900})


def upload_and_preview(page, path: Path, shot=None) -> None:
    page.goto("/organisations/")
    page.get_by_role("link", name="Import").click()
    if shot is not None:
        both_widths(page, shot, "upload")
    page.get_by_label("Spreadsheet").set_input_files(str(path))
    page.get_by_role("button", name="Upload and map columns").click()
    page.get_by_role("heading", name="Which column fills which field?").wait_for()


def run_import(page, shot=None) -> None:
    page.get_by_role("button", name=re.compile(r"^Import \d+ rows?")).click()
    page.get_by_role("progressbar", name="Rows imported").wait_for()
    if shot is not None:
        both_widths(page, shot, "progress")
    job = ImportJob.objects.order_by("-pk").first()
    import_job_run(job_id=job.pk)  # what the Celery worker does
    # The progress bar notices and takes the page to the result.
    page.wait_for_url(re.compile(r"/imports/\d+/result/$"))


def test_import_fix_reimport_and_merge(
    page, page_problems, shot, senior_manager, tmp_path: Path
):
    harbour = factories.OrganisationFactory(
        name="Harbour Trust", website="https://harbourtrust.example"
    )
    first_file = tmp_path / "partners.xlsx"
    first_file.write_bytes(
        sheet_write_xlsx(
            headers=HEADERS,
            rows=[
                [
                    "P-1",
                    "Beacon Ltd",
                    "Industry",
                    "beacon.example",
                    "Bo Roe",
                    "bo@beacon.example",
                ],
                [
                    "P-2",
                    "Lantern plc",
                    "Shipping",
                    "lantern.example",
                    "Cy Doe",
                    "cy@lantern.example",
                ],
                [
                    "P-3",
                    "Harbor Trust",
                    "Voluntary",
                    "",
                    "Di Fox",
                    "di@harbourtrust.example",
                ],
            ],
        )
    )
    sign_in(page, senior_manager.username)
    upload_and_preview(page, first_file, shot)
    both_widths(page, shot, "mapping")
    assert page.get_by_label("Sector").input_value() == "sector"
    page.get_by_role("button", name="Preview the rows").click()

    page.get_by_text("1 with errors").wait_for()
    preview = page.locator("table.import-preview")
    assert "“Shipping” is not a sector" in preview.inner_text()
    assert "Likely duplicate of Harbour Trust" in preview.inner_text()
    both_widths(page, shot, "preview")
    assert not Organisation.objects.filter(name="Beacon Ltd").exists()

    run_import(page, shot)
    both_widths(page, shot, "result")
    counts = page.locator(".import-counts").inner_text()
    assert re.search(r"2\s+created", counts)
    assert re.search(r"1\s+failed", counts)
    assert "Possible duplicate of Harbour Trust" in page.locator("table").inner_text()

    # The failed row comes back as a spreadsheet, with its reason, to fix.
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download the 1 failed row")).click()
    fixed = tmp_path / "fixed.xlsx"
    download.value.save_as(fixed)
    book = openpyxl.load_workbook(fixed)
    sheet = book.active
    assert [c.value for c in sheet[1]][-1] == "Import error"
    assert sheet.cell(row=2, column=2).value == "Lantern plc"
    sheet.cell(row=2, column=3).value = "Industry"
    book.save(fixed)

    upload_and_preview(page, fixed)
    # The columns chosen last time are remembered; the error column is ignored.
    assert page.get_by_label("Import error").input_value() == ""
    page.get_by_role("button", name="Preview the rows").click()
    page.get_by_text("no errors found in the cells").wait_for()
    run_import(page)
    assert re.search(r"1\s+created", page.locator(".import-counts").inner_text())
    lantern = Organisation.objects.get(name="Lantern plc")
    assert lantern.external_ref == "P-2"
    assert lantern.history.get().history_user == senior_manager

    # The duplicate: found on the possible duplicates page, merged away.
    page.goto("/organisations/")
    page.get_by_role("link", name="Possible duplicates").click()
    pairs = page.locator("table.duplicate-pairs")
    pairs.get_by_text("Harbor Trust").wait_for()
    both_widths(page, shot, "duplicates")
    harbor = Organisation.objects.get(name="Harbor Trust")
    pairs.get_by_role("row").filter(has_text="Harbor Trust").get_by_role(
        "link", name="Merge…"
    ).click()
    page.get_by_role("heading", name="What moves to Harbour Trust").wait_for()
    assert "Contacts: 1" in page.locator(".merge-moves").inner_text()
    both_widths(page, shot, "merge-preview")
    page.get_by_role("button", name="Merge Harbor Trust into Harbour Trust").click()
    page.get_by_text("Harbor Trust was merged into Harbour Trust.").wait_for()
    assert page.url.endswith(f"/organisations/{harbour.pk}/")
    assert harbour.contacts.filter(name="Di Fox").exists()

    # The duplicate's old link leads to the organisation kept.
    page.goto(f"/organisations/{harbor.pk}/")
    assert page.url.endswith(f"/organisations/{harbour.pk}/")
    page.goto("/organisations/duplicates/")
    page.get_by_text("No possible duplicates.").wait_for()
    assert not page_problems, page_problems
