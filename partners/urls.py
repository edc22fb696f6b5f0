"""Staff workspace URLs of the partners app (namespace "partners")."""

from django.urls import path

from partners.dedupe import urls as dedupe_urls
from partners.imports import urls as import_urls
from partners.joint import urls as joint_urls
from partners.views import agreements, organisations, support

app_name = "partners"

urlpatterns = [
    # Organisations and contacts
    path(
        "organisations/",
        organisations.OrganisationListView.as_view(),
        name="organisation_list",
    ),
    path(
        "organisations/new/",
        organisations.OrganisationCreateView.as_view(),
        name="organisation_create",
    ),
    path(
        "organisations/<int:pk>/",
        organisations.OrganisationDetailView.as_view(),
        name="organisation_detail",
    ),
    path(
        "organisations/<int:pk>/history/",
        organisations.OrganisationHistoryView.as_view(),
        name="organisation_history",
    ),
    path(
        "organisations/<int:pk>/edit/",
        organisations.OrganisationUpdateView.as_view(),
        name="organisation_update",
    ),
    path(
        "organisations/<int:pk>/contacts/new/",
        organisations.ContactCreateView.as_view(),
        name="contact_create",
    ),
    path(
        "contacts/<int:pk>/edit/",
        organisations.ContactUpdateView.as_view(),
        name="contact_update",
    ),
    path(
        "contacts/<int:pk>/delete/",
        organisations.ContactDeleteView.as_view(),
        name="contact_delete",
    ),
    # Due diligence
    path(
        "organisations/<int:pk>/due-diligence/new/",
        agreements.DueDiligenceCreateView.as_view(),
        name="due_diligence_create",
    ),
    path(
        "due-diligence/<int:pk>/",
        agreements.DueDiligenceDetailView.as_view(),
        name="due_diligence_detail",
    ),
    path(
        "due-diligence/<int:pk>/decide/",
        agreements.DueDiligenceDecideView.as_view(),
        name="due_diligence_decide",
    ),
    # MoUs
    path(
        "organisations/<int:pk>/mous/new/",
        agreements.MoUCreateView.as_view(),
        name="mou_create",
    ),
    path("mous/<int:pk>/", agreements.MoUDetailView.as_view(), name="mou_detail"),
    path("mous/<int:pk>/edit/", agreements.MoUUpdateView.as_view(), name="mou_update"),
    path(
        "mous/<int:pk>/upload/", agreements.MoUUploadView.as_view(), name="mou_upload"
    ),
    path(
        "mous/<int:pk>/document/",
        agreements.MoUDocumentView.as_view(),
        name="mou_document",
    ),
    path("mous/<int:pk>/sign/", agreements.MoUSignView.as_view(), name="mou_sign"),
    path("mous/<int:pk>/renew/", agreements.MoURenewView.as_view(), name="mou_renew"),
    path(
        "mous/<int:pk>/terminate/",
        agreements.MoUTerminateView.as_view(),
        name="mou_terminate",
    ),
    path(
        "mous/<int:pk>/ownership/new/",
        agreements.OwnershipLevelCreateView.as_view(),
        name="ownership_level_create",
    ),
    # Contributions
    path(
        "organisations/<int:pk>/contributions/new/",
        support.ContributionCreateView.as_view(),
        name="contribution_create",
    ),
    path(
        "contributions/<int:pk>/edit/",
        support.ContributionUpdateView.as_view(),
        name="contribution_update",
    ),
    # Proposals
    path("proposals/", support.ProposalListView.as_view(), name="proposal_list"),
    path(
        "organisations/<int:pk>/proposals/new/",
        support.ProposalCreateView.as_view(),
        name="proposal_create",
    ),
    path(
        "proposals/<int:pk>/",
        support.ProposalDetailView.as_view(),
        name="proposal_detail",
    ),
    path(
        "proposals/<int:pk>/accept/",
        support.ProposalAcceptView.as_view(),
        name="proposal_accept",
    ),
    path(
        "proposals/<int:pk>/decline/",
        support.ProposalDeclineView.as_view(),
        name="proposal_decline",
    ),
    # Relationship issues
    path("issues/", support.RelationshipIssueListView.as_view(), name="issue_list"),
    path(
        "organisations/<int:pk>/issues/new/",
        support.RelationshipIssueCreateView.as_view(),
        name="issue_create",
    ),
    path(
        "issues/<int:pk>/",
        support.RelationshipIssueDetailView.as_view(),
        name="issue_detail",
    ),
    path(
        "issues/<int:pk>/escalate/",
        support.RelationshipIssueEscalateView.as_view(),
        name="issue_escalate",
    ),
    path(
        "issues/<int:pk>/resolve/",
        support.RelationshipIssueResolveView.as_view(),
        name="issue_resolve",
    ),
]
urlpatterns += (
    import_urls.urlpatterns + dedupe_urls.urlpatterns + joint_urls.urlpatterns
)
