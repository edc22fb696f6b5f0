"""Reads of organisations, due diligence, MoUs, support, issues and history, by subject."""

from partners.selectors.agreements import (  # noqa: F401
    MOU_ENDING_DAYS,
    due_diligence_current,
    due_diligence_list_for_organisation,
    mou_get,
    mou_in_force,
    mou_list_ending,
    mou_list_for_organisation,
    mou_list_in_force_signed_by,
)
from partners.selectors.at_risk import (  # noqa: F401
    AT_RISK_REASONS,
    association_at_risk_conditions,
    organisation_annotate_at_risk,
    organisation_at_risk_conditions,
    organisation_at_risk_ids,
    organisation_at_risk_reasons,
    organisation_filter_at_risk,
)
from partners.selectors.counting import (  # noqa: F401
    OrganisationRowsByNextReview,
    OrganisationRowsOfIds,
    OrganisationRowsPaged,
    counts_together,
    counts_together_shared,
    first_rows_shared,
    organisation_list_count,
    organisation_mine_counted,
    organisation_related_filter_mine,
    organisation_rows_first_counted,
)
from partners.selectors.history import (  # noqa: F401
    _HISTORY_SKIP,
    HISTORY_LIMIT,
    _display,
    _history_grouped,
    _history_models,
    organisation_history,
)
from partners.selectors.organisations import (  # noqa: F401
    contact_list_by_address,
    organisation_contacts,
    organisation_filter_level_in_year,
    organisation_filter_mou_state,
    organisation_filter_mou_status,
    organisation_find_by_name,
    organisation_get,
    organisation_list,
    organisation_list_by_ids,
    organisation_next_review_due,
    organisation_overdue_reviews,
    organisation_search_condition,
    organisation_search_ids,
    relationship_is_live,
    staff_user_list,
)
from partners.selectors.support import (  # noqa: F401
    contribution_list_for_organisation,
    proposal_list,
    relationship_issue_list,
)
