"""Workspace forms: rules of the strategy shown beside the fields, input kept,
nothing half-saved, success messages, confirmation before destructive actions."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partners import models as pm
from partners.services import due_diligence_record
from planning import models as plm
from planning.services import reviews_schedule
from priorities.models import Principle
from tests import factories
from tests.clients import VerifiedClient
from tests.workspace_world import PDF, build_world
from tiers import models as tm

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The dashboard shares its plots for a minute through the cache.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _client(user) -> Client:
    client = VerifiedClient()
    client.force_login(user)
    return client


def _uk(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def world(manager):
    return build_world(owner=manager)


# --- Organisations -------------------------------------------------------------


def test_organisation_create_records_who_created_it(manager):
    response = _client(manager).post(
        reverse("partners:organisation_create"),
        {
            "name": "Harbourlight Safety CIC",
            "sector": "voluntary",
            "status": "prospect",
            "owner": manager.pk,
            "country": "United Kingdom",
        },
        follow=True,
    )
    organisation = pm.Organisation.objects.get(name="Harbourlight Safety CIC")
    assert response.redirect_chain[-1][0] == reverse(
        "partners:organisation_detail", args=[organisation.pk]
    )
    assert any("created" in m for m in _messages(response))
    assert organisation.history.first().history_user == manager


def test_organisation_create_with_a_taken_name_keeps_the_input(manager):
    factories.OrganisationFactory(name="Taken Name Ltd")
    response = _client(manager).post(
        reverse("partners:organisation_create"),
        {
            "name": "Taken Name Ltd",
            "sector": "industry",
            "status": "prospect",
            "website": "https://kept.example",
            "country": "Ireland",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "name" in form.errors
    html = response.content.decode()
    assert 'value="https://kept.example"' in html
    assert 'value="Ireland"' in html
    assert pm.Organisation.objects.filter(name="Taken Name Ltd").count() == 1


def test_organisation_deputy_cannot_be_the_owner(manager, world):
    response = _client(manager).post(
        reverse("partners:organisation_update", args=[world.organisation.pk]),
        {
            "name": world.organisation.name,
            "sector": "industry",
            "owner": manager.pk,
            "deputy": manager.pk,
            "country": "United Kingdom",
        },
    )
    assert response.status_code == 200
    assert "The deputy cannot be the owner." in str(response.context["form"].errors)
    world.organisation.refresh_from_db()
    assert world.organisation.deputy is None


def test_organisation_list_search_finds_contacts_and_filters(manager, world):
    other = factories.OrganisationFactory(name="Quietwater Analytics")
    client = _client(manager)
    url = reverse("partners:organisation_list")
    by_contact = client.get(url, {"q": world.contact.email})
    assert [o.pk for o in by_contact.context["page"].object_list] == [
        world.organisation.pk
    ]
    by_tier = client.get(url, {"tier": "partner"})
    assert [o.pk for o in by_tier.context["page"].object_list] == [
        world.organisation.pk
    ]
    no_level = client.get(url, {"tier": "none"})
    assert [o.pk for o in no_level.context["page"].object_list] == [other.pk]
    no_mou = client.get(url, {"mou": "none"})
    assert [o.pk for o in no_mou.context["page"].object_list] == [other.pk]
    area = client.get(url, {"priority_area": world.priority_area.pk})
    assert [o.pk for o in area.context["page"].object_list] == [world.organisation.pk]


def test_organisation_list_filters_by_owner_and_counts_what_it_lists(
    manager, senior_manager
):
    mine = factories.OrganisationFactory(name="Mine Ltd", owner=manager)
    factories.OrganisationFactory(name="Theirs Ltd", owner=senior_manager)
    response = _client(manager).get(
        reverse("partners:organisation_list"), {"owner": str(manager.pk)}
    )
    assert [o.pk for o in response.context["page"].object_list] == [mine.pk]
    assert response.context["page"].paginator.count == 1
    page = response.content.decode()
    assert f'<option value="{manager.pk}" selected>' in page
    assert (manager.get_full_name() or manager.username) in page


def test_organisation_list_never_calls_a_supplier_a_partner(manager):
    supplier = factories.AssociationFactory(
        tier=factories.tier("supplier")
    ).organisation
    response = _client(manager).get(
        reverse("partners:organisation_list"), {"tier": "supplier"}
    )
    row = response.content.decode().split(supplier.name, 1)[1].split("</tr>", 1)[0]
    assert "Supplier/Contractor" in row
    assert ">Partner<" not in row


# --- Due diligence ------------------------------------------------------------


def test_due_diligence_against_each_principle_needs_evidence_for_a_met_one(
    manager, world
):
    principles = list(Principle.objects.order_by("order"))
    data = {
        "assessed_on": _uk(timezone.localdate()),
        "child_protection": "in_place",
        "brand_risk": "low",
        f"met_{principles[0].pk}": "on",
    }
    response = _client(manager).post(
        reverse("partners:due_diligence_create", args=[world.organisation.pk]), data
    )
    assert response.status_code == 200
    assert f"evidence_{principles[0].pk}" in response.context["form"].errors
    assert world.organisation.due_diligence.count() == 1


def test_due_diligence_recorded_then_approval_refused_when_a_principle_is_not_met(
    manager, world
):
    principles = list(Principle.objects.order_by("order"))
    data = {
        "assessed_on": _uk(timezone.localdate()),
        "child_protection": "in_place",
        "brand_risk": "low",
    }
    for p in principles[1:]:
        data[f"met_{p.pk}"] = "on"
        data[f"evidence_{p.pk}"] = "Policy seen."
    client = _client(manager)
    response = client.post(
        reverse("partners:due_diligence_create", args=[world.organisation.pk]),
        data,
        follow=True,
    )
    dd = world.organisation.due_diligence.order_by("-pk").first()
    assert dd.outcome == "pending"
    assert dd.principle_assessments.count() == len(principles)
    assert "Due diligence recorded." in _messages(response)

    refused = client.post(
        reverse("partners:due_diligence_decide", args=[dd.pk]),
        {
            "outcome": "approved",
            "expires_on": _uk(timezone.localdate() + dt.timedelta(days=365)),
        },
    )
    assert refused.status_code == 200
    assert principles[0].title in " ".join(refused.context["form"].non_field_errors())
    dd.refresh_from_db()
    assert dd.outcome == "pending"


def test_due_diligence_approved_when_every_principle_is_met(manager, world):
    principles = Principle.objects.all()
    dd = due_diligence_record(
        organisation=world.organisation,
        assessed_on=timezone.localdate(),
        child_protection="in_place",
        brand_risk="low",
        findings={p.pk: (True, "Seen.") for p in principles},
        actor=manager,
    )
    response = _client(manager).post(
        reverse("partners:due_diligence_decide", args=[dd.pk]),
        {"outcome": "approved", "expires_on": "31/12/2099"},
    )
    assert response.status_code == 302
    dd.refresh_from_db()
    assert dd.outcome == "approved"
    assert dd.expires_on == dt.date(2099, 12, 31)


# --- MoUs -------------------------------------------------------------------------


@pytest.fixture
def draft(world):
    return pm.MoU.objects.create(organisation=world.organisation, title="Second MoU")


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


# --- Tier moves ----------------------------------------------------------------


@pytest.fixture
def partner_without_move(manager):
    """A Partner with a signed MoU but no pending move."""
    world = build_world(owner=manager, name="Clearpath Trust")
    world.tier_change.status = "withdrawn"
    world.tier_change.save()
    return world


def test_tier_move_form_lists_every_characteristic_with_its_check(
    manager, partner_without_move
):
    strategic = factories.tier("strategic-partner")
    response = _client(manager).get(
        reverse(
            "tiers:tier_change_create", args=[partner_without_move.organisation.pk]
        ),
        {"to": "strategic-partner"},
    )
    html = response.content.decode()
    for characteristic in strategic.characteristics.all():
        assert characteristic.text in html
    assert "MoU in force: <strong" in html
    assert ">yes</strong>" in html
    assert "A signed MoU is in force: yes" in html
    assert len(response.context["rows"]) == strategic.characteristics.count()


def test_tier_move_without_evidence_is_refused_and_keeps_the_reason(
    manager, partner_without_move
):
    org = partner_without_move.organisation
    response = _client(manager).post(
        reverse("tiers:tier_change_create", args=[org.pk]) + "?to=strategic-partner",
        {
            "to": "strategic-partner",
            "effective_date": _uk(timezone.localdate()),
            "reason": "Kept reason text",
        },
    )
    assert response.status_code == 200
    assert "Give evidence" in " ".join(response.context["form"].non_field_errors())
    assert "Kept reason text" in response.content.decode()
    assert not tm.TierChange.objects.filter(organisation=org, status="pending").exists()


def test_tier_move_requested_then_approved_by_another_senior_manager(
    manager, senior_manager, partner_without_move
):
    org = partner_without_move.organisation
    strategic = factories.tier("strategic-partner")
    data = {
        "to": "strategic-partner",
        "effective_date": _uk(timezone.localdate()),
        "reason": "Ready for more.",
    }
    for c in strategic.characteristics.all():
        data[f"evidence_{c.pk}"] = f"Evidence {c.order}"
    response = _client(manager).post(
        reverse("tiers:tier_change_create", args=[org.pk]), data
    )
    change = tm.TierChange.objects.get(organisation=org, status="pending")
    assert response["Location"] == reverse("tiers:tier_change_detail", args=[change.pk])
    assert change.evidence.count() == strategic.characteristics.count()

    approved = _client(senior_manager).post(
        reverse("tiers:tier_change_approve", args=[change.pk]),
        {"decision_reason": "Agreed at the board."},
        follow=True,
    )
    assert any("Move approved" in m for m in _messages(approved))
    current = tm.Association.objects.get(organisation=org, end__isnull=True)
    assert current.tier == strategic
    dashboard = _client(manager).get("/")
    recent = dashboard.context["recent_moves"][0]
    assert recent.organisation == org
    assert recent.tier == strategic
    assert org.name in dashboard.content.decode()


def test_senior_manager_cannot_approve_their_own_request(senior_manager):
    world = build_world(owner=senior_manager, name="Selfdecide Ltd")
    response = _client(senior_manager).post(
        reverse("tiers:tier_change_approve", args=[world.tier_change.pk]), {}
    )
    assert response.status_code == 200
    assert "other than the one who asked" in " ".join(
        response.context["form"].non_field_errors()
    )
    world.tier_change.refresh_from_db()
    assert world.tier_change.status == "pending"


def test_reject_needs_a_reason(senior_manager, world):
    url = reverse("tiers:tier_change_reject", args=[world.tier_change.pk])
    response = _client(senior_manager).post(url, {"decision_reason": ""})
    assert "decision_reason" in response.context["form"].errors
    _client(senior_manager).post(url, {"decision_reason": "Not yet."})
    world.tier_change.refresh_from_db()
    assert world.tier_change.status == "rejected"


def test_benefit_for_a_supplier_is_refused(manager):
    supplier = factories.AssociationFactory(
        tier=factories.tier("supplier"),
        organisation=factories.OrganisationFactory(owner=manager),
    ).organisation
    benefit = tm.Benefit.objects.filter(tier__code="official-supporter").first()
    response = _client(manager).post(
        reverse("tiers:benefit_delivery_create", args=[supplier.pk]),
        {"benefit": benefit.pk, "delivered_on": _uk(timezone.localdate())},
    )
    assert response.status_code == 200
    assert "receives no benefits" in str(response.context["form"].errors)
    assert not tm.BenefitDelivery.objects.filter(organisation=supplier).exists()


# --- Reviews, proposals, issues, contacts -------------------------------------------


def test_review_conduct_shows_the_self_assessment_and_requires_each_part(
    manager, world
):
    plm.SelfAssessment.objects.create(
        review=world.review, progress="We trained 40 staff.", status="submitted"
    )
    url = reverse("planning:review_conduct", args=[world.review.pk])
    page = _client(manager).get(url)
    assert "We trained 40 staff." in page.content.decode()
    response = _client(manager).post(
        url,
        {
            "progress": "Good progress.",
            "benefits_to_ceop": "",
            "benefits_to_partner": "Access.",
            "recommendation": "stay",
            "completed_on": _uk(timezone.localdate()),
        },
    )
    assert "benefits_to_ceop" in response.context["form"].errors
    assert "Good progress." in response.content.decode()
    world.review.refresh_from_db()
    assert world.review.status == "scheduled"


def test_proposal_accept_becomes_a_contribution(manager, world):
    response = _client(manager).post(
        reverse("partners:proposal_accept", args=[world.proposal.pk]), {}
    )
    world.proposal.refresh_from_db()
    assert world.proposal.status == "accepted"
    assert response["Location"] == reverse(
        "partners:contribution_update", args=[world.proposal.contribution.pk]
    )


def test_proposal_decline_needs_a_reason(manager, world):
    url = reverse("partners:proposal_decline", args=[world.proposal.pk])
    response = _client(manager).post(url, {"decline_reason": "  "})
    assert "decline_reason" in response.context["form"].errors
    world.proposal.refresh_from_db()
    assert world.proposal.status == "submitted"


def test_issue_escalates_one_level_then_resolves(manager, world):
    factories.OwnershipLevelFactory(mou=world.mou, level=2, side="ceop")
    client = _client(manager)
    confirm = client.get(reverse("partners:issue_escalate", args=[world.issue.pk]))
    assert "level 2" in confirm.content.decode()
    client.post(reverse("partners:issue_escalate", args=[world.issue.pk]), {})
    world.issue.refresh_from_db()
    assert world.issue.escalation_level == 2
    missing = client.post(
        reverse("partners:issue_resolve", args=[world.issue.pk]),
        {"resolution": "", "resolved_on": _uk(timezone.localdate())},
    )
    assert "resolution" in missing.context["form"].errors
    client.post(
        reverse("partners:issue_resolve", args=[world.issue.pk]),
        {
            "resolution": "Agreed a data schedule.",
            "resolved_on": _uk(timezone.localdate()),
        },
    )
    world.issue.refresh_from_db()
    assert world.issue.status == "resolved"


def test_contact_delete_asks_first_and_deletes_on_post(manager, world):
    url = reverse("partners:contact_delete", args=[world.contact.pk])
    page = _client(manager).get(url)
    assert page.status_code == 200
    assert f"Delete {world.contact.name}?" in page.content.decode()
    assert pm.Contact.objects.filter(pk=world.contact.pk).exists()
    _client(manager).post(url, {})
    assert not pm.Contact.objects.filter(pk=world.contact.pk).exists()


def test_dates_are_the_browsers_date_input_and_typed_uk_dates_still_count(
    manager, world
):
    page = _client(manager).get(
        reverse("partners:issue_create", args=[world.organisation.pk])
    )
    today = timezone.localdate()
    assert (
        f'<input type="date" name="raised_on" value="{today.isoformat()}"'
        in page.content.decode()
    )
    response = _client(manager).post(
        reverse("partners:issue_create", args=[world.organisation.pk]),
        {"title": "Late data", "raised_on": "2026-13-40"},
    )
    assert "Enter a real date" in str(response.context["form"].errors)
    _client(manager).post(
        reverse("partners:issue_create", args=[world.organisation.pk]),
        {"title": "Typed by hand", "raised_on": "03/02/2026"},
    )
    issue = pm.RelationshipIssue.objects.get(title="Typed by hand")
    assert issue.raised_on == dt.date(2026, 2, 3)


FORM_MODULES = (
    "partners.forms",
    "partners.joint.forms",
    "partners.portal.forms",
    "partners.imports.forms",
    "partners.public_forms",
    "planning.forms",
    "tiers.forms",
    "ceop_crm.privacy.forms",
)


def test_every_date_field_of_the_workspace_and_portal_is_a_date_input():
    import importlib
    import inspect

    from django import forms

    checked = []
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, forms.BaseForm) or cls.__module__ != name:
                continue
            try:
                form = cls()
            except TypeError:  # needs arguments of its view; fields are declared
                fields = cls.base_fields
            else:
                fields = form.fields
            for field_name, field in fields.items():
                if isinstance(field, forms.DateField):
                    checked.append(f"{cls.__name__}.{field_name}")
                    assert field.widget.input_type == "date", checked[-1]
    assert "RelationshipIssueForm.raised_on" in checked
    assert "ReviewConductForm.completed_on" in checked
    assert len(checked) >= 15


def test_issue_at_the_top_of_the_hierarchy_is_not_escalated(manager, world):
    response = _client(manager).post(
        reverse("partners:issue_escalate", args=[world.issue.pk]), {}
    )
    assert response.status_code == 200
    assert "top of the ownership hierarchy" in " ".join(
        response.context["form"].non_field_errors()
    )
    world.issue.refresh_from_db()
    assert world.issue.escalation_level == 1


@pytest.mark.parametrize(
    "query",
    [
        {"owner": "abc"},
        {"page": "xyz"},
        {"page": "9999"},
        {"sort": "bogus"},
        {"tier": "gold"},
        {"overdue": "maybe"},
        {"priority_area": "0"},
    ],
)
def test_organisation_list_with_bad_parameters_still_answers(manager, world, query):
    response = _client(manager).get(reverse("partners:organisation_list"), query)
    assert response.status_code == 200


def test_ending_an_association_cancels_the_reviews_still_to_come(
    manager, senior_manager, partner_without_move
):
    org = partner_without_move.organisation
    page = _client(manager).get(
        reverse("tiers:tier_change_create", args=[org.pk]), {"to": "end"}
    )
    assert "cancels the reviews still to come" in page.content.decode()
    _client(manager).post(
        reverse("tiers:tier_change_create", args=[org.pk]),
        {
            "to": "end",
            "effective_date": _uk(timezone.localdate()),
            "reason": "Closing.",
        },
    )
    change = tm.TierChange.objects.get(organisation=org, status="pending")
    assert change.direction == "end"
    _client(senior_manager).post(
        reverse("tiers:tier_change_approve", args=[change.pk]), {}
    )
    org.refresh_from_db()
    assert org.status == "ended"
    assert not tm.Association.objects.filter(organisation=org, end__isnull=True)
    assert not plm.Review.objects.filter(
        organisation=org, status="scheduled", due_on__gt=timezone.localdate()
    ).exists()


def test_organisation_list_filters_by_mou_state_and_overdue_review(manager):
    today = timezone.localdate()

    def org_with(name, **mou):
        org = factories.OrganisationFactory(name=name)
        if mou:
            factories.MoUFactory(organisation=org, **mou)
        return org

    in_force = org_with("In Force Ltd", status="signed")
    ending = org_with("Ending Ltd", end=today + dt.timedelta(days=30))
    drafting = org_with(
        "Drafting Ltd", status="draft", signed_on=None, start=None, end=None
    )
    lapsed = org_with("Lapsed Ltd", status="expired", end=today - dt.timedelta(days=3))
    none = org_with("No MoU Ltd")
    url = reverse("partners:organisation_list")
    client = _client(manager)

    def names(**query):
        page = client.get(url, query).context["page"]
        return {o.name for o in page.object_list}

    assert names(mou="in_force") == {in_force.name, ending.name}
    assert names(mou="ending") == {ending.name}
    assert names(mou="drafting") == {drafting.name}
    assert names(mou="lapsed") == {lapsed.name}
    assert names(mou="none") == {none.name}

    factories.AssociationFactory(
        organisation=none, start=today - dt.timedelta(days=400)
    )
    reviews_schedule(organisation_ids=[none.pk])
    plm.Review.objects.filter(organisation=none).update(
        due_on=today - dt.timedelta(days=1)
    )
    assert names(overdue="true") == {none.name}
    assert none.name not in names(overdue="false")


def test_a_supplier_is_never_given_association_wording(manager, senior_manager):
    org = factories.OrganisationFactory(name="Paid In Full Ltd", owner=manager)
    _client(manager).post(
        reverse("tiers:tier_change_create", args=[org.pk]),
        {
            "to": "supplier",
            "effective_date": _uk(timezone.localdate()),
            "reason": "Contract for training rooms.",
        },
    )
    change = tm.TierChange.objects.get(organisation=org)
    pages = [
        reverse("tiers:tier_change_detail", args=[change.pk]),
        reverse("partners:organisation_detail", args=[org.pk]),
        reverse("tiers:tier_change_list"),
        "/",
    ]
    for url in pages:
        html = _client(senior_manager).get(url, {"scope": "all"}).content.decode()
        assert "Recorded as Supplier/Contractor" in html or url.startswith("/tier")
        assert "New association as Supplier" not in html
        assert "New association to Supplier" not in html
    _client(senior_manager).post(
        reverse("tiers:tier_change_approve", args=[change.pk]), {}
    )
    html = (
        _client(manager)
        .get(reverse("partners:organisation_detail", args=[org.pk]))
        .content.decode()
    )
    assert "Supplier/Contractor (not an association)" in html
    assert reverse("tiers:benefit_delivery_create", args=[org.pk]) not in html
