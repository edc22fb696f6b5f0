"""Erasure reaches every table: live rows, history versions, emails, logs."""

import datetime as dt

import pytest
from django.db import connection

from ceop_crm.exceptions import ApplicationError
from ceop_crm.models import EmailBounce, OutboundEmail
from ceop_crm.privacy.models import ErasedRecord, ErasureEvent
from ceop_crm.privacy.selectors import PersonQuery
from ceop_crm.privacy.services import person_erase
from ceop_crm.privacy.services.exports import subject_access_export_collect
from partners.models import Contact, MoU, OwnershipLevel, Proposal
from partners.reports import report_build
from planning.models import AddressOptOut, Reminder, SelfAssessment
from tests import factories
from tests.privacy.conftest import (
    EMAIL,
    NAME,
    OLD_NAME,
    OTHER_EMAIL,
    PHONE,
    signed_in,
)

pytestmark = pytest.mark.django_db

TEXT_TYPES = ("char", "text", "json", "clob")


def _text_columns():
    """Every text-like column of every table in the database, all apps."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            description = connection.introspection.get_table_description(cursor, table)
            for column in description:
                field_type = connection.introspection.get_field_type(
                    column.type_code, column
                )
                if any(t in field_type.lower() for t in TEXT_TYPES):
                    yield table, column.name


def _tables_mentioning(*terms: str) -> dict[tuple[str, str], int]:
    found = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, column in _text_columns():
            for term in terms:
                # Names from the database's own catalogue, quoted; the term is a
                # parameter.
                sql = (
                    f"SELECT COUNT(*) FROM {quote(table)} "  # noqa: S608
                    f"WHERE UPPER(CAST({quote(column)} AS TEXT)) LIKE %s"
                )
                cursor.execute(sql, [f"%{term.upper()}%"])
                count = cursor.fetchone()[0]
                if count:
                    found[(table, column, term)] = count
    return found


def _counts() -> dict:
    return {
        "contacts": Contact.objects.count(),
        "proposals": Proposal.objects.count(),
        "mous": MoU.objects.count(),
        "owners": OwnershipLevel.objects.count(),
        "emails": OutboundEmail.objects.count(),
        "reminders": Reminder.objects.count(),
        "self_assessments": SelfAssessment.objects.count(),
        "contact_versions": Contact.history.count(),
    }


def test_the_scan_finds_the_person_everywhere_before_erasure(person):
    found = _tables_mentioning(NAME, EMAIL)
    tables = {table for table, _, _ in found}
    # The scan itself can fail: it sees the seeded person in every kind of table.
    assert {
        "partners_contact",
        "partners_historicalcontact",
        "auth_user",
        "partners_proposal",
        "partners_historicalproposal",
        "partners_mou",
        "partners_historicalmou",
        "partners_ownershiplevel",
        "partners_historicalownershiplevel",
        "partners_duediligence",
        "partners_historicalduediligence",
        "planning_selfassessment",
        "planning_historicalselfassessment",
        "planning_reminder",
        "ceop_crm_outboundemail",
        "django_admin_log",
        "privacy_readlogentry",
        "axes_accessattempt",
        "axes_accessfailurelog",
        "ceop_crm_emailbounce",
        "planning_addressoptout",
    } <= tables


def test_the_export_contains_every_occurrence(person):
    data = subject_access_export_collect(query=PersonQuery.of(name=NAME, email=EMAIL))
    places = {p["key"]: p for p in data["places"]}
    assert places["contact"]["current"][0]["id"] == person.contact.pk
    names_in_versions = {v["name"] for v in places["contact"]["versions"]}
    assert {NAME, OLD_NAME} <= names_in_versions
    assert places["user"]["current"][0]["id"] == person.user.pk
    assert "password" not in places["user"]["current"][0]
    assert {r["id"] for r in places["proposal_sender"]["current"]} == {
        person.proposal.pk,
        person.public_proposal.pk,
    }
    assert places["mou_signatory"]["current"][0]["id"] == person.old_mou.pk
    assert places["ownership_level"]["current"][0]["email"] == EMAIL
    assert NAME in places["due_diligence"]["current"][0]["notes"]
    assert NAME in places["email"]["current"][0]["body_text"]
    assert places["reminder"]["current"][0]["id"] == person.reminder.pk
    assert places["self_assessment"]["current"][0]["id"] == person.self_assessment.pk
    assert places["portal_membership"]["current"]
    assert [r["address"] for r in places["email_bounce"]["current"]] == [EMAIL]
    assert places["email_bounce"]["current"][0]["code"] == 550
    assert sorted(
        (r["address"], r["kind"]) for r in places["address_opt_out"]["current"]
    ) == [(EMAIL, "mous"), (EMAIL, "reviews")]
    for key in ("contact", "proposal_sender", "ownership_level", "self_assessment"):
        assert places[key]["versions"], key
    assert any(read["kind"] == "Person search" for read in data["read_log"])


def test_erasure_leaves_no_trace_in_any_text_column_and_keeps_the_counts(person, dpo):
    before = _counts()
    report_before = report_build(slug="partners-by-tier").rows
    event = person_erase(
        query=PersonQuery.of(name=NAME, email=EMAIL),
        reason="Erasure request DP-0042 received 20/11/2026.",
        actor=dpo,
    )
    assert _tables_mentioning(NAME, EMAIL, OLD_NAME, "Quarrendon", PHONE) == {}
    assert _counts() == before
    assert report_build(slug="partners-by-tier").rows == report_before
    person.contact.refresh_from_db()
    assert person.contact.name == "Erased contact"
    assert person.contact.organisation == person.world.organisation
    person.user.refresh_from_db()
    assert not person.user.is_active
    assert not person.user.has_usable_password()
    # The event: who, when, why and how many; the erased contact's id only.
    event.refresh_from_db()
    assert event.actor == dpo
    assert event.counts["contact"]["versions"] >= 3
    assert ErasedRecord.objects.filter(
        event=event, model="partners.contact", object_id=person.contact.pk
    ).exists()


def test_erasure_is_refused_while_the_person_signs_an_mou_in_force(person, dpo):
    person.world.mou.partner_signatory = NAME
    person.world.mou.save()
    with pytest.raises(ApplicationError) as error:
        person_erase(
            query=PersonQuery.of(name=NAME, email=EMAIL),
            reason="Erasure request DP-0042.",
            actor=dpo,
        )
    assert "in force until" in str(error.value)
    assert ErasureEvent.objects.count() == 0
    person.contact.refresh_from_db()
    assert person.contact.name == NAME


def test_an_ended_mou_does_not_stop_erasure(person, dpo):
    person.world.mou.partner_signatory = NAME
    person.world.mou.end = factories.TODAY - dt.timedelta(days=1)
    person.world.mou.save()
    person_erase(
        query=PersonQuery.of(email=EMAIL),
        reason="Request DP-0043.",
        actor=dpo,
        today=factories.TODAY,
    )
    person.world.mou.refresh_from_db()
    assert person.world.mou.partner_signatory == "[erased]"


def test_a_reason_naming_the_person_is_refused(person, dpo):
    with pytest.raises(ApplicationError) as error:
        person_erase(
            query=PersonQuery.of(name=NAME, email=EMAIL),
            reason=f"{NAME} asked by phone.",
            actor=dpo,
        )
    assert "reason" in error.value.message_dict
    assert ErasureEvent.objects.count() == 0


def test_erasure_needs_a_reason(person, dpo):
    with pytest.raises(ApplicationError) as error:
        person_erase(query=PersonQuery.of(email=EMAIL), reason=" ", actor=dpo)
    assert "reason" in error.value.message_dict


def test_the_erase_page_lists_what_will_go_and_erases_on_confirmation(person, dpo):
    from django.urls import reverse

    client = signed_in(dpo)
    page = client.get(reverse("privacy:erase"), {"name": NAME, "email": EMAIL})
    html = page.content.decode()
    assert "What will be erased" in html
    assert "Address refused by the mail server" in html
    assert "Notices switched off (address without an account)" in html
    assert "Proposal sender" in html
    assert "cannot be erased now" not in html
    response = client.post(
        reverse("privacy:erase"),
        {"name": NAME, "email": EMAIL, "reason": "Request DP-7.", "confirm": "on"},
    )
    event = ErasureEvent.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:erasure_detail", args=[event.pk])
    detail = client.get(response["Location"]).content.decode()
    assert "Request DP-7." in detail
    assert NAME not in detail


def test_the_erase_page_shows_the_refusal_and_the_reason_error_beside_the_field(
    person, dpo
):
    from django.urls import reverse

    person.world.mou.partner_signatory = NAME
    person.world.mou.save()
    client = signed_in(dpo)
    page = client.get(reverse("privacy:erase"), {"name": NAME})
    assert "cannot be erased now" in page.content.decode()
    response = client.post(
        reverse("privacy:erase"),
        {"name": NAME, "reason": "Request DP-8.", "confirm": "on"},
    )
    assert response.status_code == 200
    assert "in force until" in response.content.decode()
    person.world.mou.end = factories.TODAY - dt.timedelta(days=1)
    person.world.mou.save()
    response = client.post(
        reverse("privacy:erase"),
        {"name": NAME, "email": EMAIL, "reason": f"Asked by {EMAIL}", "confirm": "on"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert not ErasureEvent.objects.exists()


def test_someone_else_with_the_same_name_and_another_address_is_kept(person, dpo):
    namesake = factories.ContactFactory(name=NAME, email="philippa@elsewhere.example")
    person_erase(
        query=PersonQuery.of(name=NAME, email=EMAIL), reason="Request DP-9.", actor=dpo
    )
    namesake.refresh_from_db()
    assert (namesake.name, namesake.email) == (NAME, "philippa@elsewhere.example")
    person.contact.refresh_from_db()
    assert person.contact.name == "Erased contact"


def _address_rows() -> tuple[set, set]:
    return (
        set(EmailBounce.objects.values_list("address", flat=True)),
        set(AddressOptOut.objects.values_list("address", "kind")),
    )


OTHER_ADDRESS_ROWS = (
    {OTHER_EMAIL},
    {(OTHER_EMAIL, "mous"), (OTHER_EMAIL, "reviews")},
)


def test_erasure_deletes_her_refusal_and_opt_outs_and_keeps_another_addresses(
    person, dpo
):
    assert _address_rows() == (
        {EMAIL, OTHER_EMAIL},
        {(a, k) for a in (EMAIL, OTHER_EMAIL) for k in ("mous", "reviews")},
    )
    event = person_erase(
        query=PersonQuery.of(email=EMAIL.upper()), reason="Request DP-10.", actor=dpo
    )
    # Deleted, not anonymised: no placeholder rows left behind.
    assert _address_rows() == OTHER_ADDRESS_ROWS
    assert event.counts["email_bounce"] == {"deleted": 1}
    assert event.counts["address_opt_out"] == {"deleted": 2}


def test_erasure_by_name_alone_reaches_the_rows_kept_for_her_address(person, dpo):
    """Her address comes from her contact and account (the person widened)."""
    person_erase(query=PersonQuery.of(name=NAME), reason="Request DP-11.", actor=dpo)
    assert _address_rows() == OTHER_ADDRESS_ROWS


def test_a_second_erasure_with_address_rows_succeeds(person, dpo):
    """Anonymised rows would share one placeholder address and break the unique
    constraints; deleted ones cannot."""
    person_erase(query=PersonQuery.of(email=EMAIL), reason="Request DP-12.", actor=dpo)
    person_erase(
        query=PersonQuery.of(email=OTHER_EMAIL), reason="Request DP-13.", actor=dpo
    )
    assert _address_rows() == (set(), set())


def test_the_erasure_page_says_how_many_address_rows_were_deleted(person, dpo):
    from django.urls import reverse

    event = person_erase(
        query=PersonQuery.of(email=EMAIL), reason="Request DP-14.", actor=dpo
    )
    detail = signed_in(dpo).get(reverse("privacy:erasure_detail", args=[event.pk]))
    html = detail.content.decode()
    assert "Address refused by the mail server</td><td>1 deleted" in html
    assert "Notices switched off (address without an account)</td><td>2 deleted" in html


def test_an_erasure_committed_counts_the_organisation_list_afresh(
    person, dpo, senior_manager, django_capture_on_commit_callbacks
):
    """Names and emails are erased by UPDATE, which sends no signal: the
    erasure itself bumps the counts shared between requests, so a search for
    the person no longer counts her organisation."""
    from django.core.cache import cache, caches
    from django.urls import reverse

    from tests.clients import VerifiedClient

    cache.clear()
    caches["shared"].clear()
    client = VerifiedClient()
    client.force_login(senior_manager)

    def found() -> int:
        page = client.get(reverse("partners:organisation_list"), {"q": "Quarrendon"})
        assert page.status_code == 200
        return page.context["page"].paginator.count

    assert found() == 1
    with django_capture_on_commit_callbacks(execute=True):
        person_erase(
            query=PersonQuery.of(name=NAME, email=EMAIL),
            reason="Erasure request DP-0044.",
            actor=dpo,
        )
    assert found() == 0
