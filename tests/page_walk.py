"""Walk the site by its links, as each kind of user would, from where they start.

`walk(client, starts)` follows every <a href> and GET form of each page it opens
(same site only), one page per named route, and returns what it reached: the
page's address by route name, and the routes only a POST form or a download
reaches. The link-walk test (tests/test_link_walk.py) checks that every named
route is reached; the browser walk (tests/browser/test_every_page.py) opens the
same pages in Chromium to run axe and measure their width.

`sample_world()` is the data both walk through: one organisation owned by the
manager with one of everything, a second one with a draft MoU, a partner's
organisation with a portal user, and a user for each role.
"""

from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

from django.contrib.auth.models import Group
from django.test import Client
from django.urls import Resolver404, resolve

from ceop_crm import roles
from planning.models import Reminder

# Never followed: signing out ends the walk's session; the API's endpoints are
# not pages (the docs page is).
NOT_FOLLOWED_PREFIXES = ("/static/", "/media/", "/api/v1/", "/api/schema/")
NOT_FOLLOWED_ROUTES = {"logout", "portal:logout", "admin:logout"}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.posts: list[str] = []
        self.title = ""
        self._in_title = False
        self.h1 = ""
        self._h1 = 0  # 1 inside the first <h1>, 2 after it
        self._badge = False  # inside a count badge of the <h1> (not its words)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag == "h1" and self._h1 == 1:
            self._h1 = 2
        elif tag == "span":
            self._badge = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if self._h1 == 1 and not self._badge:
            self.h1 += data

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        self._in_title = tag == "title"
        if tag == "h1" and self._h1 == 0:
            self._h1 = 1
        elif self._h1 == 1 and "badge" in (attributes.get("class") or ""):
            self._badge = True
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        elif tag == "form":
            action = attributes.get("action") or ""
            if (attributes.get("method") or "get").lower() == "get":
                self.links.append(action or "?")
            else:
                self.posts.append(action)
        elif tag in ("button", "input") and attributes.get("formaction"):
            self.posts.append(attributes["formaction"])
        # htmx GETs that load part of a page (hx-get) reach a route too.
        if attributes.get("hx-get"):
            self.links.append(attributes["hx-get"])


def route_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name if match.url_name else None


@dataclass
class Walk:
    # Route name -> the first address of it the walk opened (HTML pages only).
    pages: dict[str, str] = field(default_factory=dict)
    # Route names reached by a link or GET form whose answer is not a page
    # (a download, a redirect to one).
    downloads: dict[str, str] = field(default_factory=dict)
    # Route names only a POST form (or a button's formaction) reaches.
    form_targets: dict[str, str] = field(default_factory=dict)
    # Address -> status, for answers other than 200 and redirects.
    broken: dict[str, int] = field(default_factory=dict)
    # Route name -> the <title> of its first page.
    titles: dict[str, str] = field(default_factory=dict)
    # Route name -> the text of its first page's first <h1>.
    headings: dict[str, str] = field(default_factory=dict)

    @property
    def reached(self) -> set[str]:
        return set(self.pages) | set(self.downloads) | set(self.form_targets)


def _same_site(base: str, href: str) -> str | None:
    if href.startswith(("mailto:", "tel:", "javascript:", "#", "data:")):
        return None
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if parts.path.startswith(NOT_FOLLOWED_PREFIXES):
        return None
    return path


def walk(
    client: Client, starts: list[str], *, per_route: int = 3, limit: int = 600
) -> Walk:
    """Open `starts`, then every page their links reach: up to `per_route`
    addresses of each route (a draft MoU offers links a signed one does not),
    and of the admin's one each."""
    result = Walk()
    queue = deque(starts)
    opened_by_route: Counter = Counter()
    opened_addresses: set[str] = set()
    opened = 0
    while queue and opened < limit:
        address = queue.popleft()
        name = route_name(urlsplit(address).path)
        if name is None or name in NOT_FOLLOWED_ROUTES:
            continue
        cap = 1 if name.startswith("admin:") else per_route
        if address in opened_addresses or opened_by_route[name] >= cap:
            continue
        if urlsplit(address).query and name in opened_by_route:
            continue  # another sort, filter or page of a page already opened
        opened_by_route[name] += 1
        opened_addresses.add(address)
        opened += 1
        response = client.get(address, follow=False)
        if response.status_code in (301, 302, 303):
            target = _same_site(address, response["Location"])
            if target:
                queue.appendleft(target)
            # A route that only redirects (to a page, or a file) is reached.
            result.downloads.setdefault(name, address)
            continue
        # The API docs answer 401 with a page saying how to sign in.
        if response.status_code not in (200, 401):
            result.broken[address] = response.status_code
            continue
        content_type = response.get("Content-Type", "")
        if not content_type.startswith("text/html"):
            result.downloads[name] = address
            continue
        result.downloads.pop(name, None)
        result.pages.setdefault(name, address)
        parser = _Links()
        parser.feed(response.content.decode())
        result.titles.setdefault(name, " ".join(parser.title.split()))
        result.headings.setdefault(name, " ".join(parser.h1.split()))
        for href in parser.links:
            target = _same_site(address, href)
            if target:
                queue.append(target)
        for action in parser.posts:
            target = _same_site(address, action or address)
            post_name = target and route_name(urlsplit(target).path)
            if post_name and post_name not in result.pages:
                result.form_targets.setdefault(post_name, target)
    for name in result.pages:
        result.form_targets.pop(name, None)
        result.downloads.pop(name, None)
    return result


# --- The data the walks go through ---------------------------------------------


@dataclass
class SampleWorld:
    users: dict
    world: object  # tests.workspace_world.World
    partner: object  # tests.portal.conftest.PartnerWorld
    draft_mou: object
    starts: dict[str, list[str]]


def _user(username: str, role: str | None = None, **extra):
    from tests import factories

    user = factories.UserFactory(username=username, **extra)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def _finished_import(*, actor) -> None:
    """An import run to its end, one row of it refused (a name is required)."""
    from partners.imports.services import (
        import_job_confirm,
        import_job_create,
        import_job_run,
    )

    job = import_job_create(
        name="more.csv",
        content=b"Name,Website\r\nTideway Learning,\r\n,https://x.example\r\n",
        actor=actor,
    )
    import_job_confirm(job=job, actor=actor)
    import_job_run(job_id=job.pk)


def _privacy_records(*, actor, contact) -> None:
    """A finished subject access export, and an erasure of another person."""
    from ceop_crm.privacy.selectors import PersonQuery
    from ceop_crm.privacy.services.erasure import person_erase
    from ceop_crm.privacy.services.exports import (
        subject_access_export_build,
        subject_access_export_request,
    )
    from tests import factories

    export = subject_access_export_request(
        actor=actor, name=contact.name, email=contact.email
    )
    subject_access_export_build(export_id=export.pk)
    gone = factories.ContactFactory(
        organisation=contact.organisation, name="Robin Former", email="rf@x.example"
    )
    person_erase(
        query=PersonQuery.of(name=gone.name, email=gone.email),
        reason="Asked to be forgotten.",
        actor=actor,
    )


def sample_world() -> SampleWorld:
    """A user of each role and data in every state that offers a page."""
    from tests import factories
    from tests.portal.conftest import make_partner_world
    from tests.test_workspace_access import add_import_job
    from tests.workspace_world import build_world

    users = {
        "manager": _user("manager", roles.RELATIONSHIP_MANAGER),
        "senior": _user("senior", roles.SENIOR_MANAGER),
        "analyst": _user("analyst", roles.ANALYST),
        "dpo": _user("dpo", roles.DATA_PROTECTION_OFFICER),
        "admin": _user("admin", is_staff=True, is_superuser=True),
    }
    world = add_import_job(build_world(owner=users["manager"]), actor=users["senior"])
    # An Official Supporter may use the logo: the brand page offers it.
    partner = make_partner_world("Alpha Systems", tier_code="official-supporter")
    users["partner"] = partner.user
    organisation = world.organisation
    draft = factories.MoUFactory(
        organisation=organisation, status="draft", signed_on=None
    )
    factories.DueDiligenceFactory(organisation=organisation, outcome="pending")
    # A likely duplicate of the manager's organisation, offered for a merge.
    factories.OrganisationFactory(
        name="Brightwater Online Safety Group", owner=organisation.owner
    )
    Reminder.objects.create(
        recipient=users["manager"],
        step=Reminder.Step.REVIEW_UPCOMING,
        subject_type="organisation",
        subject_id=organisation.pk,
        title=f"{organisation.name} review coming up",
        due_on=world.review.due_on,
    )
    _finished_import(actor=users["senior"])
    _privacy_records(actor=users["dpo"], contact=world.contact)
    return SampleWorld(
        users=users,
        world=world,
        partner=partner,
        draft_mou=draft,
        starts={
            "manager": ["/"],
            "senior": ["/"],
            "analyst": ["/"],
            # A data protection officer starts by looking a person up.
            "dpo": [
                "/data-protection/?"
                + urlencode({"name": world.contact.name, "email": world.contact.email}),
                "/",
            ],
            "partner": ["/portal/"],
            "admin": ["/admin/", "/"],
            "anonymous": [
                "/accounts/login/",
                "/portal/sign-in/",
                "/get-involved/",
                "/api/docs/",
            ],
        },
    )
