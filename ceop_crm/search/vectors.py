"""The text each kind is searched by, as one expression: the selectors query it
and the migration indexes it, so the two cannot drift apart."""

from django.contrib.postgres.search import SearchVector

CONFIG = "simple"

# (app label, model, field searched, index name)
FULL_TEXT = [
    ("partners", "Organisation", "name", "search_organisation_name_fts"),
    ("partners", "Contact", "name", "search_contact_name_fts"),
    ("partners", "MoU", "title", "search_mou_title_fts"),
    ("partners", "Proposal", "title", "search_proposal_title_fts"),
    ("partners", "RelationshipIssue", "title", "search_issue_title_fts"),
    ("activities", "Activity", "summary", "search_activity_summary_fts"),
]


def vector(field: str) -> SearchVector:
    return SearchVector(field, config=CONFIG)
