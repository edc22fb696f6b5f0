"""Shared pieces of the REST API: tokens, authentication, permissions, scoping,
errors, pagination, throttling, conditional requests and the schema."""
