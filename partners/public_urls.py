"""Public pages: approaches from new organisations at /get-involved/."""

from django.urls import path

from partners import public_views

app_name = "public"
urlpatterns = [
    path("", public_views.ApproachView.as_view(), name="approach"),
    path("thank-you/", public_views.ApproachThanksView.as_view(), name="thanks"),
]
