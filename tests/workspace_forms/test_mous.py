"""Workspace forms: an MoU's document, signature, state and termination."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.workspace_forms.helpers import _client, _uk
from tests.workspace_world import PDF

pytestmark = pytest.mark.django_db


def test_mou_upload_refuses_a_file_that_is_not_a_pdf(manager, draft):
    fake = SimpleUploadedFile("signed.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = _client(manager).post(
        reverse("partners:mou_upload", args=[draft.pk]), {"document": fake}
    )
    assert response.status_code == 200
    assert "document" in response.context["form"].errors
    draft.refresh_from_db()
    assert not draft.document


def test_mou_upload_refuses_a_file_over_the_limit(manager, draft, settings):
    settings.MOU_DOCUMENT_MAX_BYTES = 20
    big = SimpleUploadedFile("signed.pdf", PDF + b" " * 100, "application/pdf")
    response = _client(manager).post(
        reverse("partners:mou_upload", args=[draft.pk]), {"document": big}
    )
    assert "the limit is" in str(response.context["form"].errors["document"])
    draft.refresh_from_db()
    assert not draft.document


def test_mou_upload_stores_a_pdf_that_staff_can_download(manager, analyst, draft):
    upload = SimpleUploadedFile("signed.pdf", PDF, "application/pdf")
    response = _client(manager).post(
        reverse("partners:mou_upload", args=[draft.pk]), {"document": upload}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.document.name.endswith(".pdf")
    download = _client(analyst).get(reverse("partners:mou_document", args=[draft.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_mou_sign_refuses_an_end_before_the_start(manager, draft):
    today = timezone.localdate()
    response = _client(manager).post(
        reverse("partners:mou_sign", args=[draft.pk]),
        {
            "signed_on": _uk(today),
            "start": _uk(today),
            "end": _uk(today - dt.timedelta(days=1)),
            "ceop_signatory": "Director",
            "partner_signatory": "Chief Executive",
        },
    )
    assert response.status_code == 200
    assert "end" in response.context["form"].errors
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_mou_state_is_shown_and_sign_moves_it(manager, draft):
    client = _client(manager)
    page = client.get(reverse("partners:mou_detail", args=[draft.pk]))
    assert "State:" in page.content.decode()
    assert ">Draft<" in page.content.decode()
    today = timezone.localdate()
    client.post(
        reverse("partners:mou_sign", args=[draft.pk]),
        {
            "signed_on": _uk(today),
            "start": _uk(today),
            "end": _uk(today + dt.timedelta(days=365)),
            "ceop_signatory": "Director",
            "partner_signatory": "Chief Executive",
        },
    )
    draft.refresh_from_db()
    assert draft.status == "signed"
    page = client.get(reverse("partners:mou_detail", args=[draft.pk]))
    assert ">Signed<" in page.content.decode()


def test_mou_terminate_needs_the_confirmation_box(manager, world):
    url = reverse("partners:mou_terminate", args=[world.mou.pk])
    data = {"terminated_on": _uk(timezone.localdate()), "termination_reason": "Ended."}
    response = _client(manager).post(url, data)
    assert "confirm" in response.context["form"].errors
    world.mou.refresh_from_db()
    assert world.mou.status == "signed"
    _client(manager).post(url, {**data, "confirm": "on"})
    world.mou.refresh_from_db()
    assert world.mou.status == "terminated"
