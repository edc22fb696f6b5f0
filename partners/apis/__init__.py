"""REST API of the partners app: each write is one method calling one service.

Input and output serializers sit beside the view set that uses them. Partner
users read their own organisation's records and may submit proposals and keep
their contacts up to date (as in the portal); staff-only resources answer 403.
One module per subject (organisations and contacts, MoUs, support), re-exported here.
"""

from partners.apis.agreements import (
    NEW_MOU_STATUSES,
    MoUInputSerializer,
    MoUOutputSerializer,
    MoURenewSerializer,
    MoUSignSerializer,
    MoUTerminateSerializer,
    MoUUpdateSerializer,
    MoUViewSet,
    OwnershipLevelSerializer,
    PartnerMoUSerializer,
)
from partners.apis.organisations import (
    ContactInputSerializer,
    ContactOutputSerializer,
    ContactUpdateSerializer,
    ContactViewSet,
    OrganisationFilter,
    OrganisationInputSerializer,
    OrganisationOutputSerializer,
    OrganisationViewSet,
    PartnerOrganisationSerializer,
)
from partners.apis.support import (
    ContributionInputSerializer,
    ContributionOutputSerializer,
    ContributionUpdateSerializer,
    ContributionViewSet,
    ProposalDeclineSerializer,
    ProposalInputSerializer,
    ProposalOutputSerializer,
    ProposalViewSet,
    RelationshipIssueInputSerializer,
    RelationshipIssueOutputSerializer,
    RelationshipIssueResolveSerializer,
    RelationshipIssueViewSet,
)

__all__ = [
    "NEW_MOU_STATUSES",
    "ContactInputSerializer",
    "ContactOutputSerializer",
    "ContactUpdateSerializer",
    "ContactViewSet",
    "ContributionInputSerializer",
    "ContributionOutputSerializer",
    "ContributionUpdateSerializer",
    "ContributionViewSet",
    "MoUInputSerializer",
    "MoUOutputSerializer",
    "MoURenewSerializer",
    "MoUSignSerializer",
    "MoUTerminateSerializer",
    "MoUUpdateSerializer",
    "MoUViewSet",
    "OrganisationFilter",
    "OrganisationInputSerializer",
    "OrganisationOutputSerializer",
    "OrganisationViewSet",
    "OwnershipLevelSerializer",
    "PartnerMoUSerializer",
    "PartnerOrganisationSerializer",
    "ProposalDeclineSerializer",
    "ProposalInputSerializer",
    "ProposalOutputSerializer",
    "ProposalViewSet",
    "RelationshipIssueInputSerializer",
    "RelationshipIssueOutputSerializer",
    "RelationshipIssueResolveSerializer",
    "RelationshipIssueViewSet",
]
