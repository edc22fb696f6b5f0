"""Schema-driven fuzzing: schemathesis generates requests for every operation of
the generated OpenAPI schema and checks that none answers 500 and every
response matches the schema. Bounded and derandomised so it runs in CI."""

import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import token_client

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def generated_schema() -> dict:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


schema = schemathesis.openapi.from_dict(generated_schema())
application = WSGIHandler()
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_in_test_transaction():
    """Requests through the WSGI handler share the test's transaction, as Django's
    test client arranges: connections are not closed at the end of a request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def manager_token(manager, world, wsgi_in_test_transaction) -> str:
    client = token_client(manager)
    return client._credentials["HTTP_AUTHORIZATION"]


@schema.parametrize()
@settings(
    max_examples=5,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_every_generated_request_without_500_and_within_its_schema(
    case, manager_token
):
    case.call_and_validate(
        headers={"Authorization": manager_token}, checks=CHECKS, app=application
    )
