"""Every page, as each kind of user, at desktop and phone widths: axe finds no
WCAG 2.0, 2.1 or 2.2 A or AA violation, and nothing scrolls sideways.

axe runs once per (route, role) at each width: a page shows each role other
buttons and panels (an owner's actions, a senior manager's approvals, the
portal's variants), so a page one role passes may fail for another. The admin
pages staff use are checked at both widths too.

The pages are those the link walk reaches from each role's home page
(tests/page_walk.py), with the error pages, the second-factor page and the 500
page added. axe-core comes from npm (package.json, its version pinned in
package-lock.json) and is added to every page of the context before the page's
own scripts (an init script, which the Content-Security-Policy does not apply
to). Each role's browser context carries a session the Django test client
signed in (second factor passed), so the walk spends no time on sign-in; the
keyboard test signs in for real. Accepted findings, with their reasons, are in
tests/browser/axe_exceptions.py.
"""

import json
import os
import time
from dataclasses import dataclass, field
from fnmatch import fnmatch
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.template import loader
from django.test import Client

from tests.browser.axe_exceptions import accepted
from tests.browser.conftest import BROWSER_DB, SHOTS, TIMEOUT_MS
from tests.clients import VerifiedClient, authenticator_for
from tests.page_walk import sample_world, walk

pytestmark = [pytest.mark.browser, BROWSER_DB]

AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map((n) => n.target.join(" ")),
    html: v.nodes.slice(0, 2).map((n) => n.html.slice(0, 160)),
    why: v.nodes[0].failureSummary,
  }));
}"""

# The widest element, to name in a failure when the page scrolls sideways.
OVERFLOW = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth + 1) return null;
  let widest = null;
  for (const el of document.body.querySelectorAll("*")) {
    const right = el.getBoundingClientRect().right;
    if (right > root.clientWidth + 1 && (!widest || right > widest.right)) {
      widest = {right, tag: el.tagName, cls: el.className.toString().slice(0, 60),
                text: (el.textContent || "").trim().slice(0, 40)};
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, widest};
}"""


@dataclass
class Findings:
    violations: list[dict] = field(default_factory=list)
    overflows: list[dict] = field(default_factory=list)
    accepted: list[dict] = field(default_factory=list)
    pages: int = 0
    axe_seconds: float = 0.0

    def check(self, tab, role: str, route: str, width: str) -> None:
        self.pages += 1
        started = time.monotonic()
        violations = tab.evaluate(RUN_AXE, TAGS)
        self.axe_seconds += time.monotonic() - started
        for violation in violations:
            for target in violation["targets"]:
                entry = {
                    "role": role,
                    "route": route,
                    "url": urlsplit(tab.url).path,
                    "width": width,
                    "rule": violation["id"],
                    "help": violation["help"],
                    "target": target,
                }
                reason = accepted(violation["id"], route, target)
                if reason:
                    self.accepted.append(entry | {"reason": reason.reason})
                else:
                    self.violations.append(
                        entry | {"html": violation["html"], "why": violation["why"]}
                    )
        overflow = tab.evaluate(OVERFLOW)
        if overflow:
            self.overflows.append(
                {"role": role, "route": route, "width": width} | overflow
            )


def _context(browser, live_server, client: Client | None):
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        timezone_id="Europe/London",
        viewport=DESKTOP,
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(path=str(AXE))
    if client is not None and settings.SESSION_COOKIE_NAME in client.cookies:
        host = urlsplit(live_server.url).hostname
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "domain": host,
                    "path": "/",
                }
            ]
        )
    return context


def _visit(tab, findings: Findings, role: str, address: str, route: str) -> None:
    """axe and the width at both sizes, the admin's pages included (staff open
    them on phones too)."""
    tab.set_viewport_size(DESKTOP)
    tab.goto(address, wait_until="load")
    findings.check(tab, role, route, "desktop")
    tab.set_viewport_size(PHONE)
    tab.evaluate("() => new Promise((r) => requestAnimationFrame(() => r()))")
    findings.check(tab, role, route, "phone")


# Admin pages staff do not use: each object's history (django-simple-history's
# and Django's), the delete confirmations and the password form for another user.
ADMIN_NOT_OPENED = ("*_history", "*_delete", "*password*", "admin:app_list")


def _admin_add_beside_change(pages: dict[str, str]) -> set[str]:
    """An admin add form whose model's change form is opened: the same form."""
    return {
        route
        for route in pages
        if route.startswith("admin:")
        and route.endswith("_add")
        and route.removesuffix("_add") + "_change" in pages
    }


# drf-spectacular's Swagger UI and ReDoc, whole applications of their own; the
# page that asks a visitor to sign in first is ours and is checked.
THIRD_PARTY = {"api:docs", "api:redoc"}
# Parts of a page that htmx loads into it, never shown as a document of their own;
# axe checks them inside the page that holds them.
FRAGMENTS = {
    "partners:organisation_autocomplete": "the <option>s of a datalist",
}


def _skipped(role: str, route: str) -> bool:
    if route in THIRD_PARTY and role != "anonymous":
        return True
    if route in FRAGMENTS:
        return True
    if not route.startswith("admin:"):
        # The administrator's workspace is a senior manager's: walked as one.
        return role == "admin"
    return any(fnmatch(route, pattern) for pattern in ADMIN_NOT_OPENED)


def _answer_500(route) -> None:
    route.fulfill(
        status=500,
        body=loader.get_template("500.html").render(),
        content_type="text/html; charset=utf-8",
    )


def _error_pages(sample) -> dict[str, list[tuple[str, str]]]:
    """(address, label) of the error pages each role can meet."""
    organisation = sample.world.organisation
    return {
        "manager": [("/organisations/999999/", "404")],
        "analyst": [(f"/organisations/{organisation.pk}/edit/", "403")],
        "partner": [
            ("/portal/nothing-here/", "404"),
            ("/organisations/", "403"),
        ],
        "anonymous": [("/get-involved/nothing-here/", "404")],
    }


@pytest.mark.usefixtures("_serialized_on_connections")
def test_every_page_passes_axe_and_fits_a_phone(browser, live_server):
    started = time.monotonic()
    sample = sample_world()
    findings = Findings()
    clients: dict[str, Client | None] = {"anonymous": None}
    for role, user in sample.users.items():
        clients[role] = VerifiedClient()
        clients[role].force_login(user)
    # Signed in with a password only: the second factor's page.
    halfway = Client()
    authenticator_for(sample.users["senior"])
    halfway.force_login(sample.users["senior"])
    clients["password only"] = halfway
    starts = dict(sample.starts, **{"password only": ["/accounts/two-factor/"]})
    errors = _error_pages(sample)

    only = os.environ.get("CEOP_AXE_ROLES")  # e.g. "manager,partner" while fixing
    for role, client in clients.items():
        if only and role not in only.split(","):
            continue
        if role == "password only":
            pages = {"two_factor_verify": "/accounts/two-factor/"}
        else:
            pages = walk(client or VerifiedClient(), starts[role]).pages
        context = _context(browser, live_server, client)
        tab = context.new_page()
        same_form = _admin_add_beside_change(pages)
        for route, address in sorted(pages.items()):
            if _skipped(role, route) or route in same_form:
                continue
            _visit(tab, findings, role, address, route)
        for address, label in errors.get(role, []):
            _visit(tab, findings, role, address, f"error {label}")
        if role == "manager":
            # The 500 page stands alone (rendered with no context at all).
            tab.route("**/broken/", _answer_500)
            _visit(tab, findings, role, "/broken/", "error 500")
        context.close()

    seconds = time.monotonic() - started
    SHOTS.mkdir(parents=True, exist_ok=True)
    report = SHOTS / "axe-report.json"
    report.write_text(
        json.dumps(findings.__dict__ | {"seconds": seconds}, indent=1, default=str)
    )
    summary = "\n".join(
        f"{v['role']} {v['width']} {v['route']} {v['url']}: {v['rule']} "
        f"({v['help']}) at {v['target']}"
        for v in findings.violations[:60]
    )
    assert not findings.violations, (
        f"{len(findings.violations)} axe violations on {findings.pages} page views "
        f"in {seconds:.0f}s (all in {report}):\n{summary}"
    )
    assert not findings.overflows, json.dumps(findings.overflows, indent=1)
    if not only:
        assert findings.pages > 200, findings.pages
