"""REST API of the partners app: contributions, proposals and relationship issues."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action

from ceop_crm.api.fields import ScopedOrganisationField
from ceop_crm.api.serializers import OutputSerializer
from ceop_crm.api.viewsets import ApiViewSet
from ceop_crm.roles import is_staff_member
from partners import services
from partners.apis.common import staff_users
from partners.joint.selectors import contribution_party_prefetch
from partners.joint.serializers import (
    ContributionPartyPartnerSerializer,
    ContributionPartySerializer,
)
from partners.models import (
    Contribution,
    Proposal,
    RelationshipIssue,
)
from priorities.models import CentrePlanObjective, PriorityArea, Threat


class ContributionOutputSerializer(OutputSerializer):
    class Meta:
        model = Contribution
        fields = [
            "id",
            "organisation",
            "kind",
            "title",
            "description",
            "priority_areas",
            "centre_plan_objectives",
            "status",
            "start",
            "end",
            "outcomes",
            "involved_organisations",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    involved_organisations = ContributionPartySerializer(
        source="parties",
        many=True,
        read_only=True,
        help_text="The organisations working with the lead organisation on it.",
    )


class ContributionPartnerOutputSerializer(ContributionOutputSerializer):
    """What a partner user reads: the other organisations by name only."""

    involved_organisations = ContributionPartyPartnerSerializer(
        source="parties",
        many=True,
        read_only=True,
        help_text="The organisations working with the lead organisation on it.",
    )


class ContributionInputSerializer(serializers.ModelSerializer):
    organisation = ScopedOrganisationField()
    priority_areas = serializers.PrimaryKeyRelatedField(
        queryset=PriorityArea.objects.all(), many=True, required=False
    )
    centre_plan_objectives = serializers.PrimaryKeyRelatedField(
        queryset=CentrePlanObjective.objects.all(), many=True, required=False
    )

    class Meta:
        model = Contribution
        fields = [
            "organisation",
            "kind",
            "title",
            "description",
            "priority_areas",
            "centre_plan_objectives",
            "status",
            "start",
            "end",
            "outcomes",
        ]
        validators: list = []


class ContributionUpdateSerializer(ContributionInputSerializer):
    class Meta(ContributionInputSerializer.Meta):
        fields = [
            f for f in ContributionInputSerializer.Meta.fields if f != "organisation"
        ]


class ContributionViewSet(ApiViewSet):
    queryset = Contribution.objects.prefetch_related(
        "priority_areas", "centre_plan_objectives", contribution_party_prefetch()
    ).order_by("organisation_id", "-created_at", "-pk")
    serializer_class = ContributionOutputSerializer
    partner_serializer_class = ContributionPartnerOutputSerializer
    partner_access = True
    # A partner reads the contributions their organisation leads and those it
    # works on with others.
    organisation_field = ("organisation", "parties__organisation")
    filterset_fields = ["organisation", "kind", "status", "priority_areas"]
    search_fields = ["title", "description", "outcomes"]
    ordering_fields = ["title", "start", "end", "created_at", "updated_at"]

    def _save(self, request, contribution, m2m, code):
        services.contribution_save(contribution=contribution, actor=request.user, **m2m)
        return self.respond(contribution, code)

    @extend_schema(
        summary="Record support an organisation gives",
        request=ContributionInputSerializer,
        responses={201: ContributionOutputSerializer},
    )
    def create(self, request):
        data = ContributionInputSerializer(
            data=request.data, context={"request": request}
        )
        data.is_valid(raise_exception=True)
        fields, m2m = _split_relations(data.validated_data)
        return self._save(request, Contribution(**fields), m2m, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a contribution",
        request=ContributionUpdateSerializer,
        responses={200: ContributionOutputSerializer},
    )
    def partial_update(self, request, pk=None):
        contribution = self.get_object()
        data = ContributionUpdateSerializer(
            contribution, data=request.data, partial=True, context={"request": request}
        )
        data.is_valid(raise_exception=True)
        fields, m2m = _split_relations(data.validated_data)
        for field, value in fields.items():
            setattr(contribution, field, value)
        return self._save(request, contribution, m2m, status.HTTP_200_OK)


def _split_relations(validated: dict) -> tuple[dict, dict]:
    """Plain fields, and the many-to-many ones contribution_save sets itself."""
    fields = dict(validated)
    m2m = {
        name: fields.pop(name)
        for name in ("priority_areas", "centre_plan_objectives")
        if name in fields
    }
    return fields, m2m


# --- Proposals ----------------------------------------------------------------


class ProposalOutputSerializer(OutputSerializer):
    class Meta:
        model = Proposal
        fields = [
            "id",
            "organisation",
            "source",
            "title",
            "offer",
            "kind",
            "priority_areas",
            "threat",
            "new_threat",
            "contact_name",
            "contact_email",
            "status",
            "decided_at",
            "decline_reason",
            "contribution",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ProposalInputSerializer(serializers.ModelSerializer):
    organisation = ScopedOrganisationField()
    priority_areas = serializers.PrimaryKeyRelatedField(
        queryset=PriorityArea.objects.all(), many=True, required=False
    )
    threat = serializers.PrimaryKeyRelatedField(
        queryset=Threat.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Proposal
        fields = [
            "organisation",
            "title",
            "offer",
            "kind",
            "priority_areas",
            "threat",
            "new_threat",
            "contact_name",
            "contact_email",
        ]
        validators: list = []


class ProposalDeclineSerializer(serializers.Serializer):
    decline_reason = serializers.CharField(allow_blank=True)


class ProposalViewSet(ApiViewSet):
    queryset = Proposal.objects.prefetch_related("priority_areas").order_by(
        "-created_at", "-pk"
    )
    serializer_class = ProposalOutputSerializer
    partner_serializer_class = ProposalOutputSerializer
    partner_access = True
    partner_actions = ("create",)
    filterset_fields = ["organisation", "status", "source", "kind", "priority_areas"]
    search_fields = ["title", "offer", "contact_name"]
    ordering_fields = ["title", "created_at", "updated_at"]

    @extend_schema(
        summary="Submit a proposal of support",
        description="It must serve a priority area or a threat. Partner users "
        "submit for their own organisation (recorded as from the portal).",
        request=ProposalInputSerializer,
        responses={201: ProposalOutputSerializer},
    )
    def create(self, request):
        data = ProposalInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        source = (
            Proposal.Source.STAFF
            if is_staff_member(request.user)
            else Proposal.Source.PORTAL
        )
        proposal = services.proposal_submit(
            actor=request.user, source=source, **data.validated_data
        )
        return self.respond(proposal, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Accept a proposal: it becomes an agreed contribution",
        request=None,
        responses={200: ProposalOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        proposal = self.get_object()
        services.proposal_accept(proposal=proposal, actor=request.user)
        return self.respond(proposal)

    @extend_schema(
        summary="Decline a proposal with a reason",
        request=ProposalDeclineSerializer,
        responses={200: ProposalOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        proposal = self.get_object()
        data = ProposalDeclineSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.proposal_decline(
            proposal=proposal,
            reason=data.validated_data["decline_reason"],
            actor=request.user,
        )
        return self.respond(proposal)


# --- Relationship issues ------------------------------------------------------


class RelationshipIssueOutputSerializer(OutputSerializer):
    class Meta:
        model = RelationshipIssue
        fields = [
            "id",
            "organisation",
            "title",
            "description",
            "owner",
            "escalation_level",
            "escalated_at",
            "raised_on",
            "status",
            "resolved_on",
            "resolution",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class RelationshipIssueInputSerializer(serializers.ModelSerializer):
    organisation = ScopedOrganisationField()
    owner = serializers.PrimaryKeyRelatedField(
        queryset=staff_users(), allow_null=True, required=False
    )
    raised_on = serializers.DateField(required=False)

    class Meta:
        model = RelationshipIssue
        fields = ["organisation", "title", "description", "owner", "raised_on"]
        validators: list = []


class RelationshipIssueResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField(allow_blank=True)
    resolved_on = serializers.DateField(required=False)


class RelationshipIssueViewSet(ApiViewSet):
    """Staff only: partner users get 403."""

    queryset = RelationshipIssue.objects.order_by("-raised_on", "-pk")
    serializer_class = RelationshipIssueOutputSerializer
    filterset_fields = ["organisation", "status", "owner", "escalation_level"]
    search_fields = ["title", "description"]
    ordering_fields = ["raised_on", "escalation_level", "created_at", "updated_at"]

    @extend_schema(
        summary="Raise a relationship issue",
        request=RelationshipIssueInputSerializer,
        responses={201: RelationshipIssueOutputSerializer},
    )
    def create(self, request):
        data = RelationshipIssueInputSerializer(
            data=request.data, context={"request": request}
        )
        data.is_valid(raise_exception=True)
        issue = services.relationship_issue_raise(
            actor=request.user, **data.validated_data
        )
        return self.respond(issue, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Escalate an issue one level up the MoU's ownership hierarchy",
        request=None,
        responses={200: RelationshipIssueOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        issue = self.get_object()
        services.relationship_issue_escalate(issue=issue, actor=request.user)
        return self.respond(issue)

    @extend_schema(
        summary="Resolve an issue",
        request=RelationshipIssueResolveSerializer,
        responses={200: RelationshipIssueOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        issue = self.get_object()
        data = RelationshipIssueResolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.relationship_issue_resolve(
            issue=issue, actor=request.user, **data.validated_data
        )
        return self.respond(issue)
