"""The pages `make bench` times, and who requests each (see scripts/bench.py).

Each page is requested as the person who uses it: the demo relationship
manager's signed-in session for the workspace, the demo partner user's for the
portal, the administrator's for the admin (both with the second factor passed),
and a bearer token of the manager for the API. ``prepare`` runs inside Django
(production settings, the benchmark's database): it makes the demo users, signs
them in and chooses the URLs, and returns what an HTTP client needs to be them.
"""

from __future__ import annotations

from dataclasses import dataclass

REPORT_SLUGS = (
    "partners-by-tier",
    "reviews",
    "mous",
    "contacts",
    "priority-coverage",
    "annual-review",
)
# A place name that many demo organisations carry (partners/demo/names.py).
SEARCH_WORD = "Meadow"
LIST_QUERY = "tier=partner&mou=in_force"
LIST_SORTED_QUERY = "tier=partner&mou=in_force&sort=next_review"
ADMIN_LISTS = {
    "admin_organisations": ("admin: organisations", "/admin/partners/organisation/"),
    "admin_contacts": ("admin: contacts", "/admin/partners/contact/"),
    "admin_reviews": ("admin: reviews", "/admin/planning/review/"),
    "admin_reminders": ("admin: reminders", "/admin/planning/reminder/"),
}


@dataclass(frozen=True)
class Page:
    name: str
    label: str
    who: str  # "staff", "partner", "admin" (a session) or "api" (a token)
    baseline: bool = False


PAGES: tuple[Page, ...] = (
    Page("trivial", "baseline: trivial view", "staff", baseline=True),
    Page("orm", "baseline: 20 ORM rows + template", "staff", baseline=True),
    Page("drf", "baseline: plain DRF list (50)", "api", baseline=True),
    Page("dashboard", "dashboard", "staff"),
    Page("organisation_list", "organisation list, filtered", "staff"),
    Page("organisation_list_sorted", "  same, by next review due", "staff"),
    Page("organisation_list_search", "organisation list, searched", "staff"),
    Page("organisation_detail", "organisation page", "staff"),
    Page("review_list", "reviews", "staff"),
    Page("tier_change_list", "tier moves", "staff"),
    Page("proposal_list", "proposals", "staff"),
    Page("report_list", "reports", "staff"),
    *(Page(f"report_{slug}", f"report: {slug}", "staff") for slug in REPORT_SLUGS),
    Page("portal_home", "portal home", "partner"),
    Page("portal_support", "portal support", "partner"),
    Page("api_organisation_list", "API organisation list (50)", "api"),
    Page("api_organisation_detail", "API organisation detail", "api"),
    *(Page(name, label, "admin") for name, (label, _) in ADMIN_LISTS.items()),
)
BY_NAME = {page.name: page for page in PAGES}
LABELS = {page.name: page.label for page in PAGES}
# The load run's mix: what staff and partner users open in a working session.
LOAD_STAFF_PAGES = (
    "dashboard",
    "organisation_list",
    "organisation_list_sorted",
    "organisation_list_search",
    "organisation_detail",
    "review_list",
    "tier_change_list",
    "proposal_list",
    "report_list",
    "report_partners-by-tier",
)
LOAD_PARTNER_PAGES = ("portal_home", "portal_support")


def choose_urls() -> dict[str, str]:
    """Every page's URL in the current database (inside Django)."""
    from django.contrib.auth import get_user_model

    from partners.models import Organisation
    from tiers.models import Association

    manager = get_user_model().objects.get(username="manager")
    current = Association.objects.filter(end__isnull=True)
    detail = (
        Organisation.objects.filter(
            owner=manager,
            associations__in=current.filter(tier__code="strategic-partner"),
        )
        .order_by("name")
        .first()
        or Organisation.objects.order_by("name").first()
    )
    urls = {
        "trivial": "/bench/trivial/",
        "orm": "/bench/orm/",
        "drf": "/bench/api/organisations/",
        "dashboard": "/",
        "organisation_list": f"/organisations/?{LIST_QUERY}",
        "organisation_list_sorted": f"/organisations/?{LIST_SORTED_QUERY}",
        "organisation_list_search": f"/organisations/?q={SEARCH_WORD}",
        "organisation_detail": f"/organisations/{detail.pk}/",
        "review_list": "/reviews/",
        "tier_change_list": "/tier-moves/",
        "proposal_list": "/proposals/",
        "report_list": "/reports/",
        "portal_home": "/portal/",
        "portal_support": "/portal/support/",
        "api_organisation_list": "/api/v1/organisations/",
        "api_organisation_detail": f"/api/v1/organisations/{detail.pk}/",
    }
    urls.update({f"report_{slug}": f"/reports/{slug}/" for slug in REPORT_SLUGS})
    urls.update({name: url for name, (_, url) in ADMIN_LISTS.items()})
    if set(urls) != set(BY_NAME):
        raise SystemExit(f"Pages without a URL: {set(urls) ^ set(BY_NAME)}")
    return {"detail": detail.name, "urls": urls}


def _verified_session(client, user) -> None:
    """Sign in as the user with the second factor passed, as tests/clients.py does."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def sign_in(sessions: int = 1) -> dict[str, list[dict]]:
    """Demo users signed in (inside Django): for each kind of user, ``sessions``
    credentials an HTTP client sends as cookies or headers, and a test client."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from ceop_crm.api.services import api_token_create
    from partners.demo.users import demo_users_ensure

    demo_users_ensure()
    users = get_user_model().objects
    kinds = {
        "staff": ["manager", "senior", "analyst"],
        "partner": ["partner"],
        "admin": ["admin"],
    }
    credentials: dict[str, list[dict]] = {kind: [] for kind in (*kinds, "api")}
    for kind, usernames in kinds.items():
        for index in range(sessions):
            user = users.get(username=usernames[index % len(usernames)])
            client = Client(SERVER_NAME="127.0.0.1")
            _verified_session(client, user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            credentials[kind].append(
                {
                    "username": user.username,
                    "cookies": {settings.SESSION_COOKIE_NAME: cookie},
                    "headers": {},
                    "client": client,
                }
            )
    manager = users.get(username="manager")
    _, raw = api_token_create(user=manager, name="make bench", actor=None)
    client = Client(SERVER_NAME="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {raw}")
    credentials["api"].append(
        {
            "username": manager.username,
            "cookies": {},
            "headers": {"Authorization": f"Bearer {raw}"},
            "client": client,
        }
    )
    return credentials


def without_clients(credentials: dict[str, list[dict]]) -> dict[str, list[dict]]:
    return {
        kind: [{k: v for k, v in c.items() if k != "client"} for c in items]
        for kind, items in credentials.items()
    }
