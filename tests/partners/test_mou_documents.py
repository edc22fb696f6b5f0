"""Signed MoUs leave only through the scoped download views, always as
attachments; a replaced or cleared document is deleted, never orphaned; no URL
serves MEDIA_ROOT, in development either."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import clear_url_caches, reverse

from partners import services
from tests import factories
from tests.clients import VerifiedClient as Client
from tests.portal.conftest import make_partner_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world_a(db):
    return make_partner_world("Alpha Systems")


PDF = b"%PDF-1.4\n% test\n%%EOF\n"


def _stored(mou) -> Path:
    return Path(mou.document.path)


def test_a_replaced_document_is_deleted_once_the_change_commits(
    manager, django_capture_on_commit_callbacks
):
    mou = factories.MoUFactory(organisation__owner=manager)
    with django_capture_on_commit_callbacks(execute=True):
        services.mou_update(
            mou=mou, actor=manager, document=SimpleUploadedFile("a.pdf", PDF)
        )
    first = _stored(mou)
    assert first.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.mou_update(
            mou=mou, actor=manager, document=SimpleUploadedFile("b.pdf", PDF)
        )
    assert not first.exists()
    assert _stored(mou).exists()
    directory = first.parent
    assert [p.name for p in directory.iterdir()] == [_stored(mou).name]


def test_a_document_is_deleted_with_its_mou(django_capture_on_commit_callbacks):
    mou = factories.MoUFactory()
    mou.document.save("signed.pdf", ContentFile(PDF), save=True)
    path = _stored(mou)
    with django_capture_on_commit_callbacks(execute=True):
        mou.delete()
    assert not path.exists()


def test_both_downloads_are_attachments(client, world_a, analyst):
    client.force_login(world_a.user)
    portal = client.get(
        reverse("portal:mou_document", kwargs={"mou_pk": world_a.mou.pk})
    )
    client.force_login(analyst)
    staff = client.get(reverse("partners:mou_document", args=[world_a.mou.pk]))
    for response in (portal, staff):
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert "no-store" in response["Cache-Control"]
        assert b"".join(response.streaming_content) == (
            world_a.mou.document.open("rb").read()
        )


def test_media_is_not_served_even_in_development(settings, world_a, analyst):
    settings.DEBUG = True
    import importlib

    import ceop_crm.urls

    importlib.reload(ceop_crm.urls)
    clear_url_caches()
    try:
        client = Client(raise_request_exception=False)
        client.force_login(analyst)
        url = settings.MEDIA_URL + world_a.mou.document.name
        assert client.get(url).status_code == 404
    finally:
        settings.DEBUG = False
        importlib.reload(ceop_crm.urls)
        clear_url_caches()
