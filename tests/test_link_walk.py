"""Nothing unreachable: walking the links from each role's home page reaches every
named route, except those listed below with the reason no link leads there; and
no link leads anyone to a page that refuses them."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.clients import VerifiedClient
from tests.page_walk import sample_world, walk

pytestmark = pytest.mark.django_db

# Reached by no link of the site's pages, on purpose.
NOT_LINKED = {
    # Where a form sends you once it has worked (its target is a POST form).
    "password_change_done": "the password form's success page",
    "password_reset_done": "the reset form's 'email sent' page",
    "password_reset_complete": "the new-password form's success page",
    "portal:password_reset_done": "the portal reset form's 'email sent' page",
    "portal:password_reset_complete": "the portal new-password form's success page",
    "public:thanks": "the public approach form's thank-you page",
    "two_factor_verify": "where signing in with a password sends staff next",
    "partners:import_progress": "polled by the import page while an import runs",
    "lists:saved_view_delete": (
        "the target of a list's 'delete view' form; the walk's sample has no saved view"
    ),
    "activities:task_complete": "the target of a task's 'done' form",
    "activities:task_reassign": "the target of a task's 'reassign' form",
    "report_subscription_delete": "the target of a scheduled report's 'stop' form",
    "partners:contribution_party_remove": (
        "the 'remove' button beside an organisation working on a contribution; "
        "the walk's sample has none"
    ),
    "workspace:report_download_detail": (
        "where asking for a large download sends you (its progress page)"
    ),
    "workspace:report_download_file": "the file itself, a download",
    # Links in emails, with a one-time token.
    "password_reset_confirm": "the link in the password reset email",
    "portal:password_reset_confirm": "the link in the portal's reset email",
    "portal:invitation_accept": "the link in the portal invitation email",
    "email_unsubscribe": "the one-click unsubscribe link in an email, signed",
    "address_email_preferences": (
        "the email choices of an address without an account: the signed link "
        "in the emails it receives"
    ),
    # For programs, not people.
    "calendar_feed": "a calendar app's subscription address (shown, not linked)",
    "api:schema": "the OpenAPI file the API docs page loads",
    "health-live": "the container's liveness probe",
    "health-ready": "the load balancer's readiness probe",
    "metrics": "Prometheus's scrape address",
}
# Pages without a heading of ours: Swagger UI and ReDoc (drf-spectacular's,
# titled by it) and the autocomplete's answer, the <option>s of a datalist.
NO_HEADING = {"api:docs", "api:redoc", "partners:organisation_autocomplete"}
# Whole families: Django's admin has its own navigation (the browser walk opens
# the admin pages staff use), and the REST API's endpoints are not pages.
NOT_LINKED_PREFIXES = ("admin:", "api:v1:", "bench:")


def named_routes() -> set[str]:
    names: set[str] = set()

    def visit(patterns, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                full = ":".join(n for n in (namespace, inner) if n) if inner else None
                visit(pattern.url_patterns, full or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    visit(get_resolver().url_patterns, None)
    return names


@pytest.fixture
def sample():
    return sample_world()


def _walks(sample) -> dict:
    walks = {}
    for role, starts in sample.starts.items():
        if role == "admin":
            continue  # the administrator works in Django's admin
        client = VerifiedClient()
        if role != "anonymous":
            client.force_login(sample.users[role])
        walks[role] = walk(client, starts)
    return walks


def test_every_named_route_is_reached_by_a_link_and_no_link_is_refused(sample):
    """One walk for both checks: walking every role takes most of a minute."""
    walks = _walks(sample)
    reached = set().union(*(w.reached for w in walks.values()))
    required = {
        name
        for name in named_routes()
        if not name.startswith(NOT_LINKED_PREFIXES) and name not in NOT_LINKED
    }
    assert not required - reached, ", ".join(sorted(required - reached))
    # The list of exceptions holds routes that exist, and none a link reaches.
    assert set(NOT_LINKED) <= named_routes(), set(NOT_LINKED) - named_routes()
    assert not set(NOT_LINKED) & set().union(*(w.pages for w in walks.values()))
    broken = {role: w.broken for role, w in walks.items() if w.broken}
    assert not broken, broken

    # Each page's title names the page, not only the site or its part.
    generic = {
        "CEOP Partner",
        "Workspace · CEOP Partner",
        "Portal · CEOP partner portal",
        "Get involved · CEOP",
    }
    titles = {}
    for w in walks.values():
        titles.update(w.titles)
    untitled = {name: title for name, title in titles.items() if title in generic}
    assert not untitled, untitled
    # ... and holds the words of its heading (the first <h1>), so the tab, the
    # window list and a screen reader's first words agree with the page.
    unnamed = {
        (role, name): (w.titles[name], heading)
        for role, w in walks.items()
        for name, heading in w.headings.items()
        if name not in NO_HEADING
        and not (heading and heading.lower() in w.titles[name].lower())
    }
    assert not unnamed, unnamed

    # Each role reaches its own screens.
    assert {
        "partners:issue_list",
        "portal_staff:invite",
        "partners:organisation_list",
    } <= set(walks["manager"].pages)
    assert "workspace:report_download" in walks["analyst"].downloads
    assert {"partners:import_list", "partners:organisation_merge"} <= set(
        walks["senior"].pages
    )
    assert {"privacy:export_detail", "privacy:erasure_detail"} <= set(
        walks["dpo"].pages
    )
    assert {"portal:brand", "portal:self_assessment"} <= set(walks["partner"].pages)
    assert {"login", "portal:login", "public:approach"} <= set(walks["anonymous"].pages)
    assert "api:docs" in walks["anonymous"].pages  # says how to sign in


def test_the_navigation_offers_relationship_issues_and_the_api_docs(client, manager):
    client.force_login(manager)
    html = client.get("/").content.decode()
    navigation = html[html.index('aria-label="Workspace"') : html.index("</nav>")]
    assert 'href="/issues/">Issues</a>' in navigation
    assert 'href="/api/docs/"' in html


def test_the_organisation_list_downloads_as_csv_and_xlsx(client, analyst):
    """The list downloads as it is shown (the full "Organisations" report stays
    on the reports page)."""
    from tests import factories

    factories.OrganisationFactory(
        name="Harbour Trust", website="https://harbour.example"
    )
    client.force_login(analyst)
    html = client.get("/organisations/", {"q": "Harbour"}).content.decode()
    assert 'href="?q=Harbour&amp;format=csv"' in html
    assert 'href="?q=Harbour&amp;format=xlsx"' in html
    response = client.get("/organisations/", {"q": "Harbour", "format": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Organisation,Level,Sector,Status,Owner")
    assert "Harbour Trust" in text
