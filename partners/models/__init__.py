"""The partners app's models, by subject; imported here so that Django finds them."""

# Models of the partners app kept in rooms of their own.
from partners.dedupe.models import OrganisationMerge  # noqa: F401
from partners.downloads.models import ReportDownload  # noqa: F401
from partners.imports.models import (  # noqa: F401
    ImportColumnMapping,
    ImportJob,
    ImportRow,
)
from partners.joint.models import ContributionParty  # noqa: F401
from partners.models.agreements import (  # noqa: F401
    MoU,
    OwnershipLevel,
    mou_document_discard,
    mou_document_path,
)
from partners.models.due_diligence import (  # noqa: F401
    DueDiligence,
    PrincipleAssessment,
)
from partners.models.issues import (  # noqa: F401
    RelationshipIssue,
)
from partners.models.organisations import (  # noqa: F401
    Contact,
    Organisation,
    OrganisationManager,
    PortalMembership,
    Sector,
)
from partners.models.support import (  # noqa: F401
    Contribution,
    ContributionKind,
    Proposal,
)
