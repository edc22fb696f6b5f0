"""Subject access exports: asked for on the page, built by the worker, kept private."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from ceop_crm.privacy.models import ReadLogEntry, SubjectAccessExport
from ceop_crm.privacy.services import (
    subject_access_export_build,
    subject_access_export_request,
    subject_access_exports_sweep,
)
from tests.privacy.conftest import EMAIL, NAME, PLACES, signed_in

pytestmark = pytest.mark.django_db


def test_asking_for_an_export_records_it_and_enqueues_after_commit(
    dpo, person, django_capture_on_commit_callbacks, monkeypatch
):
    published = []
    from ceop_crm.privacy.services import exports

    monkeypatch.setattr(
        exports, "task_enqueue", lambda task, *args: published.append((task.name, args))
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = signed_in(dpo).post(
            reverse("privacy:export_create"), {"name": NAME, "email": EMAIL}
        )
    export = SubjectAccessExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:export_detail", args=[export.pk])
    assert export.status == "pending"
    assert published == []
    for callback in callbacks:
        callback()
    assert published == [("privacy.subject_access_export_build", (export.pk,))]


def test_a_broker_outage_neither_fails_the_request_nor_loses_the_export(
    dpo, person, monkeypatch, django_capture_on_commit_callbacks
):
    from ceop_crm import mail
    from ceop_crm.privacy.tasks import subject_access_export_build_task

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(mail, "_broker_paused_until", 0.0)
    monkeypatch.setattr(subject_access_export_build_task, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(dpo).post(
            reverse("privacy:export_create"), {"email": EMAIL}
        )
    assert response.status_code == 302
    export = SubjectAccessExport.objects.get()
    assert export.status == "pending"
    # The sweep (every five minutes) builds it.
    assert subject_access_exports_sweep() == 1
    export.refresh_from_db()
    assert export.status == "done"


def test_a_name_too_short_is_refused(dpo):
    response = signed_in(dpo).post(reverse("privacy:export_create"), {"name": "Al"})
    assert response.status_code == 302
    assert not SubjectAccessExport.objects.exists()


def test_the_worker_builds_a_zip_with_summary_json_and_csv(dpo, person):
    export = subject_access_export_request(actor=dpo, name=NAME, email=EMAIL)
    assert subject_access_export_build(export_id=export.pk) is True
    # Idempotent: a second delivery of the message finds nothing to do.
    assert subject_access_export_build(export_id=export.pk) is False
    export.refresh_from_db()
    assert (export.status, export.progress) == ("done", 100)
    path = Path(export.file.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT) / "private")
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        data = json.loads(archive.read("data.json"))
        summary = archive.read("summary.html").decode()
        contacts_csv = archive.read("csv/contact.csv").decode()
    assert {
        "summary.html",
        "data.json",
        "csv/contact_versions.csv",
        "csv/email.csv",
    } <= names
    assert NAME in summary
    assert EMAIL in contacts_csv
    keys = {p["key"] for p in data["places"]}
    assert keys >= PLACES
    assert export.records == sum(
        len(p["current"]) + len(p["versions"]) for p in data["places"]
    ) + len(data["read_log"])


def test_the_sweep_builds_what_the_broker_never_delivered(dpo, person):
    export = SubjectAccessExport.objects.create(requested_by=dpo, subject_email=EMAIL)
    assert subject_access_exports_sweep() == 1
    export.refresh_from_db()
    assert export.status == "done"


def test_progress_is_polled_until_done_then_offers_the_download(dpo, person):
    export = SubjectAccessExport.objects.create(requested_by=dpo, subject_email=EMAIL)
    client = signed_in(dpo)
    url = reverse("privacy:export_detail", args=[export.pk])
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in partial
    assert "<html" not in partial
    subject_access_export_build(export_id=export.pk)
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in partial
    assert reverse("privacy:export_download", args=[export.pk]) in partial


def test_only_the_requester_downloads_and_the_download_is_logged(
    dpo, person, superuser
):
    export = subject_access_export_request(actor=dpo, name=NAME, email=EMAIL)
    subject_access_export_build(export_id=export.pk)
    url = reverse("privacy:export_download", args=[export.pk])
    other = signed_in(superuser).get(url)
    assert other.status_code == 404
    response = signed_in(dpo).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    body = b"".join(response.streaming_content)
    assert zipfile.ZipFile(io.BytesIO(body)).testzip() is None
    entry = ReadLogEntry.objects.get(kind=ReadLogEntry.Kind.SUBJECT_ACCESS_EXPORT)
    assert entry.user == dpo
    assert NAME in entry.query


def test_a_pending_export_has_no_download(dpo):
    export = SubjectAccessExport.objects.create(requested_by=dpo, subject_email=EMAIL)
    url = reverse("privacy:export_download", args=[export.pk])
    assert signed_in(dpo).get(url).status_code == 404


@pytest.fixture
def media_files():
    root = Path(settings.MEDIA_ROOT)
    for name in ("private/subject-access/x.zip", "mous/1/signed.pdf"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"content")


@pytest.mark.parametrize(
    "path",
    [
        "private/subject-access/x.zip",
        "mous/../private/subject-access/x.zip",
        "mous/1/signed.pdf",
    ],
)
def test_no_file_is_served_from_media_even_in_development(
    path, media_files, settings, client
):
    # Exports and signed MoUs go out only through their own download views.
    settings.DEBUG = True
    assert client.get("/media/" + path).status_code == 404
