"""Admin for the organisations and everything held about them.

Due diligence, MoUs, contributions, proposals and issues change only through
the services, in the workspace (deciding, signing, triage, resolving): here they
are read-only with a link to the workspace action. An organisation's status
follows its association, so it is read-only too.
"""

from django.contrib import admin
from django.db import models
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest

from ceop_crm.admin import (
    ConstraintCheckingInlineFormSet,
    ConstraintCheckingModelForm,
    ReadOnlyHistoryAdmin,
    WorkspaceOnlyAdmin,
    WorkspaceOnlyInline,
)
from partners.joint import admin as joint_admin
from partners.models import (
    Contact,
    Contribution,
    DueDiligence,
    MoU,
    Organisation,
    OwnershipLevel,
    PortalMembership,
    PrincipleAssessment,
    Proposal,
    RelationshipIssue,
)
from planning.models import Review
from tiers.models import Association, TierLevel

# --- Inlines -------------------------------------------------------------------


class InlineBase(admin.TabularInline):
    form = ConstraintCheckingModelForm
    formset = ConstraintCheckingInlineFormSet
    extra = 0


class ContactInline(InlineBase):
    model = Contact
    fields = ["name", "job_title", "email", "phone", "is_primary"]


class AssociationInline(WorkspaceOnlyInline):
    model = Association
    fields = ["tier", "start", "end", "end_reason", "mou"]
    ordering = ["-start"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("tier", "mou")


class MoUInline(WorkspaceOnlyInline):
    model = MoU
    fields = ["title", "status", "signed_on", "start", "end", "market_equally"]
    ordering = ["-start"]


class DueDiligenceInline(WorkspaceOnlyInline):
    model = DueDiligence
    fields = ["assessed_on", "outcome", "expires_on", "child_protection", "brand_risk"]
    ordering = ["-assessed_on"]


class ReviewInline(WorkspaceOnlyInline):
    """Reviews are scheduled by the system as associations change."""

    model = Review
    fields = ["milestone", "due_on", "status", "recommendation", "completed_on"]
    ordering = ["-due_on"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("milestone__planning_year")


class PrincipleAssessmentInline(WorkspaceOnlyInline):
    model = PrincipleAssessment
    fields = ["principle", "met", "evidence"]
    show_change_link = False


class OwnershipLevelInline(WorkspaceOnlyInline):
    model = OwnershipLevel
    fields = ["level", "side", "name", "role", "email", "days_to_resolve"]
    ordering = ["level", "side"]


# --- Admins --------------------------------------------------------------------


class CurrentTierListFilter(admin.SimpleListFilter):
    title = "current level"
    parameter_name = "tier"

    def lookups(self, request, model_admin):
        return [(tier.code, tier.name) for tier in TierLevel.objects.order_by("-rank")]

    def queryset(self, request, queryset):
        if self.value():
            # One filter() call, so both conditions hold for the same association.
            return queryset.filter(
                associations__end__isnull=True, associations__tier__code=self.value()
            )
        return queryset


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "sector", "status", "current_tier", "owner", "deputy"]
    # No filter listing every country: it reads the distinct values of the table.
    list_filter = ["sector", "status", CurrentTierListFilter]
    list_select_related = ["owner", "deputy"]
    search_fields = ["name", "website"]
    autocomplete_fields = ["owner", "deputy"]
    ordering = ["name"]
    # The status follows the association (organisation_update refuses it).
    readonly_fields = ["status", "created_at", "updated_at"]
    # The https default of Django 6, and no deprecation warning until then.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [
        ContactInline,
        AssociationInline,
        MoUInline,
        DueDiligenceInline,
        ReviewInline,
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        current = Association.objects.filter(
            organisation=OuterRef("pk"), end__isnull=True
        )
        return (
            super()
            .get_queryset(request)
            .annotate(current_tier=Subquery(current.values("tier__name")[:1]))
        )

    @admin.display(description="current level")
    def current_tier(self, obj: Organisation) -> str:
        return obj.current_tier or "–"


@admin.register(Contact)
class ContactAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "organisation", "job_title", "email", "is_primary"]
    list_filter = ["is_primary"]
    list_select_related = ["organisation"]
    search_fields = ["name", "=email", "organisation__name"]
    autocomplete_fields = ["organisation"]
    ordering = ["organisation__name", "-is_primary", "name"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(DueDiligence)
class DueDiligenceAdmin(WorkspaceOnlyAdmin):
    """Decided against every principle by a manager, in the workspace."""

    workspace_action = ("partners:due_diligence_detail", "pk", "Open to decide it")
    list_display = [
        "organisation",
        "assessed_on",
        "outcome",
        "expires_on",
        "child_protection",
        "brand_risk",
        "assessed_by",
    ]
    list_filter = ["outcome", "brand_risk", "child_protection", "assessed_on"]
    list_select_related = ["organisation", "assessed_by"]
    search_fields = ["organisation__name", "notes"]
    ordering = ["-assessed_on", "-pk"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [PrincipleAssessmentInline]


@admin.register(PrincipleAssessment)
class PrincipleAssessmentAdmin(WorkspaceOnlyAdmin):
    workspace_action = (
        "partners:due_diligence_detail",
        "due_diligence_id",
        "Open the due diligence",
    )
    list_display = ["due_diligence", "principle", "met"]
    list_filter = ["met", "principle"]
    list_select_related = ["due_diligence__organisation", "principle"]
    search_fields = ["due_diligence__organisation__name"]
    ordering = ["-due_diligence__assessed_on", "principle__order"]


@admin.register(MoU)
class MoUAdmin(WorkspaceOnlyAdmin):
    """Signed, renewed and terminated by the services, in the workspace."""

    workspace_action = (
        "partners:mou_detail",
        "pk",
        "Open to sign, renew or terminate it",
    )
    list_display = [
        "title",
        "organisation",
        "status",
        "signed_on",
        "start",
        "end",
        "market_equally",
    ]
    list_filter = ["status", "market_equally", "end"]
    list_select_related = ["organisation"]
    search_fields = [
        "title",
        "organisation__name",
        "ceop_signatory",
        "partner_signatory",
    ]
    ordering = ["organisation__name", "-start"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [OwnershipLevelInline]


@admin.register(OwnershipLevel)
class OwnershipLevelAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "mou", "level", "side", "role", "email", "days_to_resolve"]
    list_filter = ["side"]
    list_select_related = ["mou__organisation"]
    search_fields = ["name", "=email", "mou__organisation__name"]
    autocomplete_fields = ["mou"]
    ordering = ["mou__organisation__name", "level", "side"]


@admin.register(Contribution)
class ContributionAdmin(WorkspaceOnlyAdmin):
    """Completed support records its outcomes (contribution_save); who works
    with the lead is added and removed in the workspace (partners.joint)."""

    inlines = [joint_admin.ContributionPartyInline]

    workspace_action = ("partners:contribution_update", "pk", "Open to change it")
    list_display = ["title", "organisation", "kind", "status", "start", "end"]
    list_filter = ["status", "kind", "priority_areas", "start"]
    list_select_related = ["organisation"]
    search_fields = ["title", "organisation__name"]
    ordering = ["organisation__name", "-created_at"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(Proposal)
class ProposalAdmin(WorkspaceOnlyAdmin):
    """Submitted with a priority area or threat, triaged in the workspace."""

    workspace_action = ("partners:proposal_detail", "pk", "Open to triage it")
    list_display = ["title", "organisation", "source", "kind", "status", "created_at"]
    list_filter = ["status", "source", "kind", "created_at"]
    list_select_related = ["organisation"]
    search_fields = [
        "title",
        "offer",
        "contact_name",
        "=contact_email",
        "organisation__name",
    ]
    ordering = ["-created_at"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(RelationshipIssue)
class RelationshipIssueAdmin(WorkspaceOnlyAdmin):
    """Escalated and resolved with a resolution, in the workspace."""

    workspace_action = ("partners:issue_detail", "pk", "Open to escalate or resolve it")
    list_display = [
        "title",
        "organisation",
        "owner",
        "escalation_level",
        "status",
        "raised_on",
        "resolved_on",
    ]
    list_filter = ["status", "raised_on"]
    list_select_related = ["organisation", "owner"]
    search_fields = ["title", "organisation__name"]
    ordering = ["-raised_on", "-pk"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(PortalMembership)
class PortalMembershipAdmin(ReadOnlyHistoryAdmin):
    list_display = ["user", "organisation", "contact", "invited_by", "created_at"]
    list_select_related = ["user", "organisation", "contact", "invited_by"]
    search_fields = [
        "user__username",
        "=user__email",
        "organisation__name",
        "contact__name",
    ]
    autocomplete_fields = ["user", "organisation", "contact", "invited_by"]
    ordering = ["organisation__name", "user__username"]
    readonly_fields = ["created_at", "updated_at"]


# Imports and merges keep their admin in their own rooms.
from partners.dedupe import admin as dedupe_admin  # noqa: E402, F401
from partners.downloads import admin as downloads_admin  # noqa: E402, F401
from partners.imports import admin as imports_admin  # noqa: E402, F401
