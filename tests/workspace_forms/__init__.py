"""Workspace forms: rules of the strategy shown beside the fields, input kept,
nothing half-saved, success messages, confirmation before destructive actions.

One module a subject; the fixtures shared between them are in conftest.py and the
client and formatting helpers in helpers.py."""
