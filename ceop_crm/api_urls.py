"""The REST API under /api/: version 1 at /api/v1/, schema and docs beside it."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from activities import apis as activities
from ceop_crm.api.docs import ApiDocsView, ApiRedocView
from ceop_crm.api.views import PingApi, not_found
from partners import apis as partners
from planning import apis as planning
from priorities import apis as priorities
from tiers import apis as tiers

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("organisations", partners.OrganisationViewSet, basename="organisation")
router.register("contacts", partners.ContactViewSet, basename="contact")
router.register("associations", tiers.AssociationViewSet, basename="association")
router.register("tier-moves", tiers.TierMoveViewSet, basename="tier-move")
router.register("tier-levels", tiers.TierLevelViewSet, basename="tier-level")
router.register("mous", partners.MoUViewSet, basename="mou")
router.register("reviews", planning.ReviewViewSet, basename="review")
router.register("contributions", partners.ContributionViewSet, basename="contribution")
router.register(
    "benefit-deliveries", tiers.BenefitDeliveryViewSet, basename="benefit-delivery"
)
router.register("proposals", partners.ProposalViewSet, basename="proposal")
router.register(
    "relationship-issues",
    partners.RelationshipIssueViewSet,
    basename="relationship-issue",
)
router.register(
    "priority-areas", priorities.PriorityAreaViewSet, basename="priority-area"
)
router.register("objectives", priorities.ObjectiveViewSet, basename="objective")
router.register("principles", priorities.PrincipleViewSet, basename="principle")
router.register(
    "planning-years", planning.PlanningYearViewSet, basename="planning-year"
)
router.register("milestones", planning.MilestoneViewSet, basename="milestone")
router.register("reminders", planning.ReminderViewSet, basename="reminder")
router.register("activities", activities.ActivityViewSet, basename="activity")
router.register("tasks", activities.TaskViewSet, basename="task")

app_name = "api"
urlpatterns = [
    path(
        "v1/",
        include(
            ([*router.urls, path("ping/", PingApi.as_view(), name="ping")], "v1"),
        ),
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", ApiRedocView.as_view(url_name="api:schema"), name="redoc"),
    re_path(r"^", not_found),
]
