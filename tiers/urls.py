"""Staff workspace URLs of the tiers app (namespace "tiers")."""

from django.urls import path

from tiers import views

app_name = "tiers"

urlpatterns = [
    path("tier-moves/", views.TierChangeListView.as_view(), name="tier_change_list"),
    path(
        "organisations/<int:pk>/tier-move/",
        views.TierChangeCreateView.as_view(),
        name="tier_change_create",
    ),
    path(
        "tier-moves/<int:pk>/",
        views.TierChangeDetailView.as_view(),
        name="tier_change_detail",
    ),
    path(
        "tier-moves/<int:pk>/approve/",
        views.TierChangeApproveView.as_view(),
        name="tier_change_approve",
    ),
    path(
        "tier-moves/<int:pk>/reject/",
        views.TierChangeRejectView.as_view(),
        name="tier_change_reject",
    ),
    path(
        "tier-moves/<int:pk>/withdraw/",
        views.TierChangeWithdrawView.as_view(),
        name="tier_change_withdraw",
    ),
    path(
        "organisations/<int:pk>/benefits/new/",
        views.BenefitDeliveryCreateView.as_view(),
        name="benefit_delivery_create",
    ),
]
