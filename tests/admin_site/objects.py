"""One real object of each model registered in admin, its admin URLs, and
the POSTs a person makes there (for the tests of this package)."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from activities import models as am
from ceop_crm.models import EmailBounce, OutboundEmail, TaskRun
from partners import models as pm
from planning import models as plm
from priorities import models as prm
from tests import factories
from tests.admin_helpers import admin_form_data
from tiers import models as tm

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


def admin_urls(model: type[Model], obj: Model) -> dict[str, str]:
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    return {
        "changelist": reverse(f"{info}_changelist"),
        "add": reverse(f"{info}_add"),
        "change": reverse(f"{info}_change", args=[obj.pk]),
    }


def make(model: type[Model]) -> Model:
    if model not in MAKERS:
        pytest.fail(f"{model._meta.label} is registered in admin but has no maker here")
    return MAKERS[model]()


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


def change_post(admin_client, obj, **fields):
    """POST an admin change page as shown, with the fields a person changed."""
    info = f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change"
    url = reverse(info, args=[obj.pk])
    data = admin_form_data(admin_client.get(url))
    data.update(fields)
    return admin_client.post(url, data)


def add_post(admin_client, model, **fields):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    return admin_client.post(url, fields)
