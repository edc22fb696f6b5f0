"""Staff in-app notifications (/notifications/) and the private calendar feeds.

Partner users see their notifications in the portal (partners/portal), built on
the same selectors and services; their calendar feed is served here too.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from ceop_crm.access import StaffRequiredMixin
from ceop_crm.roles import is_partner_user, is_staff_member
from planning import selectors, services
from planning.feeds import calendar_feed_render
from planning.services.reminders import calendar_feed_token_touch

PAGE_SIZE = 50


class _NotificationMixin(StaffRequiredMixin):
    def reminder(self, pk: int):
        return get_object_or_404(
            selectors.reminder_list_for_user(user=self.request.user), pk=pk
        )


class NotificationListView(_NotificationMixin, TemplateView):
    template_name = "notifications/list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        unread_only = self.request.GET.get("show") == "unread"
        reminders = selectors.reminder_list_for_user(user=user, unread_only=unread_only)
        page = Paginator(reminders, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            page=page,
            reminders=page.object_list,
            unread_only=unread_only,
            unread_notifications=selectors.reminder_unread_count(user=user),
            nav_section="notifications",
            **kwargs,
        )


class NotificationOpenView(_NotificationMixin, View):
    """The link of a reminder's email: marks it read and goes to the item."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        reminder = self.reminder(pk)
        services.reminder_mark_read(reminder=reminder, user=request.user)
        target = reminder.url or "/notifications/"
        if not url_has_allowed_host_and_scheme(
            target,
            allowed_hosts={request.get_host()},
            require_https=request.is_secure(),
        ):
            target = "/notifications/"
        return redirect(target)


class NotificationReadView(_NotificationMixin, View):
    """Mark one notification read (or unread again with unread=1)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        reminder = self.reminder(pk)
        if request.POST.get("unread") == "1":
            services.reminder_mark_unread(reminder=reminder, user=request.user)
        else:
            services.reminder_mark_read(reminder=reminder, user=request.user)
        if request.htmx:
            return render(
                request,
                "notifications/partials/row.html",
                {
                    "reminder": reminder,
                    "unread_notifications": selectors.reminder_unread_count(
                        user=request.user
                    ),
                    "oob_count": True,
                },
            )
        return redirect("notification_list")


class NotificationReadAllView(_NotificationMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        count = services.reminder_mark_all_read(user=request.user)
        messages.success(
            request, f"{count} notification{'s' if count != 1 else ''} marked as read."
        )
        return redirect("notification_list")


class CalendarFeedManageView(StaffRequiredMixin, TemplateView):
    """Issue or revoke the staff user's private calendar feed."""

    template_name = "notifications/calendar.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            token=selectors.calendar_feed_token_current(user=self.request.user),
            nav_section="notifications",
            unread_notifications=selectors.reminder_unread_count(
                user=self.request.user
            ),
            **kwargs,
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        if request.POST.get("action") == "revoke":
            services.calendar_feed_token_revoke(user=request.user)
            messages.success(
                request,
                "Your calendar feed is switched off; its old link stops working.",
            )
            return redirect("calendar_feed_manage")
        _, secret = services.calendar_feed_token_issue(user=request.user)
        feed_url = request.build_absolute_uri(f"/calendar/{secret}.ics")
        return self.render_to_response(self.get_context_data(feed_url=feed_url))


class CalendarFeedView(View):
    """The feed itself: the secret in the URL is the only credential."""

    def get(self, request: HttpRequest, secret: str) -> HttpResponse:
        token = selectors.calendar_feed_token_find(secret=secret)
        if token is None:
            raise Http404("No such calendar.")
        user = token.user
        if not (is_staff_member(user) or is_partner_user(user)):
            # A user who lost their staff role or portal access keeps no feed.
            raise Http404("No such calendar.")
        now = timezone.now()
        events = selectors.calendar_events_for_user(
            user=user, today=timezone.localdate(now)
        )
        body = calendar_feed_render(
            user=user, events=events, now=now, partner=is_partner_user(user)
        )
        calendar_feed_token_touch(token=token)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="ceop-calendar.ics"'
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        return response
