"""The partners' portal, by subject: signing in, the home page and reviews, support, the organisation's own record, notifications. Every view shows the signed-in user's own organisation only (PortalOrganisationMixin)."""

from partners.portal.views.account import (  # noqa: F401
    InvitationAcceptView,
    PortalLoginView,
    PortalLogoutView,
    PortalPasswordChangeView,
    PortalPasswordResetCompleteView,
    PortalPasswordResetConfirmView,
    PortalPasswordResetDoneView,
    PortalPasswordResetForm,
    PortalPasswordResetView,
)
from partners.portal.views.home import (  # noqa: F401
    HomeView,
    MouDocumentView,
    SelfAssessmentListView,
    SelfAssessmentView,
)
from partners.portal.views.notifications import (  # noqa: F401
    CalendarFeedView,
    NotificationListView,
    NotificationReadView,
)
from partners.portal.views.organisation import (  # noqa: F401
    LOGO_PATH,
    BrandView,
    ContactDeleteView,
    ContactFormView,
    LogoDownloadView,
    OrganisationEditView,
    OrganisationView,
    form_fields,
)
from partners.portal.views.support import (  # noqa: F401
    ContributionDetailView,
    ProposalCreateView,
    ProposalDetailView,
    SupportView,
)
