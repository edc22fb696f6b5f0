"""Admin pieces every app shares: rules as form errors, read-only history."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router
from django.db.models import Model, Q, UniqueConstraint, Value
from django.forms.models import BaseInlineFormSet, InlineForeignKeyField
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from ceop_crm.admin_scale import LargeTableAdminMixin
from ceop_crm.models import TaskRun


def _constraint_fields(constraint) -> set[str]:
    names = set(getattr(constraint, "fields", ()) or ())
    condition = getattr(constraint, "condition", None)
    if condition is not None:
        names |= Q(condition).referenced_base_fields
    return names


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


class ReadOnlyHistoryAdmin(LargeTableAdminMixin, SimpleHistoryAdmin):
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


class BaseAdmin(LargeTableAdminMixin, admin.ModelAdmin):
    """Admin for a model without history."""

    form = ConstraintCheckingModelForm


@admin.register(TaskRun)
class TaskRunAdmin(BaseAdmin):
    """Runs of the periodic tasks, as the worker recorded them: read only."""

    list_display = ["name", "started_at", "finished_at", "summary"]
    list_filter = ["finished_at"]
    readonly_fields = ["name", "started_at", "finished_at", "summary"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class WorkspaceOnlyMixin:
    """A model whose rows change only through its services, in the workspace.

    Saving here would skip the rules the services hold (a tier move's evidence
    and second approver, signing an MoU, deciding due diligence, completing a
    review, a delivery within the association), so administrators read the
    rows and their history here and follow the link to the workspace action.
    Add, change and delete are refused (403), whatever the user's permissions.
    """

    # (URL name, attribute of the row holding the pk, link text)
    workspace_action: tuple[str, str, str] = ("", "pk", "")

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return [*super().get_readonly_fields(request, obj), "workspace_link"]

    @admin.display(description="in the workspace")
    def workspace_link(self, obj: Model) -> str:
        return workspace_link(obj, *self.workspace_action)

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class WorkspaceOnlyAdmin(WorkspaceOnlyMixin, ReadOnlyHistoryAdmin):
    """A ``WorkspaceOnlyMixin`` admin of a model with history."""


def workspace_link(obj: Model, url_name: str, attribute: str, text: str) -> str:
    """A link from admin to the workspace page where the row is changed."""
    pk = getattr(obj, attribute, None)
    if pk is None:
        return "–"
    return format_html('<a href="{}">{}</a>', reverse(url_name, args=[pk]), text)


class WorkspaceOnlyInline(admin.TabularInline):
    """An inline of a ``WorkspaceOnlyAdmin`` model: shown, never changed here."""

    extra = 0
    show_change_link = True

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return self.fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
