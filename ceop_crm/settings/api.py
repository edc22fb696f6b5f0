"""Settings of the REST API (Django REST framework) and its documentation
(drf-spectacular).

Read by base.py (``from ceop_crm.settings.api import *``).
"""

import environ

env = environ.Env()

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "ceop_crm.api.schema.ApiAutoSchema",
    # Tokens (hashed, issued in admin) for other systems; the session for the browser.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ceop_crm.api.authentication.ApiTokenAuthentication",
        "ceop_crm.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["ceop_crm.api.permissions.RolePermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "ceop_crm.api.filtering.ScopedFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "ceop_crm.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["ceop_crm.api.throttling.ApiRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "api": env("DJANGO_API_THROTTLE_RATE", default="600/min")
    },
    "EXCEPTION_HANDLER": "ceop_crm.api.exceptions.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "ceop_crm.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DATE_INPUT_FORMATS": ["iso-8601", "%d/%m/%Y"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CEOP Partner API",
    "DESCRIPTION": (
        "Partnership data of CEOP's Relationship Management Strategy. "
        "Authenticate with `Authorization: Bearer <token>` (tokens are issued by an "
        "administrator) or the browser session. Analysts read; relationship managers "
        "and senior managers write; only senior managers decide tier moves. Partner "
        "users see their own organisation's records only (others answer 404), cannot "
        "use tier moves or relationship issues (403), and may only submit proposals "
        "and keep their own contacts up to date."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OrganisationStatusEnum": "partners.models.Organisation.Status",
        "MoUStatusEnum": "partners.models.MoU.Status",
        "NewMoUStatusEnum": "partners.apis.NEW_MOU_STATUSES",
        "ContributionStatusEnum": "partners.models.Contribution.Status",
        "ProposalStatusEnum": "partners.models.Proposal.Status",
        "RelationshipIssueStatusEnum": "partners.models.RelationshipIssue.Status",
        "TierMoveStatusEnum": "tiers.models.TierChange.Status",
        "ReviewStatusEnum": "planning.models.Review.Status",
        "ContributionKindEnum": "partners.models.ContributionKind",
        "MilestoneKindEnum": "planning.models.MilestoneKind",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
