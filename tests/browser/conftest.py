"""Shared Playwright fixtures: Debian's Chromium driving pytest-django's live server.

Browser tests are marked `browser` and use the database with
`@pytest.mark.django_db(transaction=True, serialized_rollback=True)` (see
`BROWSER_DB`): the live server runs in another thread with its own connection,
so the test's data must be committed, and a transactional test flushes every
table afterwards. Serialized rollback brings back the reference data of the data
migrations (tiers, principles, priority areas, staff groups) at the start of such
a test; the `pytest_runtest_teardown` hook below also loads it again after each
browser test, so any test that runs later in the session still finds it.

Without /usr/bin/chromium the tests are skipped, unless CEOP_REQUIRE_BROWSER=1
(as in CI, whose .ci/run installs Chromium with apt), where they fail.
"""

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test's thread; the ORM calls the
# tests make between browser steps are still plain synchronous code.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("CEOP_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SHOTS = Path(os.environ.get("CEOP_BROWSER_SHOTS", "/tmp/browser-shots"))  # noqa: S108
PASSWORD = "correct-horse-battery"  # tests/factories.py UserFactory's password
TIMEOUT_MS = 15_000

BROWSER_DB = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _browser_required() -> bool:
    return os.environ.get("CEOP_REQUIRE_BROWSER", "") not in ("", "0", "false")


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        reason = (
            f"{CHROMIUM} is missing: install Debian's Chromium "
            "(apt-get install -y chromium) to run the browser tests"
        )
        if _browser_required():
            pytest.fail(f"CEOP_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    return CHROMIUM


# The test database's contents after migrations, by alias (see _keep_reference_data).
_SERIALIZED: dict[str, str] = {}


def _keep_reference_data() -> None:
    """Keep the serialized reference data while Django's connections can see it.

    While Playwright's sync API is running, an asyncio loop runs in this thread, so
    asgiref gives the test other connection objects than the ones the test database
    was created (and serialized) with; they do not carry the serialized contents.
    """
    from django.db import connections

    for connection in connections.all():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents:
            _SERIALIZED[connection.alias] = contents


@pytest.fixture(scope="module")
def browser(chromium_path: Path, django_db_setup) -> Iterator:
    """Chromium for one test module.

    Not for the whole session: while Playwright runs, an event loop runs in this
    thread and asgiref hands out the connection objects of the loop's context;
    the tests after the browser tests run as usual, without it.
    """
    from django.db import connections
    from playwright.sync_api import sync_playwright

    _keep_reference_data()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(chromium_path), args=LAUNCH_ARGS
        )
        yield chromium
        chromium.close()
        # Connections opened while the loop ran; nothing else would close them.
        connections.close_all()


@dataclass
class PageProblems:
    """What went wrong in the page beside the test's own assertions."""

    failed_responses: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.failed_responses or self.script_errors or self.csp_violations)


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def _serialized_on_connections(browser) -> None:
    """Give this test's connections the serialized contents, so that the flush
    after the test leaves content types alone for the restore to put back."""
    from django.db import connections

    for alias, contents in _SERIALIZED.items():
        connections[alias]._test_serialized_contents = contents


@pytest.fixture
def browser_context(browser, live_server, _serialized_on_connections) -> Iterator:
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        timezone_id="Europe/London",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.fixture
def page(browser_context, page_problems: PageProblems, request) -> Iterator:
    """A fresh tab on the live server; static files that fail to load and script
    errors are collected in `page_problems`. A failed test leaves a screenshot of
    where the tab was in /tmp/browser-shots/."""
    tab = browser_context.new_page()

    def on_response(response) -> None:
        if response.status >= 400 and "/static/" in response.url:
            page_problems.failed_responses.append(f"{response.status} {response.url}")

    def on_console(message) -> None:
        # Chromium reports each thing the Content-Security-Policy blocked here.
        if "Content Security Policy" in message.text:
            page_problems.csp_violations.append(f"{tab.url}: {message.text}")

    tab.on("response", on_response)
    tab.on("pageerror", lambda error: page_problems.script_errors.append(str(error)))
    tab.on("console", on_console)
    yield tab
    if request.node.stash.get(_CALL_FAILED, False):
        SHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_-]+", "_", request.node.name)
        tab.screenshot(path=str(SHOTS / f"{name}-FAILED.png"), full_page=True)
    tab.close()


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable]:
    """Open another signed-out browser (its own cookies), e.g. for a second user."""
    contexts = []

    def make():
        context = browser.new_context(
            base_url=live_server.url, locale="en-GB", timezone_id="Europe/London"
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def shot(request) -> Callable:
    """shot(page, "step") saves /tmp/browser-shots/<test>-NN-step.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    test_name = re.sub(r"[^A-Za-z0-9_-]+", "_", request.node.name)
    counter = iter(range(1, 100))

    def take(tab, step: str, *, full_page: bool = True) -> Path:
        path = SHOTS / f"{test_name}-{next(counter):02d}-{step}.png"
        tab.screenshot(path=str(path), full_page=full_page)
        return path

    return take


def sign_in(tab, username: str, password: str = PASSWORD) -> None:
    """Sign in through the styled sign-in page, then the second factor as a
    person would: set up an authenticator from the key the page shows (first
    time), or type the code the authenticator shows now."""
    tab.goto("/accounts/login/")
    tab.get_by_label("Username").fill(username)
    tab.get_by_label("Password").fill(password)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url(lambda url: "/accounts/login/" not in url)
    pass_second_factor(tab, username)


def pass_second_factor(tab, username: str) -> None:
    """On the set-up or verify page, do what it asks; elsewhere, nothing."""
    from base64 import b32decode

    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.clients import totp_code

    if "/accounts/two-factor/set-up/" in tab.url:
        secret = tab.locator(".totp-secret").get_attribute("data-secret")
        key = b32decode(secret + "=" * (-len(secret) % 8))
        tab.get_by_role("textbox", name="Code").fill(f"{TOTP(key).token():06d}")
        tab.get_by_role("button", name="Turn on two-step sign-in").click()
        tab.get_by_role("link", name="I have saved them, continue").click()
    elif "/accounts/two-factor/" in tab.url:
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        tab.get_by_label("Code from your authenticator app").fill(totp_code(device))
        tab.get_by_role("button", name="Continue").click()
    else:
        return
    tab.wait_for_url(lambda url: "/accounts/two-factor/" not in url)


def runs_after_browser_tests(test):
    """Place a test right after the last browser test of the session."""
    test.runs_after_browser_tests = True
    return test


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """After pytest-django's ordering (database tests, then transactional ones,
    then the rest), move the marked checks to just after the last browser test."""
    checks = [
        item
        for item in items
        if getattr(getattr(item, "function", None), "runs_after_browser_tests", False)
    ]
    if not checks:
        return
    rest = [item for item in items if item not in checks]
    browser_positions = [
        index for index, item in enumerate(rest) if item.get_closest_marker("browser")
    ]
    if not browser_positions:
        return
    after = browser_positions[-1] + 1
    items[:] = rest[:after] + checks + rest[after:]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """After a transactional test's database flush, load the reference data again."""
    result = yield
    # With no next item the test database is already gone: nothing to restore.
    if nextitem is not None and _transactional(item) and _SERIALIZED:
        _restore_reference_data(item.config)
    return result


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or (
        "live_server" in getattr(item, "fixturenames", ())
    )


def _restore_reference_data(config: pytest.Config) -> None:
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    with config.stash[blocking_manager_key].unblock():
        for alias, contents in _SERIALIZED.items():
            connections[alias].creation.deserialize_db_from_string(contents)
        connections.close_all()
