"""The API's documentation pages tell a visitor who is not signed in how to get in."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_anonymous_docs_page_says_how_to_sign_in_or_get_a_token(client, path):
    response = client.get(path)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "Sign in to read the API documentation" in html
    assert f'href="/accounts/login/?next={path}"' in html
    assert 'href="/portal/sign-in/"' in html
    assert "Authorization: Bearer &lt;token&gt;" in html


def test_signed_in_user_gets_the_docs(client, analyst):
    client.force_login(analyst)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert "swagger-ui" in response.content.decode()


def test_schema_stays_a_bare_401_for_programs(client):
    response = client.get("/api/schema/")
    assert response.status_code == 401
    assert "Sign in" not in response.content.decode()
