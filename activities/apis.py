"""REST API of activities and tasks: staff only (partner users get 403).

Analysts read; relationship and senior managers write, for the organisations
they may change; every write is one service call.
"""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404

from activities import services
from activities.models import Activity, Task
from activities.selectors import activity_list, assignable_users, task_list
from ceop_crm.api.fields import ScopedOrganisationField
from ceop_crm.api.serializers import OutputSerializer
from ceop_crm.api.viewsets import ApiViewSet
from partners.models import Contact, MoU, Proposal, RelationshipIssue
from planning.models import Review


class ActivityOutputSerializer(OutputSerializer):
    class Meta:
        model = Activity
        fields = [
            "id",
            "organisation",
            "kind",
            "occurred_at",
            "summary",
            "participants",
            "contacts",
            "mou",
            "review",
            "proposal",
            "issue",
            "recorded_by",
            "tasks",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


def _optional(queryset):
    return serializers.PrimaryKeyRelatedField(
        queryset=queryset, required=False, allow_null=True
    )


class ActivityInputSerializer(serializers.Serializer):
    organisation = ScopedOrganisationField()
    kind = serializers.ChoiceField(choices=Activity.Kind.choices)
    occurred_at = serializers.DateTimeField()
    summary = serializers.CharField()
    participants = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), many=True, required=False
    )
    contacts = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.all(), many=True, required=False
    )
    mou = _optional(MoU.objects.all())
    review = _optional(Review.objects.all())
    proposal = _optional(Proposal.objects.all())
    issue = _optional(RelationshipIssue.objects.all())
    follow_up_title = serializers.CharField(required=False, allow_blank=True)
    follow_up_due = serializers.DateField(required=False, allow_null=True)
    follow_up_assignee = _optional(assignable_users())


class ActivityViewSet(ApiViewSet):
    """Calls, meetings, emails and notes logged against organisations."""

    queryset = Activity.objects.order_by("-occurred_at", "-pk")
    serializer_class = ActivityOutputSerializer
    filterset_fields = ["organisation", "kind", "recorded_by"]
    search_fields = ["summary"]
    ordering_fields = ["occurred_at", "created_at"]

    def get_queryset(self):
        # The API shows the contacts named too (the organisation page does not).
        self.queryset = activity_list().prefetch_related("contacts")
        return super().get_queryset()

    @extend_schema(
        summary="Log an activity, with an optional follow-up task",
        request=ActivityInputSerializer,
        responses={201: ActivityOutputSerializer},
    )
    def create(self, request):
        data = ActivityInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        activity = services.activity_record(actor=request.user, **data.validated_data)
        return self.respond(activity, status.HTTP_201_CREATED)


class TaskOutputSerializer(OutputSerializer):
    class Meta:
        model = Task
        fields = [
            "id",
            "organisation",
            "title",
            "due_on",
            "assignee",
            "status",
            "activity",
            "review",
            "issue",
            "completed_at",
            "completed_by",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class TaskInputSerializer(serializers.Serializer):
    organisation = ScopedOrganisationField()
    title = serializers.CharField(max_length=200)
    due_on = serializers.DateField()
    assignee = serializers.PrimaryKeyRelatedField(queryset=assignable_users())
    activity = _optional(Activity.objects.all())
    review = _optional(Review.objects.all())
    issue = _optional(RelationshipIssue.objects.all())


class TaskReassignSerializer(serializers.Serializer):
    assignee = serializers.PrimaryKeyRelatedField(queryset=assignable_users())


class TaskViewSet(ApiViewSet):
    """Follow-up tasks: create, complete, reassign."""

    queryset = Task.objects.order_by("due_on", "pk")
    serializer_class = TaskOutputSerializer
    filterset_fields = ["organisation", "assignee", "status", "due_on"]
    search_fields = ["title"]
    ordering_fields = ["due_on", "created_at"]

    def get_queryset(self):
        self.queryset = task_list()
        return super().get_queryset()

    @extend_schema(
        summary="Add a follow-up task",
        request=TaskInputSerializer,
        responses={201: TaskOutputSerializer},
    )
    def create(self, request):
        data = TaskInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        task = services.task_create(actor=request.user, **data.validated_data)
        return self.respond(task, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Mark a task done", request=None, responses={200: TaskOutputSerializer}
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        # The assignee may complete a task of an organisation they do not run:
        # the service decides, not the object permission (which asks for editors).
        task = get_object_or_404(self.get_queryset(), pk=pk)
        services.task_complete(task=task, actor=request.user)
        return self.respond(task)

    @extend_schema(
        summary="Hand a task to another manager",
        request=TaskReassignSerializer,
        responses={200: TaskOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        task = self.get_object()
        data = TaskReassignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.task_reassign(task=task, actor=request.user, **data.validated_data)
        return self.respond(task)
