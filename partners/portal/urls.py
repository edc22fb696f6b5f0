"""The partner self-service portal under /portal/.

Object ids in these URLs are named `<model>_pk`; the access-matrix test
(tests/portal/test_access_matrix.py) relies on that to try each one with
another organisation's object.
"""

from django.urls import path

from partners.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    # Sign-in, passwords, invitations
    path("sign-in/", views.PortalLoginView.as_view(), name="login"),
    path("sign-out/", views.PortalLogoutView.as_view(), name="logout"),
    path("password/", views.PortalPasswordChangeView.as_view(), name="password_change"),
    path(
        "password-reset/",
        views.PortalPasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        views.PortalPasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PortalPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        views.PortalPasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "invitation/<uidb64>/<token>/",
        views.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
    # The relationship
    path(
        "mou/<int:mou_pk>/document/",
        views.MouDocumentView.as_view(),
        name="mou_document",
    ),
    path(
        "self-assessments/",
        views.SelfAssessmentListView.as_view(),
        name="self_assessment_list",
    ),
    path(
        "reviews/<int:review_pk>/self-assessment/",
        views.SelfAssessmentView.as_view(),
        name="self_assessment",
    ),
    # Support
    path("support/", views.SupportView.as_view(), name="support"),
    path(
        "support/propose/", views.ProposalCreateView.as_view(), name="proposal_create"
    ),
    path(
        "support/proposals/<int:proposal_pk>/",
        views.ProposalDetailView.as_view(),
        name="proposal_detail",
    ),
    path(
        "support/contributions/<int:contribution_pk>/",
        views.ContributionDetailView.as_view(),
        name="contribution_detail",
    ),
    # Organisation and contacts
    path("organisation/", views.OrganisationView.as_view(), name="organisation"),
    path(
        "organisation/edit/",
        views.OrganisationEditView.as_view(),
        name="organisation_edit",
    ),
    path(
        "organisation/contacts/add/",
        views.ContactFormView.as_view(),
        name="contact_create",
    ),
    path(
        "organisation/contacts/<int:contact_pk>/",
        views.ContactFormView.as_view(),
        name="contact_edit",
    ),
    path(
        "organisation/contacts/<int:contact_pk>/remove/",
        views.ContactDeleteView.as_view(),
        name="contact_delete",
    ),
    # Logo and brand
    path("brand/", views.BrandView.as_view(), name="brand"),
    path("brand/logo.svg", views.LogoDownloadView.as_view(), name="logo"),
    # Notifications
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path(
        "notifications/calendar/",
        views.CalendarFeedView.as_view(),
        name="calendar_feed",
    ),
    path(
        "notifications/<int:reminder_pk>/read/",
        views.NotificationReadView.as_view(),
        name="notification_read",
    ),
]
