"""Admin for the levels of association.

Reference data (levels, key characteristics, benefits) is edited here.
Associations, tier moves and benefit deliveries change only through the
services, in the workspace (a move needs evidence and a second approver): here
they are read-only, with a link to the workspace action.
"""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from ceop_crm.admin import (
    BaseAdmin,
    ConstraintCheckingInlineFormSet,
    ConstraintCheckingModelForm,
    ReadOnlyHistoryAdmin,
    WorkspaceOnlyAdmin,
    WorkspaceOnlyInline,
    WorkspaceOnlyMixin,
)
from tiers.models import (
    Association,
    Benefit,
    BenefitDelivery,
    KeyCharacteristic,
    TierChange,
    TierChangeEvidence,
    TierLevel,
)

# --- Inlines -------------------------------------------------------------------


class KeyCharacteristicInline(admin.TabularInline):
    model = KeyCharacteristic
    form = ConstraintCheckingModelForm
    formset = ConstraintCheckingInlineFormSet
    fields = ["order", "text", "automatic_check"]
    ordering = ["order"]
    extra = 0


class BenefitInline(admin.TabularInline):
    model = Benefit
    form = ConstraintCheckingModelForm
    formset = ConstraintCheckingInlineFormSet
    fields = ["order", "text", "grants_logo"]
    ordering = ["order"]
    extra = 0


class TierChangeEvidenceInline(WorkspaceOnlyInline):
    model = TierChangeEvidence
    fields = ["characteristic", "evidence", "automatic_result"]
    show_change_link = False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("characteristic")


# --- Admins --------------------------------------------------------------------


@admin.register(TierLevel)
class TierLevelAdmin(ReadOnlyHistoryAdmin):
    list_display = [
        "name",
        "code",
        "rank",
        "is_association",
        "monitoring_frequency",
        "requires_mou",
        "benefits_allowed",
    ]
    list_filter = ["is_association", "monitoring_frequency", "requires_mou"]
    search_fields = ["name", "code"]
    ordering = ["-rank"]
    inlines = [KeyCharacteristicInline, BenefitInline]

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        # The code names a level in the services (tier("partner")): fixed once made.
        return ["code"] if obj is not None else []


@admin.register(KeyCharacteristic)
class KeyCharacteristicAdmin(BaseAdmin):
    list_display = ["text", "tier", "order", "automatic_check"]
    list_filter = ["tier", "automatic_check"]
    list_select_related = ["tier"]
    search_fields = ["text", "tier__name"]
    ordering = ["-tier__rank", "order"]


@admin.register(Benefit)
class BenefitAdmin(BaseAdmin):
    list_display = ["text", "tier", "order", "grants_logo"]
    list_filter = ["tier", "grants_logo"]
    list_select_related = ["tier"]
    search_fields = ["text", "tier__name"]
    ordering = ["-tier__rank", "order"]


class CurrentListFilter(admin.SimpleListFilter):
    title = "current"
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", "Current"), ("no", "Ended")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(end__isnull=self.value() == "yes")
        return queryset


@admin.register(Association)
class AssociationAdmin(WorkspaceOnlyAdmin):
    """An association starts, moves and ends by a tier move a senior manager approves."""

    workspace_action = (
        "tiers:tier_change_create",
        "organisation_id",
        "Propose a tier move (start, move or end)",
    )
    list_display = ["organisation", "tier", "start", "end", "is_current", "mou"]
    list_filter = [CurrentListFilter, "tier", "start"]
    list_select_related = ["organisation", "tier", "mou__organisation"]
    search_fields = ["organisation__name"]
    ordering = ["organisation__name", "-start"]

    @admin.display(boolean=True, description="current")
    def is_current(self, obj: Association) -> bool:
        return obj.is_current


@admin.register(TierChange)
class TierChangeAdmin(WorkspaceOnlyAdmin):
    """Asked for with evidence and decided by another senior manager, in the workspace.

    Approving here would skip tier_change_approve, which closes and opens the
    associations and reschedules the reviews.
    """

    workspace_action = ("tiers:tier_change_detail", "pk", "Open the tier move")

    list_display = [
        "organisation",
        "direction",
        "to_tier",
        "effective_date",
        "status",
        "requested_by",
        "decided_by",
        "created_at",
    ]
    list_filter = ["status", "direction", "to_tier", "created_at"]
    list_select_related = ["organisation", "to_tier", "requested_by", "decided_by"]
    search_fields = ["organisation__name"]
    ordering = ["-created_at"]
    inlines = [TierChangeEvidenceInline]


@admin.register(TierChangeEvidence)
class TierChangeEvidenceAdmin(WorkspaceOnlyMixin, BaseAdmin):
    workspace_action = (
        "tiers:tier_change_detail",
        "tier_change_id",
        "Open the tier move",
    )
    list_display = ["tier_change", "characteristic", "automatic_result"]
    list_filter = ["automatic_result", "characteristic__tier"]
    list_select_related = [
        "tier_change__organisation",
        "tier_change__to_tier",
        "characteristic",
    ]
    search_fields = ["tier_change__organisation__name"]
    ordering = ["-tier_change__created_at", "characteristic__order"]


@admin.register(BenefitDelivery)
class BenefitDeliveryAdmin(WorkspaceOnlyAdmin):
    """Recorded within the association's entitlement, in the workspace."""

    workspace_action = (
        "tiers:benefit_delivery_create",
        "organisation_id",
        "Record a benefit for this organisation",
    )
    list_display = ["benefit", "organisation", "tier", "delivered_on", "recorded_by"]
    list_filter = ["benefit__tier", "benefit__grants_logo", "delivered_on"]
    list_select_related = [
        "benefit",
        "organisation",
        "association__tier",
        "recorded_by",
    ]
    search_fields = ["organisation__name", "benefit__text"]
    ordering = ["-delivered_on", "-pk"]

    @admin.display(description="level", ordering="association__tier__rank")
    def tier(self, obj: BenefitDelivery) -> str:
        return obj.association.tier.name
