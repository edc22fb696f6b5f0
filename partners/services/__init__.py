"""Writes and rules of organisations, due diligence, MoUs, support and issues, by subject."""

from partners.services.agreements import (  # noqa: F401
    mou_create,
    mou_expire,
    mou_expire_lapsed,
    mou_renew,
    mou_sign,
    mou_terminate,
    mou_update,
)
from partners.services.common import (  # noqa: F401
    Actor,
    _apply,
    _pk,
    _save,
)
from partners.services.due_diligence import (  # noqa: F401
    due_diligence_decide,
    due_diligence_record,
)
from partners.services.issues import (  # noqa: F401
    relationship_issue_escalate,
    relationship_issue_raise,
    relationship_issue_resolve,
)
from partners.services.organisations import (  # noqa: F401
    ORGANISATION_NEW_STATUSES,
    contact_delete,
    contact_save,
    organisation_create,
    organisation_update,
    ownership_level_save,
)
from partners.services.support import (  # noqa: F401
    _triageable,
    contribution_save,
    proposal_accept,
    proposal_decline,
    proposal_submit,
)
