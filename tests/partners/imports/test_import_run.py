"""Running an import: every row through the workspace's services, in its own
transaction, safe to run again."""

import datetime as dt

import pytest
import time_machine

from partners.imports import services
from partners.imports.models import ImportJob, ImportRow
from partners.imports.reading import sheet_read
from partners.models import Contact, DueDiligence, MoU, Organisation
from planning.models import Review
from tests import factories
from tests.partners.imports.helpers import PARTNER, csv_bytes, outcomes, row, run
from tiers.models import Association
from tiers.services import NO_DUE_DILIGENCE, NO_MOU

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def owner(manager):
    manager.email = "owner@ceop.example"
    manager.save()
    return manager


def _counts() -> dict[str, int]:
    return {
        "organisations": Organisation.all_objects.count(),
        "contacts": Contact.objects.count(),
        "due_diligence": DueDiligence.objects.count(),
        "mous": MoU.objects.count(),
        "associations": Association.objects.count(),
        "reviews": Review.objects.count(),
        "history": Organisation.history.count()
        + Contact.history.count()
        + DueDiligence.history.count()
        + MoU.history.count()
        + Association.history.count()
        + Review.history.count(),
    }


def test_a_full_row_creates_the_organisation_and_its_records_as_the_importer(
    senior_manager, owner
):
    job = run(
        [
            row(
                Ref="R1",
                Organisation="Lantern plc",
                Sector="Industry",
                Website="lantern.example",
                Owner="owner@ceop.example",
                Contact="Cy Doe",
                Email="cy@lantern.example",
                **PARTNER,
                **{"Last review": "05/11/2025", "Recommendation": "Stay"},
            )
        ],
        senior_manager,
    )
    assert outcomes(job) == {2: ("created", "")}
    assert (job.created, job.failed, job.status) == (1, 0, ImportJob.Status.DONE)
    org = Organisation.objects.get(external_ref="R1")
    assert (org.name, org.owner, org.domain, org.status) == (
        "Lantern plc",
        owner,
        "lantern.example",
        Organisation.Status.ACTIVE,
    )
    contact = org.contacts.get()
    assert (contact.name, contact.email, contact.is_primary) == (
        "Cy Doe",
        "cy@lantern.example",
        True,
    )
    assert org.due_diligence.get().expires_on == dt.date(2027, 5, 1)
    mou = org.mous.get()
    assert (mou.status, mou.signed_on, mou.partner_signatory) == (
        MoU.Status.SIGNED,
        dt.date(2025, 5, 15),
        "K Jones",
    )
    association = org.associations.get()
    assert (association.tier.name, association.start) == (
        "Partner",
        dt.date(2025, 6, 1),
    )
    past = org.reviews.get(status=Review.Status.COMPLETED)
    assert (past.completed_on, past.recommendation) == (dt.date(2025, 11, 5), "stay")
    # History names the importing user on every record the row wrote.
    for model in (Organisation, Contact, DueDiligence, MoU, Association):
        users = set(model.history.values_list("history_user", flat=True))
        assert users == {senior_manager.pk}, model


def test_cells_that_cannot_be_read_fail_their_row_with_the_reason(senior_manager):
    job = run(
        [
            row(
                Organisation="Bad Date Org",
                Sector="Industry",
                **{"Start date": "32/13/2025"},
            ),
            row(Organisation="No Sector Here", Sector="Shipping"),
            row(Organisation="", Sector="Industry"),
            row(Organisation="Mail Org", Sector="Industry", Email="not-an-email"),
        ],
        senior_manager,
    )
    result = outcomes(job)
    assert result[2] == (
        "failed",
        "Level start date: “32/13/2025” is not a date: write it as dd/mm/yyyy.",
    )
    assert result[3][0] == "failed"
    assert "“Shipping” is not a sector" in result[3][1]
    assert result[4] == ("failed", "Name is required.")
    assert "“not-an-email” is not an email address." in result[5][1]
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({**PARTNER, "MoU": ""}, NO_MOU.format(tier="Partner")),
        ({**PARTNER, "Due diligence": ""}, NO_DUE_DILIGENCE),
        ({**PARTNER, "DD expiry": ""}, "Approved due diligence needs an expiry date."),
        ({**PARTNER, "MoU signed": ""}, "A signed MoU needs its signed date."),
        ({**PARTNER, "MoU end": "01/01/2025"}, "The MoU cannot end before it starts."),
        ({**PARTNER, "Start date": ""}, "Give the date the level started."),
        ({**PARTNER, "Level": "Gold"}, "“Gold” is not a level of association."),
        (
            {"Owner": "nobody@ceop.example"},
            "No relationship manager has the email nobody@ceop.example.",
        ),
        (
            {**PARTNER, "Last review": "15/10/2025"},
            "Choose a recommendation.",
        ),
        (
            {**PARTNER, "Last review": "15/01/2025", "Recommendation": "stay"},
            "The organisation had no level of association on the review date.",
        ),
        (
            {
                "DD date": "01/01/2027",
                "Due diligence": "Approved",
                "DD expiry": "01/01/2028",
            },
            "An assessment cannot be dated in the future.",
        ),
    ],
)
def test_a_rule_of_the_strategy_fails_the_row_with_its_message(
    senior_manager, cells, message
):
    job = run(
        [
            row(
                Organisation="Rule Breaker",
                Sector="Industry",
                Contact="Di Fox",
                **cells,
            )
        ],
        senior_manager,
    )
    outcome, reason = outcomes(job)[2]
    assert outcome == "failed"
    assert message in reason
    # Nothing of the row is left: not the organisation, its contact or anything else.
    assert not Organisation.all_objects.filter(name="Rule Breaker").exists()
    assert not Contact.objects.exists()
    assert not DueDiligence.objects.exists()
    assert not MoU.objects.exists()


def test_a_new_organisation_needs_its_sector(senior_manager):
    job = run([row(Organisation="No Sector")], senior_manager)
    assert outcomes(job)[2] == (
        "failed",
        "Sector: Give the sector of a new organisation.",
    )


def test_a_failing_row_mid_file_leaves_nothing_of_itself_and_the_others_stand(
    senior_manager,
):
    job = run(
        [
            row(Ref="A", Organisation="First Org", Sector="Industry", Contact="Al One"),
            row(
                Ref="B",
                Organisation="Second Org",
                Sector="Industry",
                Contact="Bo Two",
                **{**PARTNER, "MoU": ""},
            ),
            row(
                Ref="C", Organisation="Third Org", Sector="Industry", Contact="Cy Three"
            ),
        ],
        senior_manager,
    )
    assert [o for o, _ in outcomes(job).values()] == ["created", "failed", "created"]
    assert set(Organisation.objects.values_list("name", flat=True)) == {
        "First Org",
        "Third Org",
    }
    assert set(Contact.objects.values_list("name", flat=True)) == {"Al One", "Cy Three"}
    # The failed row had passed its organisation, contact, due diligence and MoU
    # steps before the association refused it: none of them remain.
    assert not DueDiligence.objects.exists()
    assert not Organisation.history.filter(name="Second Org").exists()
    assert (job.created, job.failed, job.processed) == (2, 1, 3)


def test_importing_the_same_file_twice_changes_nothing_the_second_time(
    senior_manager, owner
):
    rows = [
        row(
            Ref="R1",
            Organisation="Lantern plc",
            Sector="Industry",
            Website="lantern.example",
            Owner="owner@ceop.example",
            Contact="Cy Doe",
            Email="cy@lantern.example",
            **PARTNER,
            **{"Last review": "05/11/2025", "Recommendation": "stay"},
        ),
        row(Organisation="Quiet Trust", Sector="Voluntary sector", Contact="Ed Poe"),
        row(
            Organisation="Draft Co",
            Sector="Industry",
            MoU="Draft",
            **{"Due diligence": "In progress", "DD date": "01/11/2026"},
        ),
    ]
    first = run(rows, senior_manager)
    assert [o for o, _ in outcomes(first).values()] == ["created"] * 3
    before = _counts()
    second = run(rows, senior_manager, name="partners-again.csv")
    assert [o for o, _ in outcomes(second).values()] == ["skipped"] * 3
    assert (second.skipped, second.created, second.updated) == (3, 0, 0)
    assert _counts() == before


def test_reimport_by_reference_updates_what_changed(senior_manager):
    run([row(Ref="R9", Organisation="Old Name", Sector="Industry")], senior_manager)
    job = run(
        [row(Ref="R9", Organisation="New Name", Sector="Academic", Contact="Flo Ray")],
        senior_manager,
    )
    assert outcomes(job)[2][0] == "updated"
    org = Organisation.objects.get(external_ref="R9")
    assert (org.name, org.sector, org.contacts.get().name) == (
        "New Name",
        "academic",
        "Flo Ray",
    )


def test_reimport_matches_on_normalised_name_when_the_website_agrees(senior_manager):
    factories.OrganisationFactory(
        name="Harbour Trust", website="https://www.harbour.example/"
    )
    job = run(
        [
            row(
                Organisation="HARBOUR TRUST LTD",
                Website="harbour.example",
                Contact="Gil Ash",
            ),
            row(Organisation="Harbour Trust Limited", Website="other.example"),
        ],
        senior_manager,
    )
    result = outcomes(job)
    assert result[2][0] == "updated"
    assert result[3] == (
        "failed",
        "Website: “Harbour Trust” already exists with the website harbour.example: "
        "is this the same organisation?",
    )
    assert Organisation.objects.count() == 1


def test_a_change_of_level_is_refused_as_a_tier_move(senior_manager):
    run([row(Organisation="Mover", Sector="Industry", **PARTNER)], senior_manager)
    job = run(
        [row(Organisation="Mover", **{**PARTNER, "Level": "Strategic Partner"})],
        senior_manager,
    )
    outcome, message = outcomes(job)[2]
    assert outcome == "failed"
    assert (
        "already a Partner from 01/06/2025: a change of level is a tier move" in message
    )


def test_a_created_row_that_looks_like_another_says_so(senior_manager):
    factories.OrganisationFactory(name="Harbour Trust")
    job = run([row(Organisation="Harbor Trust", Sector="Voluntary")], senior_manager)
    assert outcomes(job)[2] == ("created", "Possible duplicate of Harbour Trust")


def test_the_failed_rows_download_holds_each_row_and_its_reason(senior_manager):
    job = run(
        [
            row(Organisation="Good Org", Sector="Industry"),
            row(Organisation="Bad Org", Sector="Shipping"),
        ],
        senior_manager,
    )
    sheet = sheet_read(
        name="failed.xlsx", content=services.import_failed_rows_xlsx(job=job)
    )
    assert sheet.headers[-1] == "Import error"
    assert len(sheet.rows) == 1
    assert sheet.rows[0][1] == "Bad Org"
    assert "“Shipping” is not a sector" in sheet.rows[0][-1]


def test_running_a_job_again_applies_no_row_twice(senior_manager):
    job = run([row(Organisation="Once Only", Sector="Industry")], senior_manager)
    assert services.import_job_run(job_id=job.pk) is None  # done: nothing to claim
    job.status = ImportJob.Status.QUEUED
    job.save()
    again = services.import_job_run(job_id=job.pk)
    assert again.processed == 1  # no pending row was left to apply
    assert ImportRow.objects.filter(job=job, outcome="created").count() == 1


def test_an_upload_that_is_not_a_spreadsheet_is_refused(senior_manager):
    from ceop_crm.exceptions import ApplicationError

    with pytest.raises(ApplicationError, match="Upload a CSV"):
        services.import_job_create(
            name="notes.txt", content=b"hello", actor=senior_manager
        )
    with pytest.raises(ApplicationError, match="cannot be read as XLSX"):
        services.import_job_create(
            name="bad.xlsx", content=b"not a zip", actor=senior_manager
        )
    with pytest.raises(ApplicationError, match="no data"):
        services.import_job_create(
            name="empty.csv", content=csv_bytes([]), actor=senior_manager
        )
