"""Admin for the levels of association.

Reference data (levels, key characteristics, benefits) is edited here. The
association forms hold to the same rules as the services: their clean() calls
the services' validators rather than repeating the rules.
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from ceop_crm.admin import (
    BaseAdmin,
    ConstraintCheckingInlineFormSet,
    ConstraintCheckingModelForm,
    ReadOnlyHistoryAdmin,
)
from ceop_crm.forms import add_service_error
from tiers.models import (
    Association,
    Benefit,
    BenefitDelivery,
    KeyCharacteristic,
    TierChange,
    TierChangeEvidence,
    TierLevel,
)

UNSAVED_ORGANISATION = (
    "Save the organisation, with approved due diligence, before adding an association."
)


def reviews_follow(*, organisation_ids: set[int]) -> None:
    """Reschedule reviews after an association changed here, as the services do.

    Rule 5: reviews follow the tier, created when an association starts or
    changes and cancelled when it ends; reviews_schedule is idempotent.
    """
    if organisation_ids:
        from planning.services import reviews_schedule

        reviews_schedule(organisation_ids=organisation_ids)


# --- Forms ---------------------------------------------------------------------


class AssociationAdminForm(ConstraintCheckingModelForm):
    """An association's form, here and inline on the organisation."""

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.instance.pk is not None and not self.has_changed():
            return cleaned  # An untouched row is not judged by today's rules.
        organisation = cleaned.get("organisation") or getattr(
            self.instance, "organisation", None
        )
        tier, start = cleaned.get("tier"), cleaned.get("start")
        if organisation is None or tier is None or start is None:
            return cleaned  # The missing field carries its own error.
        if organisation.pk is None:
            self.add_error(None, UNSAVED_ORGANISATION)
            return cleaned
        # Imported here: the services import the models of every app.
        from tiers.services import association_validate

        try:
            mou = association_validate(
                organisation=organisation,
                tier=tier,
                start=start,
                end=cleaned.get("end"),
                mou=cleaned.get("mou"),
                exclude_pk=self.instance.pk,
            )
        except ValidationError as error:
            add_service_error(self, error)
            return cleaned
        if cleaned.get("mou") is None and mou is not None:
            # As association_start does: the association rests on the MoU in force.
            self.instance.mou = mou
            cleaned["mou"] = mou
        return cleaned


class BenefitDeliveryAdminForm(ConstraintCheckingModelForm):
    """Asks for organisation, benefit and date; the association follows from them."""

    RULE_FIELDS = ("organisation", "benefit", "delivered_on")

    def clean(self) -> dict:
        cleaned = super().clean()
        values = {name: cleaned.get(name) for name in self.RULE_FIELDS}
        if any(value is None for value in values.values()):
            return cleaned
        if self.instance.pk is not None and not set(self.RULE_FIELDS) & set(
            self.changed_data
        ):
            return cleaned  # Only a description changed: the delivery stands.
        from tiers.services import benefit_delivery_validate

        try:
            self.instance.association = benefit_delivery_validate(**values)
        except ValidationError as error:
            add_service_error(self, error)
        return cleaned


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


class TierChangeEvidenceInline(admin.TabularInline):
    model = TierChangeEvidence
    form = ConstraintCheckingModelForm
    formset = ConstraintCheckingInlineFormSet
    fields = ["characteristic", "evidence", "automatic_result"]
    extra = 0

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
    search_fields = ["name", "code", "definition"]
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
class AssociationAdmin(ReadOnlyHistoryAdmin):
    form = AssociationAdminForm
    list_display = ["organisation", "tier", "start", "end", "is_current", "mou"]
    list_filter = [CurrentListFilter, "tier"]
    list_select_related = ["organisation", "tier", "mou__organisation"]
    search_fields = ["organisation__name", "end_reason"]
    autocomplete_fields = ["organisation", "mou"]
    date_hierarchy = "start"
    ordering = ["organisation__name", "-start"]
    readonly_fields = ["created_by", "created_at", "updated_at"]

    @admin.display(boolean=True, description="current")
    def is_current(self, obj: Association) -> bool:
        return obj.is_current

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        # The organisation it was moved from, if any, loses its reviews too.
        previous = (
            Association.objects.filter(pk=obj.pk)
            .values_list("organisation_id", flat=True)
            .first()
            if change
            else None
        )
        super().save_model(request, obj, form, change)
        reviews_follow(organisation_ids={obj.organisation_id, previous} - {None})

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        reviews_follow(organisation_ids={obj.organisation_id})

    def delete_queryset(self, request, queryset):
        organisation_ids = set(queryset.values_list("organisation_id", flat=True))
        super().delete_queryset(request, queryset)
        reviews_follow(organisation_ids=organisation_ids)


@admin.register(TierChange)
class TierChangeAdmin(ReadOnlyHistoryAdmin):
    """Requests can be corrected; the decision is the senior manager's, in the app.

    Approving here would skip tier_change_approve, which closes and opens the
    associations and reschedules the reviews, so the decision is read-only.
    """

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
    list_filter = ["status", "direction", "to_tier"]
    list_select_related = ["organisation", "to_tier", "requested_by", "decided_by"]
    search_fields = ["organisation__name", "reason", "decision_reason"]
    autocomplete_fields = [
        "organisation",
        "from_association",
        "requested_by",
    ]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    readonly_fields = [
        "status",
        "decided_by",
        "decided_at",
        "decision_reason",
        "resulting_association",
        "created_at",
        "updated_at",
    ]
    inlines = [TierChangeEvidenceInline]


@admin.register(TierChangeEvidence)
class TierChangeEvidenceAdmin(BaseAdmin):
    list_display = ["tier_change", "characteristic", "automatic_result"]
    list_filter = ["automatic_result", "characteristic__tier"]
    list_select_related = [
        "tier_change__organisation",
        "tier_change__to_tier",
        "characteristic",
    ]
    search_fields = ["tier_change__organisation__name", "evidence"]
    autocomplete_fields = ["tier_change", "characteristic"]
    ordering = ["-tier_change__created_at", "characteristic__order"]


@admin.register(BenefitDelivery)
class BenefitDeliveryAdmin(ReadOnlyHistoryAdmin):
    form = BenefitDeliveryAdminForm
    list_display = ["benefit", "organisation", "tier", "delivered_on", "recorded_by"]
    list_filter = ["benefit__tier", "benefit__grants_logo"]
    list_select_related = [
        "benefit",
        "organisation",
        "association__tier",
        "recorded_by",
    ]
    search_fields = ["organisation__name", "benefit__text", "description"]
    autocomplete_fields = ["organisation", "benefit"]
    date_hierarchy = "delivered_on"
    ordering = ["-delivered_on", "-pk"]
    readonly_fields = ["association", "recorded_by", "created_at", "updated_at"]

    @admin.display(description="level", ordering="association__tier__rank")
    def tier(self, obj: BenefitDelivery) -> str:
        return obj.association.tier.name

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
