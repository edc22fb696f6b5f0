"""REST API of the planning cycle: years, milestones, reviews and reminders."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from ceop_crm.api.scoping import partner_organisation_id
from ceop_crm.api.serializers import OutputSerializer
from ceop_crm.api.viewsets import ApiViewSet, ReadOnlyViewSet
from planning import services
from planning.models import Audience, Milestone, PlanningYear, Reminder, Review


class PlanningYearOutputSerializer(OutputSerializer):
    class Meta:
        model = PlanningYear
        fields = ["id", "label", "start", "end", "created_at", "updated_at"]
        read_only_fields = fields


class PlanningYearViewSet(ReadOnlyViewSet):
    queryset = PlanningYear.objects.order_by("start")
    serializer_class = PlanningYearOutputSerializer
    partner_serializer_class = PlanningYearOutputSerializer
    organisation_field = None
    partner_access = True
    filterset_fields = ["label"]
    ordering_fields = ["start"]


class MilestoneOutputSerializer(OutputSerializer):
    class Meta:
        model = Milestone
        fields = [
            "id",
            "planning_year",
            "kind",
            "name",
            "description",
            "date",
            "end_date",
            "quarter",
            "audience",
            "reminder_lead_days",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class MilestoneViewSet(ReadOnlyViewSet):
    """Partner users see the milestones meant for partners."""

    queryset = Milestone.objects.order_by("date", "pk")
    serializer_class = MilestoneOutputSerializer
    partner_serializer_class = MilestoneOutputSerializer
    organisation_field = None
    partner_access = True
    filterset_fields = {
        "planning_year": ["exact"],
        "kind": ["exact"],
        "audience": ["exact"],
        "date": ["gte", "lte"],
    }
    search_fields = ["name", "description"]
    ordering_fields = ["date", "name"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if partner_organisation_id(self.request.user) is not None:
            queryset = queryset.exclude(audience=Audience.STAFF)
        return queryset


class ReviewOutputSerializer(OutputSerializer):
    recommendation = serializers.ChoiceField(
        choices=Review.Recommendation.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Review
        fields = [
            "id",
            "organisation",
            "association",
            "milestone",
            "due_on",
            "status",
            "cancelled_reason",
            "completed_on",
            "conducted_by",
            "progress",
            "benefits_to_ceop",
            "benefits_to_partner",
            "recommendation",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PartnerReviewSerializer(OutputSerializer):
    """When a review is due and where it stands; CEOP's own assessment (progress,
    benefits to each side, recommendation, who conducted it) stays with CEOP."""

    class Meta:
        model = Review
        fields = [
            "id",
            "organisation",
            "milestone",
            "due_on",
            "status",
            "completed_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ReviewCompleteSerializer(serializers.Serializer):
    progress = serializers.CharField(allow_blank=True)
    benefits_to_ceop = serializers.CharField(allow_blank=True)
    benefits_to_partner = serializers.CharField(allow_blank=True)
    recommendation = serializers.ChoiceField(choices=Review.Recommendation.choices)
    completed_on = serializers.DateField(required=False)


class ReviewViewSet(ApiViewSet):
    queryset = Review.objects.order_by("due_on", "pk")
    serializer_class = ReviewOutputSerializer
    partner_serializer_class = PartnerReviewSerializer
    partner_access = True
    filterset_fields = {
        "organisation": ["exact"],
        "status": ["exact"],
        "milestone": ["exact"],
        "due_on": ["gte", "lte"],
    }
    ordering_fields = ["due_on", "completed_on", "created_at"]

    @extend_schema(
        summary="Complete a review with CEOP's assessment",
        request=ReviewCompleteSerializer,
        responses={200: ReviewOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        review = self.get_object()
        data = ReviewCompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.review_complete(
            review=review, actor=request.user, **data.validated_data
        )
        return self.respond(review)


class ReminderOutputSerializer(OutputSerializer):
    class Meta:
        model = Reminder
        fields = [
            "id",
            "step",
            "subject_type",
            "subject_id",
            "title",
            "body",
            "url",
            "due_on",
            "created_at",
            "sent_at",
            "read_at",
        ]
        read_only_fields = fields


class ReminderViewSet(ReadOnlyViewSet):
    """The calling user's own reminders, newest first."""

    queryset = Reminder.objects.order_by("-created_at", "-pk")
    serializer_class = ReminderOutputSerializer
    partner_serializer_class = ReminderOutputSerializer
    organisation_field = None
    partner_access = True
    filterset_fields = {"step": ["exact"], "read_at": ["isnull"]}
    ordering_fields = ["created_at", "due_on"]

    def get_queryset(self):
        return super().get_queryset().filter(recipient=self.request.user)
