"""Django admin: every model's pages load for administrators only, and the
rules of the strategy hold in admin as form errors, never as a 500."""

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Model
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from activities import models as am
from ceop_crm.models import EmailBounce, OutboundEmail, TaskRun
from partners import models as pm
from planning import models as plm
from priorities import models as prm
from tests import factories
from tests.admin_helpers import add_inline_row, admin_form_data
from tests.clients import VerifiedClient
from tiers import models as tm

pytestmark = pytest.mark.django_db

# ceop_crm for its outbox, whose admin lives in planning/admin.py.
APPS = {"priorities", "tiers", "partners", "planning", "ceop_crm", "activities"}
REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label in APPS),
    key=lambda model: model._meta.label,
)
# Written by the system (the sweep, a feed's owner, the mail outbox), so admin
# cannot add one.
NO_ADD_PAGE = {
    plm.Reminder,
    plm.CalendarFeedToken,
    OutboundEmail,
    TaskRun,
    # Made in the workspace by the import and merge services.
    pm.ImportJob,
    pm.ImportRow,
    pm.ImportColumnMapping,
    pm.OrganisationMerge,
    # Written by people in the app or by the worker.
    plm.NotificationPreference,
    plm.Digest,
    plm.ReportSubscription,
    plm.ReportSend,
    plm.AddressOptOut,
    # One row: its add page is refused once the row exists.
    plm.EmailSettings,
    EmailBounce,
    # Asked for in the workspace and built by the worker.
    pm.ReportDownload,
}


# --- One real object of each model -----------------------------------------------


def _reference(model: type[Model]) -> Model:
    """A row of reference data loaded by the data migrations."""
    obj = model.objects.first()
    assert obj is not None, f"{model._meta.label} has no reference data"
    return obj


def make_milestone() -> plm.Milestone:
    return plm.Milestone.objects.create(
        planning_year=factories.PlanningYearFactory(),
        kind=plm.MilestoneKind.OTHER,
        name="Partnership day",
        date=dt.date(2026, 10, 1),
    )


def make_review() -> plm.Review:
    association = factories.AssociationFactory()
    return plm.Review.objects.create(
        organisation=association.organisation,
        association=association,
        milestone=make_milestone(),
        due_on=dt.date(2026, 10, 1),
    )


def make_tier_change() -> tm.TierChange:
    return tm.TierChange.objects.create(
        organisation=factories.OrganisationFactory(),
        to_tier=factories.tier("partner"),
        direction=tm.TierChange.Direction.UP,
        effective_date=dt.date(2027, 1, 1),
        reason="Delivers two Centre Plan objectives.",
        requested_by=factories.UserFactory(),
    )


def make_tier_change_evidence() -> tm.TierChangeEvidence:
    change = make_tier_change()
    return tm.TierChangeEvidence.objects.create(
        tier_change=change,
        characteristic=change.to_tier.characteristics.first(),
        evidence="Signed MoU of 1 April.",
    )


def make_benefit_delivery() -> tm.BenefitDelivery:
    association = factories.AssociationFactory()
    return tm.BenefitDelivery.objects.create(
        organisation=association.organisation,
        association=association,
        benefit=association.tier.benefits.first(),
        delivered_on=association.start,
    )


def make_principle_assessment() -> pm.PrincipleAssessment:
    return pm.PrincipleAssessment.objects.create(
        due_diligence=factories.DueDiligenceFactory(),
        principle=_reference(prm.Principle),
        met=True,
    )


def make_self_assessment() -> plm.SelfAssessment:
    return plm.SelfAssessment.objects.create(review=make_review(), progress="On track.")


def make_reminder() -> plm.Reminder:
    return plm.Reminder.objects.create(
        recipient=factories.UserFactory(),
        step=plm.Reminder.Step.OTHER,
        subject_type="organisation",
        subject_id=1,
        title="Something to look at",
    )


def make_calendar_feed_token() -> plm.CalendarFeedToken:
    from planning.services import calendar_feed_token_issue

    return calendar_feed_token_issue(user=factories.UserFactory())[0]


def make_outbound_email() -> OutboundEmail:
    return OutboundEmail.objects.create(to=["someone@example.org"], subject="Hello")


def make_notification_default() -> plm.NotificationDefault:
    return plm.NotificationDefault.objects.order_by("pk").first() or (
        plm.NotificationDefault.objects.create(
            kind="reviews", audience="staff", delivery="email"
        )
    )


def make_digest() -> plm.Digest:
    return plm.Digest.objects.create(
        recipient=factories.UserFactory(),
        day=timezone.localdate(),
        created_at=timezone.now(),
    )


def make_report_subscription() -> plm.ReportSubscription:
    user = factories.UserFactory()
    return plm.ReportSubscription.objects.create(
        report="reviews", frequency="monthly", user=user, created_by=user
    )


def make_report_send() -> plm.ReportSend:
    today = timezone.localdate()
    return plm.ReportSend.objects.create(
        subscription=make_report_subscription(),
        period_start=today,
        period_end=today,
        created_at=timezone.now(),
    )


def make_email_bounce() -> EmailBounce:
    now = timezone.now()
    return EmailBounce.objects.create(
        address=f"gone{EmailBounce.objects.count()}@example.org",
        code=550,
        reason="No such user",
        first_at=now,
        last_at=now,
    )


def make_email_settings() -> plm.EmailSettings:
    return plm.EmailSettings.objects.get_or_create(
        pk=1, defaults={"reply_to_address": "team@ceop.example"}
    )[0]


def make_address_opt_out() -> plm.AddressOptOut:
    return plm.AddressOptOut.objects.create(
        address=f"person{plm.AddressOptOut.objects.count()}@example.org",
        kind="reviews",
    )


def make_task_run() -> TaskRun:
    now = timezone.now()
    return TaskRun.objects.create(name="sweep", started_at=now, finished_at=now)


def make_import_job() -> pm.ImportJob:
    from partners.imports.services import import_job_create

    return import_job_create(
        name="partners.csv",
        content=b"Name,Sector\r\nHarbour Trust,Industry\r\n",
        actor=factories.UserFactory(),
    )


def make_import_column_mapping() -> pm.ImportColumnMapping:
    return pm.ImportColumnMapping.objects.create(
        user=factories.UserFactory(), mapping={"name": "name"}
    )


def make_organisation_merge() -> pm.OrganisationMerge:
    from partners.dedupe.merge import organisation_merge

    return organisation_merge(
        source=factories.OrganisationFactory(),
        target=factories.OrganisationFactory(),
        actor=factories.UserFactory(),
    )


def make_activity() -> am.Activity:
    from activities.services import activity_record
    from ceop_crm.roles import SENIOR_MANAGER

    actor = factories.UserFactory(username="admin-test-senior")
    actor.groups.add(Group.objects.get(name=SENIOR_MANAGER))
    return activity_record(
        actor=actor,
        organisation=factories.OrganisationFactory(),
        kind="call",
        occurred_at=timezone.now(),
        summary="Called about the MoU",
        follow_up_title="Send the draft",
        follow_up_due=timezone.localdate(),
    )


def make_report_download() -> pm.ReportDownload:
    from partners.downloads.services import report_download_request

    return report_download_request(
        actor=factories.UserFactory(), slug="mous", fmt="csv"
    )


MAKERS: dict[type[Model], Callable[[], Model]] = {
    prm.Objective: lambda: _reference(prm.Objective),
    prm.PriorityArea: lambda: _reference(prm.PriorityArea),
    prm.Principle: lambda: _reference(prm.Principle),
    prm.CentrePlanObjective: factories.CentrePlanObjectiveFactory,
    prm.Threat: factories.ThreatFactory,
    tm.TierLevel: lambda: factories.tier("partner"),
    tm.KeyCharacteristic: lambda: _reference(tm.KeyCharacteristic),
    tm.Benefit: lambda: _reference(tm.Benefit),
    tm.Association: factories.AssociationFactory,
    tm.TierChange: make_tier_change,
    tm.TierChangeEvidence: make_tier_change_evidence,
    tm.BenefitDelivery: make_benefit_delivery,
    pm.Organisation: factories.OrganisationFactory,
    pm.Contact: factories.ContactFactory,
    pm.DueDiligence: factories.DueDiligenceFactory,
    pm.PrincipleAssessment: make_principle_assessment,
    pm.MoU: factories.MoUFactory,
    pm.OwnershipLevel: factories.OwnershipLevelFactory,
    pm.Contribution: factories.ContributionFactory,
    pm.ContributionParty: lambda: pm.ContributionParty.objects.create(
        contribution=factories.ContributionFactory(),
        organisation=factories.OrganisationFactory(),
        added_at=timezone.now(),
    ),
    pm.Proposal: factories.ProposalFactory,
    pm.RelationshipIssue: factories.RelationshipIssueFactory,
    pm.PortalMembership: factories.PortalMembershipFactory,
    plm.PlanningYear: factories.PlanningYearFactory,
    plm.MilestoneTemplate: lambda: _reference(plm.MilestoneTemplate),
    plm.Milestone: make_milestone,
    plm.Review: make_review,
    plm.SelfAssessment: make_self_assessment,
    plm.Reminder: make_reminder,
    plm.CalendarFeedToken: make_calendar_feed_token,
    OutboundEmail: make_outbound_email,
    TaskRun: make_task_run,
    pm.ImportJob: make_import_job,
    pm.ImportRow: lambda: make_import_job().rows.get(),
    pm.ImportColumnMapping: make_import_column_mapping,
    pm.OrganisationMerge: make_organisation_merge,
    am.Activity: make_activity,
    am.Task: lambda: make_activity().tasks.get(),
    plm.NotificationDefault: make_notification_default,
    plm.NotificationPreference: lambda: plm.NotificationPreference.objects.create(
        user=factories.UserFactory(), kind="reviews", delivery="digest"
    ),
    plm.Digest: make_digest,
    plm.ReportSubscription: make_report_subscription,
    plm.ReportSend: make_report_send,
    EmailBounce: make_email_bounce,
    plm.EmailSettings: make_email_settings,
    plm.AddressOptOut: make_address_opt_out,
    pm.ReportDownload: make_report_download,
}


def _urls(model: type[Model], obj: Model) -> dict[str, str]:
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    return {
        "changelist": reverse(f"{info}_changelist"),
        "add": reverse(f"{info}_add"),
        "change": reverse(f"{info}_change", args=[obj.pk]),
    }


def _make(model: type[Model]) -> Model:
    if model not in MAKERS:
        pytest.fail(f"{model._meta.label} is registered in admin but has no maker here")
    return MAKERS[model]()


# --- Every model -------------------------------------------------------------------


def test_every_model_of_the_four_apps_is_registered_but_history():
    models = {
        model
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical")
    }
    assert models - set(REGISTERED) == set()
    assert not any(model.__name__.startswith("Historical") for model in REGISTERED)


def test_every_registered_model_of_the_four_apps_is_covered():
    assert {model._meta.app_label for model in REGISTERED} == APPS
    assert set(MAKERS) == set(REGISTERED)
    assert len(MAKERS) == len(REGISTERED) == 47


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_admin_pages_load_for_a_superuser(admin_client, model):
    obj = _make(model)
    urls = _urls(model, obj)

    assert admin_client.get(urls["changelist"]).status_code == 200
    # A search runs the search_fields lookups, which a typo would turn into a 500.
    assert admin_client.get(urls["changelist"], {"q": "x"}).status_code == 200
    expected_add = 403 if model in NO_ADD_PAGE | set(WORKSPACE_ONLY) else 200
    assert admin_client.get(urls["add"]).status_code == expected_add
    response = admin_client.get(urls["change"])
    assert response.status_code == 200
    assert response.context["original"] == obj


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_admin_pages_send_anonymous_and_non_staff_users_to_sign_in(client, model):
    urls = _urls(model, _make(model))
    signed_in = VerifiedClient()
    signed_in.force_login(factories.UserFactory(username="not-staff"))

    for visitor in (client, signed_in):
        for url in urls.values():
            response = visitor.get(url)
            assert response.status_code == 302, url
            assert response.url.startswith(reverse("admin:login")), url


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_changelist_queries_do_not_grow_with_rows(admin_client, model):
    url = _urls(model, _make(model))["changelist"]
    admin_client.get(url)  # Warm the per-process caches (content types, sessions).
    with CaptureQueriesContext(connection) as one_row:
        admin_client.get(url)
    for _ in range(3):
        _make(model)
    with CaptureQueriesContext(connection) as more_rows:
        admin_client.get(url)

    assert len(more_rows) == len(one_row), [q["sql"] for q in more_rows]


def test_staff_roles_without_superuser_cannot_use_admin(manager):
    # Staff roles work in the app; admin is for administrators.
    client = VerifiedClient()
    client.force_login(manager)
    response = client.get(reverse("admin:partners_organisation_changelist"))
    assert response.status_code == 302


# --- History -----------------------------------------------------------------------


def test_organisation_history_is_readable(admin_client):
    organisation = factories.OrganisationFactory()
    organisation.description = "A search engine."
    organisation.save()
    url = reverse("admin:partners_organisation_history", args=[organisation.pk])

    response = admin_client.get(url)

    assert response.status_code == 200
    assert response.context["revert_disabled"] is True
    assert "A search engine." in response.content.decode()


def test_a_historical_version_can_be_viewed_but_not_reverted(admin_client):
    organisation = factories.OrganisationFactory(description="Before")
    first = organisation.history.earliest()
    organisation.description = "After"
    organisation.save()
    url = reverse(
        "admin:partners_organisation_simple_history",
        args=[organisation.pk, first.history_id],
    )

    response = admin_client.get(url)
    assert response.status_code == 200
    assert b'value="Revert"' not in response.content

    data = admin_form_data(response)
    assert admin_client.post(url, data).status_code == 403
    organisation.refresh_from_db()
    assert organisation.description == "After"


# --- No path around the services -------------------------------------------------
# Associations, tier moves, MoUs, due diligence, reviews, benefit deliveries,
# contributions, proposals and issues change only through the services, in the
# workspace: admin shows them with a link to the workspace action and refuses
# every write, so no rule of the strategy can be skipped here.

WORKSPACE_ONLY = {
    tm.Association: "tiers:tier_change_create",
    tm.TierChange: "tiers:tier_change_detail",
    tm.TierChangeEvidence: "tiers:tier_change_detail",
    tm.BenefitDelivery: "tiers:benefit_delivery_create",
    pm.DueDiligence: "partners:due_diligence_detail",
    pm.PrincipleAssessment: "partners:due_diligence_detail",
    pm.MoU: "partners:mou_detail",
    pm.Contribution: "partners:contribution_update",
    pm.ContributionParty: "partners:contribution_parties",
    pm.Proposal: "partners:proposal_detail",
    pm.RelationshipIssue: "partners:issue_detail",
    plm.Review: "planning:review_detail",
    plm.SelfAssessment: "planning:review_detail",
    am.Activity: "partners:organisation_detail",
    am.Task: "activities:task_reassign",
}


@pytest.mark.parametrize("model", WORKSPACE_ONLY, ids=lambda model: model._meta.label)
def test_workspace_only_models_link_to_the_workspace_action(admin_client, model):
    obj = _make(model)
    response = admin_client.get(_urls(model, obj)["change"])

    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    links = re.findall(r'href="([^"]+)"', response.content.decode())
    actions = {
        match.view_name
        for match in (resolve_or_none(link) for link in links)
        if match is not None
    }
    assert WORKSPACE_ONLY[model] in actions


def resolve_or_none(path: str):
    try:
        return resolve(path)
    except Resolver404:
        return None


@pytest.mark.parametrize("model", WORKSPACE_ONLY, ids=lambda model: model._meta.label)
def test_workspace_only_models_refuse_every_write_in_admin(admin_client, model):
    obj = _make(model)
    urls = _urls(model, obj)
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    before = model.objects.count()

    assert admin_client.post(urls["add"], {}).status_code == 403
    assert admin_client.post(urls["change"], {}).status_code == 403
    delete = reverse(f"{info}_delete", args=[obj.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert model.objects.count() == before


def _change_post(admin_client, obj, **fields):
    """POST an admin change page as shown, with the fields a person changed."""
    info = f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change"
    url = reverse(info, args=[obj.pk])
    data = admin_form_data(admin_client.get(url))
    data.update(fields)
    return admin_client.post(url, data)


def _add_post(admin_client, model, **fields):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    return admin_client.post(url, fields)


def test_admin_cannot_move_an_association_to_another_level(admin_client):
    # Official Supporter to Strategic Partner with no tier move, evidence or
    # second approver: the gap this closes.
    association = factories.AssociationFactory(
        tier=factories.tier("official-supporter")
    )
    response = _change_post(
        admin_client, association, tier=factories.tier("strategic-partner").pk
    )

    assert response.status_code == 403
    association.refresh_from_db()
    assert association.tier.code == "official-supporter"


def test_admin_cannot_add_an_association(admin_client):
    due_diligence = factories.DueDiligenceFactory()
    response = _add_post(
        admin_client,
        tm.Association,
        organisation=due_diligence.organisation.pk,
        tier=factories.tier("strategic-partner").pk,
        start=timezone.localdate().isoformat(),
    )

    assert response.status_code == 403
    assert not tm.Association.objects.exists()


def test_admin_cannot_add_an_association_through_the_organisation(admin_client):
    due_diligence = factories.DueDiligenceFactory()
    organisation = due_diligence.organisation
    url = reverse("admin:partners_organisation_change", args=[organisation.pk])
    response = admin_client.get(url)
    (inline,) = [
        inline
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is tm.Association
    ]
    assert not inline.has_add_permission
    data = admin_form_data(response)
    add_inline_row(
        data,
        "associations",
        organisation=organisation.pk,
        tier=factories.tier("strategic-partner").pk,
        start=timezone.localdate(),
    )

    admin_client.post(url, data)

    assert not tm.Association.objects.exists()


def test_admin_cannot_approve_a_tier_move(admin_client):
    change = make_tier_change()
    response = _change_post(admin_client, change, status=tm.TierChange.Status.APPROVED)

    assert response.status_code == 403
    change.refresh_from_db()
    assert change.status == tm.TierChange.Status.PENDING


def test_admin_cannot_sign_an_mou(admin_client):
    mou = factories.MoUFactory(status=pm.MoU.Status.DRAFT)
    response = _change_post(
        admin_client,
        mou,
        status=pm.MoU.Status.SIGNED,
        signed_on="2026-04-01",
        start="2026-04-01",
        end="2029-03-31",
    )

    assert response.status_code == 403
    mou.refresh_from_db()
    assert mou.status == pm.MoU.Status.DRAFT


def test_admin_cannot_approve_due_diligence(admin_client):
    due_diligence = factories.DueDiligenceFactory(
        outcome=pm.DueDiligence.Outcome.PENDING, expires_on=None
    )
    response = _change_post(
        admin_client,
        due_diligence,
        outcome=pm.DueDiligence.Outcome.APPROVED,
        expires_on="2027-04-01",
    )

    assert response.status_code == 403
    due_diligence.refresh_from_db()
    assert due_diligence.outcome == pm.DueDiligence.Outcome.PENDING


def test_admin_cannot_complete_a_review(admin_client):
    review = make_review()
    response = _change_post(admin_client, review, status=plm.Review.Status.COMPLETED)

    assert response.status_code == 403
    review.refresh_from_db()
    assert review.status == plm.Review.Status.SCHEDULED


def test_admin_cannot_record_a_benefit_delivery(admin_client):
    association = factories.AssociationFactory(tier=factories.tier("supplier"))
    response = _add_post(
        admin_client,
        tm.BenefitDelivery,
        organisation=association.organisation.pk,
        benefit=factories.tier("official-supporter").benefits.first().pk,
        delivered_on=timezone.localdate().isoformat(),
    )

    assert response.status_code == 403
    assert not tm.BenefitDelivery.objects.exists()


def test_admin_cannot_complete_a_contribution_without_outcomes(admin_client):
    contribution = factories.ContributionFactory()
    response = _change_post(
        admin_client, contribution, status=pm.Contribution.Status.COMPLETED
    )

    assert response.status_code == 403
    contribution.refresh_from_db()
    assert contribution.status != pm.Contribution.Status.COMPLETED


def test_admin_cannot_set_an_organisations_status(admin_client):
    organisation = factories.OrganisationFactory()
    response = _change_post(
        admin_client, organisation, status=pm.Organisation.Status.ACTIVE
    )

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.status == pm.Organisation.Status.PROSPECT


def test_second_primary_contact_through_the_inline_is_a_form_error(admin_client):
    contact = factories.ContactFactory(is_primary=True)
    url = reverse("admin:partners_organisation_change", args=[contact.organisation.pk])
    data = admin_form_data(admin_client.get(url))
    add_inline_row(
        data,
        "contacts",
        organisation=contact.organisation.pk,
        name="Second primary",
        is_primary="on",
    )

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "already has a primary contact" in response.content.decode()
    assert pm.Contact.objects.count() == 1


def test_reviews_are_read_only_on_the_organisation(admin_client):
    review = make_review()
    url = reverse("admin:partners_organisation_change", args=[review.organisation.pk])

    response = admin_client.get(url)

    assert response.status_code == 200
    (reviews,) = [
        inline
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is plm.Review
    ]
    assert not reviews.has_add_permission
    assert not reviews.has_change_permission
    assert not reviews.has_delete_permission
    assert review.milestone.name in response.content.decode()


def test_supplier_level_with_benefits_is_a_form_error(admin_client):
    # Reference data stays editable here; its constraint shows as a form error.
    supplier = factories.tier("supplier")
    response = _change_post(admin_client, supplier, benefits_allowed="on")

    assert response.status_code == 200
    assert "tierlevel_non_association_has_no_benefits_or_mou" in (
        response.content.decode()
    )
    supplier.refresh_from_db()
    assert not supplier.benefits_allowed


def test_planning_year_ending_before_it_starts_is_a_form_error(admin_client):
    year = factories.PlanningYearFactory()
    response = _change_post(admin_client, year, end=year.start - dt.timedelta(days=1))

    assert response.status_code == 200
    assert "A planning year ends after it starts." in response.content.decode()
    year.refresh_from_db()
    assert year.end > year.start


# --- Reminders ---------------------------------------------------------------------


def test_reminder_admin_changes_only_read_at(admin_client):
    reminder = make_reminder()
    url = reverse("admin:planning_reminder_change", args=[reminder.pk])
    response = admin_client.get(url)
    assert set(response.context["adminform"].form.fields) == {"read_at"}

    data = admin_form_data(response)
    data.update(read_at_0="28/11/2026", read_at_1="09:30:00", title="Changed")
    response = admin_client.post(url, data)

    assert response.status_code == 302
    reminder.refresh_from_db()
    assert reminder.read_at is not None
    assert reminder.title == "Something to look at"


def test_reminders_cannot_be_deleted_in_admin(admin_client):
    reminder = make_reminder()
    url = reverse("admin:planning_reminder_delete", args=[reminder.pk])

    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert plm.Reminder.objects.filter(pk=reminder.pk).exists()


def test_calendar_feeds_are_revoked_through_the_service(admin_client):
    token = make_calendar_feed_token()
    url = reverse("admin:planning_calendarfeedtoken_changelist")

    response = admin_client.post(
        url, {"action": "revoke", "_selected_action": [token.pk]}
    )

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_admin_pages_send_an_administrator_without_a_second_factor_to_it(
    admin_user, model
):
    urls = _urls(model, _make(model))
    password_only = Client()
    password_only.force_login(admin_user)
    for url in [reverse("admin:index"), *urls.values()]:
        response = password_only.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("two_factor_setup")), url
    factories.TOTPDeviceFactory(user=admin_user)
    for url in [reverse("admin:index"), *urls.values()]:
        response = password_only.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("two_factor_verify")), url


def test_admin_sign_in_form_signs_no_one_in(admin_user):
    """Django admin's own password form would skip the second factor: it sends
    to the workspace sign-in, and a password posted to it signs no one in."""
    client = Client()
    response = client.get(reverse("admin:login") + "?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    response = client.post(
        reverse("admin:login"),
        {"username": admin_user.username, "password": "password", "next": "/admin/"},
    )
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
