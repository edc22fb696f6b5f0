"""Admin for what CEOP wants, and the admin pieces the other apps share.

The shared pieces (the constraint-checking form and formset, the read-only
history admin) live here because priorities is the app the others build on;
they belong in ``ceop_crm/admin.py`` once that module exists.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router
from django.db.models import Q, UniqueConstraint, Value
from django.forms.models import BaseInlineFormSet, InlineForeignKeyField
from simple_history.admin import SimpleHistoryAdmin

from priorities.models import (
    CentrePlanObjective,
    Objective,
    Principle,
    PriorityArea,
    Threat,
)

# --- Shared admin pieces -------------------------------------------------------


def _constraint_fields(constraint) -> set[str]:
    names = set(getattr(constraint, "fields", ()) or ())
    condition = getattr(constraint, "condition", None)
    if condition is not None:
        names |= Q(condition).referenced_base_fields
    return names


def add_service_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ApplicationError on the form, beside the field it names.

    A service may name a field the admin form does not show (read-only, or an
    inline's hidden foreign key); ``add_error`` would raise for it, so those
    messages go to the top of the form instead.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        field = form.fields.get(name)
        shown = field is not None and not field.widget.is_hidden
        form.add_error(name if shown else None, errors)


class ConstraintCheckingModelForm(forms.ModelForm):
    """A ModelForm that also checks the constraints Django leaves to the database.

    ModelForm validation skips every constraint that touches a field missing
    from the form (a read-only field in admin), so a violation reached the
    database as an IntegrityError: a 500. Read-only fields hold the values that
    will be saved, so those constraints are checked here. An inline's own
    foreign key is left to ``ConstraintCheckingInlineFormSet``, which sees all
    the rows of the submission at once.
    """

    def _post_clean(self) -> None:
        super()._post_clean()
        instance = self.instance
        inline_fks = {
            name
            for name, field in self.fields.items()
            if isinstance(field, InlineForeignKeyField)
        }
        skip = inline_fks | set(self._errors)
        off_form = {f.name for f in instance._meta.concrete_fields} - set(self.fields)
        using = router.db_for_write(type(instance), instance=instance)
        for model, constraints in instance.get_constraints():
            for constraint in constraints:
                names = _constraint_fields(constraint)
                if not names & off_form or names & skip:
                    continue  # Django checked it already, or cannot yet.
                try:
                    constraint.validate(model, instance, exclude=skip, using=using)
                except ValidationError as error:
                    self._update_errors(error)


def _condition_holds(instance, condition) -> bool:
    values = {
        field.name: Value(getattr(instance, field.attname), output_field=field)
        for field in instance._meta.concrete_fields
    }
    return Q(condition).check(values)


class ConstraintCheckingInlineFormSet(BaseInlineFormSet):
    """Checks conditional unique constraints across the rows of an inline.

    Django checks each row alone and leaves out constraints on the inline's
    foreign key, so two rows saved together ("current" association, primary
    contact) would both pass and the database would refuse the second. All of
    the parent's rows are in the formset, so checking the rows as submitted is
    enough, and it lets one submission end a row and open its successor.
    """

    def clean(self) -> None:
        super().clean()
        rows = [
            form
            for form in self.forms
            if form.is_valid()
            and not form.cleaned_data.get("DELETE")
            and (form.instance.pk is not None or form.has_changed())
        ]
        opts = self.model._meta
        for constraint in opts.constraints:
            if not (
                isinstance(constraint, UniqueConstraint)
                and constraint.condition is not None
                and constraint.fields
            ):
                continue
            seen: set[tuple] = set()
            for form in rows:
                key = tuple(
                    self.fk.name
                    if name == self.fk.name
                    else getattr(form.instance, opts.get_field(name).attname)
                    for name in constraint.fields
                )
                if None in key or not _condition_holds(
                    form.instance, constraint.condition
                ):
                    continue
                if key in seen:
                    raise ValidationError(
                        constraint.get_violation_error_message(),
                        code=constraint.violation_error_code,
                    )
                seen.add(key)


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """Admin for a model with ``history``: the history can be read, never reverted.

    Reverting would write partnership data past the services and their rules,
    so the Revert button is hidden and a POST to a historical version refused,
    whatever SIMPLE_HISTORY_REVERT_DISABLED says.
    """

    form = ConstraintCheckingModelForm

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def has_change_history_permission(self, request, obj=None) -> bool:
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class BaseAdmin(admin.ModelAdmin):
    """Admin for a model without history."""

    form = ConstraintCheckingModelForm


# --- Priorities ----------------------------------------------------------------


@admin.register(Objective)
class ObjectiveAdmin(BaseAdmin):
    list_display = ["code", "description", "order"]
    search_fields = ["code", "description"]
    ordering = ["order"]


@admin.register(PriorityArea)
class PriorityAreaAdmin(ReadOnlyHistoryAdmin):
    list_display = ["number", "title", "objective_codes", "is_current", "updated_at"]
    list_display_links = ["number", "title"]
    list_filter = ["is_current", "objectives"]
    search_fields = ["title", "summary"]
    filter_horizontal = ["objectives"]
    ordering = ["number"]
    readonly_fields = ["created_at", "updated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("objectives")

    @admin.display(description="objectives")
    def objective_codes(self, obj: PriorityArea) -> str:
        return ", ".join(objective.code for objective in obj.objectives.all())


@admin.register(Principle)
class PrincipleAdmin(BaseAdmin):
    list_display = ["order", "title"]
    list_display_links = ["order", "title"]
    search_fields = ["title", "text"]
    ordering = ["order"]


@admin.register(CentrePlanObjective)
class CentrePlanObjectiveAdmin(ReadOnlyHistoryAdmin):
    list_display = ["code", "title", "planning_year", "objective"]
    list_display_links = ["code", "title"]
    list_filter = ["planning_year", "objective"]
    list_select_related = ["planning_year", "objective"]
    search_fields = ["code", "title"]
    ordering = ["-planning_year__start", "code"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(Threat)
class ThreatAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "planning_year", "emerged_in_year"]
    list_filter = ["planning_year", "emerged_in_year"]
    list_select_related = ["planning_year"]
    search_fields = ["title", "description"]
    ordering = ["-planning_year__start", "title"]
    readonly_fields = ["created_at", "updated_at"]
