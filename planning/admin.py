"""Admin for the planning cycle, the reviews and the reminders.

Reviews are scheduled by the system and conducted in the workspace; the
partner's self-assessment is submitted in the portal. Both are read-only here,
with a link to the review in the workspace.
"""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from ceop_crm.admin import (
    BaseAdmin,
    ReadOnlyHistoryAdmin,
    WorkspaceOnlyAdmin,
    WorkspaceOnlyInline,
)
from ceop_crm.models import OutboundEmail
from planning.models import (
    CalendarFeedToken,
    Milestone,
    MilestoneTemplate,
    PlanningYear,
    Reminder,
    Review,
    SelfAssessment,
)


@admin.register(PlanningYear)
class PlanningYearAdmin(ReadOnlyHistoryAdmin):
    list_display = ["label", "start", "end"]
    search_fields = ["label"]
    ordering = ["-start"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(MilestoneTemplate)
class MilestoneTemplateAdmin(ReadOnlyHistoryAdmin):
    list_display = [
        "order",
        "name",
        "kind",
        "month",
        "day",
        "in_next_year",
        "quarter",
        "audience",
        "reminder_lead_days",
    ]
    list_display_links = ["order", "name"]
    list_filter = ["kind", "audience"]
    search_fields = ["name"]
    ordering = ["order"]


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyHistoryAdmin):
    list_display = [
        "name",
        "planning_year",
        "kind",
        "date",
        "end_date",
        "quarter",
        "audience",
        "reminder_lead_days",
    ]
    list_filter = ["planning_year", "kind", "audience", "date"]
    list_select_related = ["planning_year"]
    search_fields = ["name", "planning_year__label"]
    ordering = ["date", "pk"]
    readonly_fields = ["created_at", "updated_at"]


class SelfAssessmentInline(WorkspaceOnlyInline):
    model = SelfAssessment
    fields = ["status", "progress", "submitted_at", "submitted_by"]
    show_change_link = False


@admin.register(Review)
class ReviewAdmin(WorkspaceOnlyAdmin):
    """Scheduled by the system, conducted or cancelled through the services."""

    workspace_action = ("planning:review_detail", "pk", "Open the review")

    list_display = [
        "organisation",
        "milestone",
        "due_on",
        "status",
        "recommendation",
        "completed_on",
        "conducted_by",
    ]
    list_filter = [
        "status",
        "recommendation",
        "milestone__planning_year",
        "association__tier",
        "due_on",
    ]
    list_select_related = ["organisation", "milestone__planning_year", "conducted_by"]
    search_fields = ["organisation__name", "milestone__name"]
    ordering = ["due_on", "pk"]
    inlines = [SelfAssessmentInline]


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(WorkspaceOnlyAdmin):
    """Submitted by the partner in the portal."""

    workspace_action = ("planning:review_detail", "review_id", "Open the review")
    list_display = ["review", "status", "submitted_at", "submitted_by"]
    list_filter = ["status"]
    list_select_related = [
        "review__organisation",
        "review__milestone__planning_year",
        "submitted_by",
    ]
    search_fields = ["review__organisation__name"]
    ordering = ["-review__due_on", "-pk"]


@admin.register(Reminder)
class ReminderAdmin(BaseAdmin):
    """Reminders are written by the sweep: only "read" can be changed here.

    Nor can one be deleted: the row is what stops the sweep sending it again.
    """

    list_display = [
        "title",
        "recipient",
        "step",
        "due_on",
        "created_at",
        "sent_at",
        "read_at",
        "attempts",
    ]
    list_filter = [
        "step",
        ("sent_at", admin.EmptyFieldListFilter),
        ("read_at", admin.EmptyFieldListFilter),
        "created_at",
    ]
    list_select_related = ["recipient"]
    # By whom it is for: the words of most reminders are not indexed
    # (planning/personal_data.py, UNNAMED_STEPS), and half a million of them
    # would be read for each search.
    search_fields = ["recipient__username", "=recipient__email"]
    ordering = ["-created_at", "-pk"]
    fields = [
        "recipient",
        "step",
        "subject_type",
        "subject_id",
        "title",
        "body",
        "url",
        "due_on",
        "created_at",
        "sent_at",
        "attempts",
        "last_error",
        "read_at",
    ]
    readonly_fields = [name for name in fields if name != "read_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("recipient")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(BaseAdmin):
    """The outbox: emails waiting for the worker, sent, or failing with their error."""

    list_display = ["subject", "to", "created_at", "sent_at", "attempts"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["subject", "to"]
    ordering = ["-created_at", "-pk"]
    readonly_fields = [
        "to",
        "subject",
        "body_text",
        "body_html",
        "template",
        "context",
        "key",
        "created_at",
        "sent_at",
        "attempts",
        "last_error",
    ]
    fields = [*readonly_fields, "next_attempt_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(BaseAdmin):
    """A feed's secret is issued to its user in the app; here it can only be revoked.

    The hash is never shown: it is of no use to a person and one less thing to leak.
    """

    list_display = ["user", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "created_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "=user__email"]
    ordering = ["-created_at", "-pk"]
    fields = ["user", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.action(
        description="Revoke the calendar feeds of the selected users",
        permissions=["change"],
    )
    def revoke(self, request: HttpRequest, queryset: QuerySet) -> None:
        from planning.services import calendar_feed_token_revoke

        users = {token.user for token in queryset.select_related("user")}
        revoked = sum(calendar_feed_token_revoke(user=user) for user in users)
        self.message_user(
            request, f"{revoked} calendar feed(s) revoked.", messages.SUCCESS
        )


# Email preferences, digests, scheduled reports and refused addresses.
import planning.email_admin  # noqa: E402, F401
