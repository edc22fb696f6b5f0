"""Which column fills which field: guessed, corrected, remembered per user."""

import pytest

from ceop_crm.exceptions import ApplicationError
from partners.imports import services
from partners.imports.mapping import import_job_map, mapping_guess
from partners.imports.reading import sheet_read, sheet_write_xlsx
from tests.partners.imports.helpers import HEADERS

pytestmark = pytest.mark.django_db


def test_the_mapping_is_guessed_from_the_headers():
    mapping = mapping_guess(
        headers=[
            "Company",
            "Web",
            "E-mail",
            "Tier",
            "Notes",
            "Favourite colour",
            "DD Expiry",
        ]
    )
    assert mapping == {
        "0": "name",
        "1": "website",
        "2": "contact_email",
        "3": "level",
        "4": "description",
        "5": "",
        "6": "dd_expires_on",
    }


def test_a_field_is_guessed_for_one_column_only():
    assert mapping_guess(headers=["Organisation", "Company"]) == {"0": "name", "1": ""}


def test_the_guess_of_the_sample_file_covers_every_column():
    mapping = mapping_guess(headers=HEADERS)
    assert all(mapping.values()), {
        HEADERS[int(i)]: k for i, k in mapping.items() if not k
    }


def test_a_corrected_mapping_is_remembered_for_the_users_next_file(
    senior_manager, analyst
):
    headers = ["Partner", "Account manager mail", "Tier"]
    job = services.import_job_create(
        name="a.csv", content=job_bytes(headers), actor=senior_manager
    )
    assert job.mapping == {"0": "name", "1": "", "2": "level"}
    import_job_map(
        job=job,
        mapping={"0": "name", "1": "owner_email", "2": ""},
        actor=senior_manager,
    )
    again = services.import_job_create(
        name="b.csv", content=job_bytes(headers), actor=senior_manager
    )
    assert again.mapping == {"0": "name", "1": "owner_email", "2": ""}
    # Another user's guess is their own.
    other = services.import_job_create(
        name="c.csv", content=job_bytes(headers), actor=analyst
    )
    assert other.mapping == {"0": "name", "1": "", "2": "level"}


def job_bytes(headers):
    return (",".join(headers) + "\r\nSome Org,x@y.example,Partner\r\n").encode()


def test_a_mapping_without_the_name_or_with_a_field_twice_is_refused(senior_manager):
    job = services.import_job_create(
        name="a.csv", content=job_bytes(["Name", "Web", "Site"]), actor=senior_manager
    )
    with pytest.raises(ApplicationError) as refused:
        import_job_map(
            job=job,
            mapping={"0": "", "1": "website", "2": "website"},
            actor=senior_manager,
        )
    assert refused.value.messages == [
        "Website is chosen for both “Web” and “Site”.",
        "Choose a column for: Name.",
    ]


def test_csv_rows_of_uneven_length_and_blank_rows_are_read():
    sheet = sheet_read(
        name="x.csv", content=b"Name,Sector,\r\nA Org\r\n,,\r\nB Org,Industry,extra\r\n"
    )
    assert sheet.headers == ["Name", "Sector"]
    assert sheet.rows == [["A Org", None], ["B Org", "Industry"]]


def test_xlsx_dates_and_numbers_are_read():
    import datetime as dt

    content = sheet_write_xlsx(
        headers=["Name", "Start date", "Ref"], rows=[["A Org", dt.date(2025, 6, 1), 42]]
    )
    sheet = sheet_read(name="x.xlsx", content=content)
    assert sheet.rows == [["A Org", "2025-06-01", 42]]


def test_a_windows_encoded_csv_is_read():
    sheet = sheet_read(name="x.csv", content="Name\r\nCafé Trust\r\n".encode("cp1252"))
    assert sheet.rows == [["Café Trust"]]
