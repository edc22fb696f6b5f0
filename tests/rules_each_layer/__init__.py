"""Each rule of the strategy broken on purpose, at each layer.

For every rule, a test through the service (it fails when the service's check is
removed) and, where a database constraint backs the rule, a separate test that
writes around the service with the plain ORM and expects the database to refuse.
One module a subject; what they share is in helpers.py.
"""
