"""The import pages as a senior manager uses them."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.imports import services
from partners.imports.models import ImportJob
from partners.imports.reading import sheet_read
from partners.models import Organisation
from tests import factories
from tests.partners.imports.helpers import csv_bytes, row, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC), tick=False):
        yield


def test_upload_map_preview_confirm_and_result(
    client, senior_manager, django_capture_on_commit_callbacks
):
    factories.OrganisationFactory(name="Harbour Trust")
    client.force_login(senior_manager)
    content = csv_bytes(
        [
            row(Organisation="Harbor Trust", Sector="Voluntary"),
            row(Organisation="Beacon Ltd", Sector="Shipping"),
            row(Organisation="Lantern", Sector="Industry"),
        ]
    )
    response = client.post(
        reverse("partners:import_list"),
        {"file": SimpleUploadedFile("partners.csv", content, content_type="text/csv")},
    )
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("partners:import_mapping", args=[job.pk])

    page = client.get(response["Location"])
    assert page.context["form"].fields["1"].initial == "name"
    mapping = {
        name: field.initial or "" for name, field in page.context["form"].fields.items()
    }
    response = client.post(reverse("partners:import_mapping", args=[job.pk]), mapping)
    assert response["Location"] == reverse("partners:import_detail", args=[job.pk])

    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert "3 rows" in html
    assert "1 with errors" in html
    assert "“Shipping” is not a sector" in html
    assert "Likely duplicate of" in html
    assert "Harbour Trust" in html
    assert not Organisation.objects.filter(name="Lantern").exists()  # nothing yet

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("partners:import_confirm", args=[job.pk]))
    assert len(callbacks) == 1  # the worker is asked after the commit, not before
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED
    progress = client.get(
        reverse("partners:import_detail", args=[job.pk])
    ).content.decode()
    assert "Waiting for the worker" in progress
    assert 'hx-trigger="every 1s"' in progress

    services.import_job_run(job_id=job.pk)  # what the worker does
    response = client.get(
        reverse("partners:import_progress", args=[job.pk]), HTTP_HX_REQUEST="true"
    )
    assert response["HX-Redirect"] == reverse("partners:import_result", args=[job.pk])
    result = client.get(
        reverse("partners:import_result", args=[job.pk])
    ).content.decode()
    assert "Possible duplicate of Harbour Trust" in result
    assert "Download the 1 failed row to fix" in result

    download = client.get(reverse("partners:import_failed_rows", args=[job.pk]))
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = sheet_read(name="f.xlsx", content=download.content)
    assert [r[1] for r in sheet.rows] == ["Beacon Ltd"]


def test_a_bad_file_is_refused_beside_the_field(client, senior_manager):
    client.force_login(senior_manager)
    response = client.post(
        reverse("partners:import_list"),
        {"file": SimpleUploadedFile("notes.txt", b"hello")},
    )
    assert response.status_code == 200
    assert "Upload a CSV (.csv) or Excel (.xlsx) file." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_mapping_error_is_shown_and_nothing_changes(client, senior_manager):
    job = upload([row(Organisation="A")], senior_manager)
    client.force_login(senior_manager)
    response = client.post(
        reverse("partners:import_mapping", args=[job.pk]), {"0": "", "1": ""}
    )
    assert response.status_code == 200
    assert "Choose a column for: Name." in response.content.decode()


def test_only_the_uploader_confirms_and_only_once(client, senior_manager):
    job = upload([row(Organisation="A", Sector="Industry")], senior_manager)
    other = factories.UserFactory(username="other-senior", is_superuser=True)
    client.force_login(other)
    client.post(reverse("partners:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.UPLOADED
    client.force_login(senior_manager)
    client.post(reverse("partners:import_confirm", args=[job.pk]))
    client.post(reverse("partners:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED


@pytest.mark.parametrize("role", ["manager", "analyst", "partner_user"])
def test_imports_and_duplicates_are_for_senior_managers_and_administrators(
    client, request, role
):
    client.force_login(request.getfixturevalue(role))
    for url in ("/imports/", "/organisations/duplicates/"):
        assert client.get(url).status_code == 403
        assert client.post(url, {}).status_code == 403


def test_an_administrator_may_import(client):
    admin = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get("/imports/").status_code == 200
    assert client.get("/organisations/duplicates/").status_code == 200


def test_the_preview_reads_a_page_of_rows_in_a_fixed_number_of_queries(
    client, senior_manager, django_assert_max_num_queries
):
    client.force_login(senior_manager)
    for n in (60, 200):
        job = upload(
            [
                row(
                    Organisation=f"Org {i}",
                    Sector="Industry",
                    Website=f"org{i}.example",
                )
                for i in range(n)
            ],
            senior_manager,
        )
        # Each row of the page (50) is matched and checked for duplicates: three
        # queries a row, whatever the size of the file.
        with django_assert_max_num_queries(170):
            response = client.get(reverse("partners:import_detail", args=[job.pk]))
        assert len(response.context["preview"].rows) == 50
