"""Notifications in the portal and the calendar feed."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView, View

from partners.portal.mixins import PortalOrganisationMixin
from planning.selectors import calendar_feed_token_current, reminder_unread_count
from planning.services.reminders import (
    calendar_feed_token_issue,
    calendar_feed_token_revoke,
    reminder_mark_read,
)

# Notifications -----------------------------------------------------------------------


class NotificationListView(PortalOrganisationMixin, TemplateView):
    template_name = "portal/notifications.html"
    portal_section = "notifications"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            reminders=self.scope.reminders()[:100],
            unread=reminder_unread_count(user=self.request.user),
            calendar_token=calendar_feed_token_current(user=self.request.user),
            **kwargs,
        )


class NotificationReadView(PortalOrganisationMixin, View):
    def post(self, request, reminder_pk: int):
        reminder = self.scoped_object(self.scope.reminders(), pk=reminder_pk)
        reminder_mark_read(reminder=reminder, user=request.user)
        return redirect("portal:notifications")


class CalendarFeedView(PortalOrganisationMixin, TemplateView):
    """Issue or switch off the partner user's private calendar feed."""

    template_name = "portal/calendar_feed.html"
    portal_section = "notifications"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            token=calendar_feed_token_current(user=self.request.user), **kwargs
        )

    def post(self, request):
        if request.POST.get("action") == "revoke":
            calendar_feed_token_revoke(user=request.user)
            messages.success(
                request,
                "Your calendar feed is switched off; its old link stops working.",
            )
            return redirect("portal:calendar_feed")
        _, secret = calendar_feed_token_issue(user=request.user)
        feed_url = request.build_absolute_uri(
            reverse("calendar_feed", kwargs={"secret": secret})
        )
        return self.render_to_response(self.get_context_data(feed_url=feed_url))
