"""In-app notifications and private calendar feeds (mounted at the site root)."""

from django.urls import path

from planning import notification_views as views

urlpatterns = [
    path(
        "notifications/", views.NotificationListView.as_view(), name="notification_list"
    ),
    path(
        "notifications/read-all/",
        views.NotificationReadAllView.as_view(),
        name="notification_read_all",
    ),
    path(
        "notifications/<int:pk>/",
        views.NotificationOpenView.as_view(),
        name="notification_open",
    ),
    path(
        "notifications/<int:pk>/read/",
        views.NotificationReadView.as_view(),
        name="notification_read",
    ),
    path(
        "notifications/calendar/",
        views.CalendarFeedManageView.as_view(),
        name="calendar_feed_manage",
    ),
    path(
        "calendar/<str:secret>.ics",
        views.CalendarFeedView.as_view(),
        name="calendar_feed",
    ),
]
