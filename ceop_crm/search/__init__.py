"""Global search in the staff navigation: organisations (and their former names
after a merge), contacts, MoUs, proposals, issues and activities.

PostgreSQL: full-text search (a prefix ``tsquery`` against ``to_tsvector`` with
the ``simple`` configuration, answered by GIN expression indexes made in this
package's migration from the very expressions the selectors use), ranked by
``ts_rank``, plus trigram similarity of organisation names (pg_trgm, the GIN
index of duplicate detection) for misspellings. Elsewhere (the embedded SQLite
default): every word as a case-insensitive substring, ranked by where it
matched. What a user may see is the API's scoping (``scope_for_user``), and
activities are staff only.
"""
