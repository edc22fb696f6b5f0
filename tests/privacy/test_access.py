"""Only the data protection officer and administrators reach the data protection room.

Every URL of the "privacy" namespace, read from the resolver, against every kind
of user: a new URL is covered as soon as it is added.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ceop_crm import roles
from ceop_crm.privacy.models import ReadLogEntry, SubjectAccessExport
from ceop_crm.privacy.services import read_log_record
from tests.privacy.conftest import signed_in

pytestmark = pytest.mark.django_db


def _privacy_patterns() -> list[tuple[str, str]]:
    found = []

    def walk(patterns, namespace, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and namespace == "privacy":
                found.append((f"privacy:{p.name}", prefix + str(p.pattern)))

    walk(get_resolver().url_patterns, None, "")
    return found


PATTERNS = _privacy_patterns()


@pytest.fixture
def users(manager, senior_manager, analyst, partner_user, dpo, superuser):
    return {
        "manager": manager,
        "senior": senior_manager,
        "analyst": analyst,
        "partner": partner_user,
        "dpo": dpo,
        "superuser": superuser,
    }


@pytest.fixture
def objects(dpo):
    export = SubjectAccessExport.objects.create(
        requested_by=dpo,
        subject_email="someone@example.org",
        status="done",
        progress=100,
    )
    export.file.save("x.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18))
    from django.utils import timezone

    from ceop_crm.privacy.models import ErasureEvent

    event = ErasureEvent.objects.create(
        actor=dpo, created_at=timezone.now(), reason="R"
    )
    return {"export": export, "erasure": event}


def _url(name: str, route: str, objects) -> str:
    if "<int:pk>" not in route:
        return reverse(name)
    key = "erasure" if "erasures" in route else "export"
    return reverse(name, args=[objects[key].pk])


def test_the_room_has_its_urls():
    assert {name for name, _ in PATTERNS} == {
        "privacy:search",
        "privacy:export_create",
        "privacy:export_detail",
        "privacy:export_download",
        "privacy:erase",
        "privacy:erasure_detail",
    }


@pytest.mark.parametrize(("name", "route"), PATTERNS, ids=[p[0] for p in PATTERNS])
def test_privacy_url_answers_each_kind_of_user(name, route, users, objects):
    url = _url(name, route, objects)
    for label in ("manager", "senior", "analyst", "partner"):
        client = signed_in(users[label])
        assert client.get(url).status_code == 403, (label, url)
        assert client.post(url, {"name": "Someone Else"}).status_code == 403, (
            label,
            url,
        )
    anonymous = signed_in(None)
    for response in (anonymous.get(url), anonymous.post(url, {})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    get_expected = 405 if name == "privacy:export_create" else 200
    assert signed_in(users["dpo"]).get(url).status_code == get_expected, url
    # An export is its requester's alone, even for an administrator.
    own_only = name in ("privacy:export_detail", "privacy:export_download")
    superuser_expected = 404 if own_only else get_expected
    assert signed_in(users["superuser"]).get(url).status_code == superuser_expected, url


def test_staff_dpo_reads_the_read_log_in_admin_and_cannot_change_it(dpo, manager):
    entry = read_log_record(
        user=manager, kind=ReadLogEntry.Kind.PERSON_SEARCH, what="S"
    )
    client = signed_in(dpo)
    assert (
        client.get(reverse("admin:privacy_readlogentry_changelist")).status_code == 200
    )
    change = reverse("admin:privacy_readlogentry_change", args=[entry.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"what": "changed"}).status_code == 403
    assert client.get(reverse("admin:privacy_readlogentry_add")).status_code == 403
    delete = reverse("admin:privacy_readlogentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.what == "S"
    assert (
        client.get(reverse("admin:privacy_retentionperiod_changelist")).status_code
        == 200
    )


def test_other_staff_with_admin_access_do_not_see_the_read_log(manager):
    manager.is_staff = True
    manager.save()
    # Even given the model permission by hand, the role decides.
    manager.user_permissions.add(Permission.objects.get(codename="view_readlogentry"))
    client = signed_in(manager)
    assert (
        client.get(reverse("admin:privacy_readlogentry_changelist")).status_code == 403
    )


def test_the_dpo_is_not_a_workspace_role(dpo):
    assert not roles.is_staff_member(dpo)
    # Signing in lands on "/": the DPO is taken to the data protection room.
    response = signed_in(dpo).get(reverse("workspace:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:search")
    organisations = signed_in(dpo).get(reverse("partners:organisation_list"))
    assert organisations.status_code == 403
    assert roles.is_data_protection_officer(dpo)


def test_dpo_group_is_made_by_the_migration_with_read_only_log():
    group = Group.objects.get(name=roles.DATA_PROTECTION_OFFICER)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert "view_readlogentry" in codenames
    assert (
        not {"change_readlogentry", "delete_readlogentry", "add_readlogentry"}
        & codenames
    )


def test_the_privacy_notice_is_public_and_linked(partner_user):
    notice_url = reverse("privacy_notice:notice")
    assert signed_in(None).get(notice_url).status_code == 200
    assert signed_in(partner_user).get(notice_url).status_code == 200
    for url in (reverse("public:approach"), reverse("login"), reverse("portal:login")):
        assert notice_url in signed_in(None).get(url).content.decode(), url
    assert (
        notice_url
        in signed_in(partner_user).get(reverse("portal:home")).content.decode()
    )


def test_privacy_notice_text_comes_from_admin(superuser):
    from ceop_crm.privacy.models import PrivacyNotice

    client = signed_in(superuser)
    response = client.post(
        reverse("admin:privacy_privacynotice_change", args=[1]),
        {"title": "How we use your data", "body": "First paragraph.\n\nSecond."},
    )
    assert response.status_code == 302
    assert PrivacyNotice.objects.get().title == "How we use your data"
    page = signed_in(None).get(reverse("privacy_notice:notice")).content.decode()
    assert "How we use your data" in page
    assert "<p>Second.</p>" in page


def test_the_dpo_must_pass_the_second_factor(dpo):
    from django.test import Client

    client = Client()
    client.force_login(dpo)  # a password alone
    response = client.get(reverse("privacy:search"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))
