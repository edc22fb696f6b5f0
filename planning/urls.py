"""Staff workspace URLs for reviews (namespace "planning")."""

from django.urls import path

from planning import views

app_name = "planning"

urlpatterns = [
    path("reviews/", views.ReviewListView.as_view(), name="review_list"),
    path("reviews/<int:pk>/", views.ReviewDetailView.as_view(), name="review_detail"),
    path(
        "reviews/<int:pk>/conduct/",
        views.ReviewConductView.as_view(),
        name="review_conduct",
    ),
]
