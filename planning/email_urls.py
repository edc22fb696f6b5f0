"""Email preferences, one-click unsubscribe and scheduled reports (site root)."""

from django.urls import path

from planning import email_views as views

urlpatterns = [
    path(
        "notifications/preferences/",
        views.EmailPreferencesView.as_view(),
        name="email_preferences",
    ),
    path(
        "portal/email-preferences/",
        views.PortalEmailPreferencesView.as_view(),
        name="portal_email_preferences",
    ),
    path(
        "email/unsubscribe/<str:token>/",
        views.UnsubscribeView.as_view(),
        name="email_unsubscribe",
    ),
    path(
        "notifications/email-settings/",
        views.EmailSettingsView.as_view(),
        name="email_settings",
    ),
    path(
        "email/choices/<str:token>/",
        views.AddressEmailPreferencesView.as_view(),
        name="address_email_preferences",
    ),
    path(
        "reports/scheduled/",
        views.ReportSubscriptionListView.as_view(),
        name="report_subscriptions",
    ),
    path(
        "reports/scheduled/<int:pk>/delete/",
        views.ReportSubscriptionDeleteView.as_view(),
        name="report_subscription_delete",
    ),
]
