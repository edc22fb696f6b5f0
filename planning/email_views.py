"""Email preferences (workspace and portal), one-click unsubscribe, scheduled reports.

Thin: each view reads through a selector and changes through a service.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView

from ceop_crm.access import StaffRequiredMixin
from ceop_crm.forms import add_service_error
from partners.portal.mixins import PortalOrganisationMixin
from planning.email_forms import (
    AddressChoicesForm,
    EmailSettingsForm,
    NotificationPreferenceForm,
    ReportSubscriptionForm,
)
from planning.email_models import LOCKED_KINDS, Delivery, NoticeKind
from planning.email_selectors import (
    email_reply_to,
    email_settings_get,
    email_settings_history,
    report_subscription_list,
)
from planning.services import address_preferences as address_services
from planning.services import email_settings as email_settings_services
from planning.services import preferences as preference_services
from planning.services import scheduled_reports
from planning.services.digest import digest_time


class _PreferencesMixin:
    form_class = NotificationPreferenceForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["current"] = preference_services.preference_map(user=self.request.user)
        return kwargs

    def form_valid(self, form):
        try:
            preference_services.preferences_set(
                user=self.request.user, choices=form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Your email preferences are saved.")
        return redirect(self.request.path)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            locked=LOCKED_KINDS,
            delivery_values=Delivery.values,
            digest_time=digest_time().strftime("%H:%M"),
            **kwargs,
        )


class EmailPreferencesView(StaffRequiredMixin, _PreferencesMixin, FormView):
    template_name = "notifications/preferences.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            nav_section="notifications",
            may_change_email_settings=(
                email_settings_services.may_change_email_settings(self.request.user)
            ),
            **kwargs,
        )


class EmailSettingsView(StaffRequiredMixin, FormView):
    """The team's reply-to mailbox: administrators and senior managers."""

    template_name = "notifications/email_settings.html"
    form_class = EmailSettingsForm

    def has_role(self, user) -> bool:
        return super().has_role(
            user
        ) and email_settings_services.may_change_email_settings(user)

    def get_initial(self):
        row = email_settings_get()
        return {
            "reply_to_address": row.reply_to_address,
            "reply_to_name": row.reply_to_name,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            nav_section="notifications",
            reply_to=email_reply_to(),
            default_reply_to=getattr(settings, "MAIL_REPLY_TO", ""),
            changes=email_settings_history(),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            email_settings_services.email_settings_set(
                actor=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "The email settings are saved.")
        return redirect(self.request.path)


class PortalEmailPreferencesView(PortalOrganisationMixin, _PreferencesMixin, FormView):
    template_name = "portal/email_preferences.html"
    portal_section = "notifications"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "staff": False}

    def get_context_data(self, **kwargs):
        return super().get_context_data(portal_section=self.portal_section, **kwargs)


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(View):
    """RFC 8058: a mail client POSTs "List-Unsubscribe=One-Click" without a session
    or CSRF token (the signed token is the authority); a person following the
    link with a browser gets a page to confirm, which POSTs the same form."""

    template_name = "notifications/unsubscribe.html"

    def _context(self, token: str) -> dict:
        try:
            subject, kind = preference_services.unsubscribe_read(token)
        except ValidationError as error:
            return {"error": " ".join(error.messages)}
        label = (
            "the daily digest"
            if kind == preference_services.DIGEST
            else NoticeKind(kind).label.lower()
        )
        context = {"label": label, "token": token}
        if isinstance(subject, str):
            context["address_preferences_url"] = (
                address_services.address_preferences_url(address=subject)
            )
        return context

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        context = self._context(token)
        return render(
            request,
            self.template_name,
            context,
            status=400 if "error" in context else 200,
        )

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        context = self._context(token)
        if "error" not in context:
            try:
                preference_services.unsubscribe(token=token)
            except ValidationError as error:
                context = {"error": " ".join(error.messages)}
            else:
                context["done"] = True
        return render(
            request,
            self.template_name,
            context,
            status=400 if "error" in context else 200,
        )


class _SubscriberMixin(StaffRequiredMixin):
    def has_role(self, user) -> bool:
        return super().has_role(user) and scheduled_reports.may_subscribe(user)


class ReportSubscriptionListView(_SubscriberMixin, FormView):
    template_name = "staff/reports/subscriptions.html"
    form_class = ReportSubscriptionForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["report_choices"] = scheduled_reports.report_choices()
        return kwargs

    def get_initial(self):
        return {"user": self.request.user.pk}

    def get_context_data(self, **kwargs):
        titles = dict(scheduled_reports.report_choices())
        return super().get_context_data(
            subscriptions=[
                (subscription, titles.get(subscription.report, subscription.report))
                for subscription in report_subscription_list()
            ],
            nav_section="reports",
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            scheduled_reports.report_subscription_create(
                actor=self.request.user,
                report=data["report"],
                frequency=data["frequency"],
                user=data["user"] if not data["group"] else None,
                group=data["group"],
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "The report is scheduled.")
        return redirect(self.request.path)


class ReportSubscriptionDeleteView(_SubscriberMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        subscription = get_object_or_404(report_subscription_list(), pk=pk)
        try:
            scheduled_reports.report_subscription_delete(
                actor=request.user, subscription=subscription
            )
        except ValidationError as error:
            raise PermissionDenied(" ".join(error.messages)) from None
        messages.success(request, "The scheduled report is stopped.")
        return redirect("report_subscriptions")


class AddressEmailPreferencesView(FormView):
    """No sign-in: the signed token of an address without an account chooses
    which optional kinds of notice it still receives."""

    template_name = "notifications/address_preferences.html"
    form_class = AddressChoicesForm

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            self.address = address_services.address_read(kwargs["token"])
        except ValidationError as error:
            return render(
                request,
                self.template_name,
                {"error": " ".join(error.messages)},
                status=400,
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "current": address_services.address_choices(address=self.address),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(address=self.address, **kwargs)

    def form_valid(self, form):
        try:
            address_services.address_choices_set(
                address=self.address, receive=form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Your choices are saved.")
        return redirect(self.request.path)
