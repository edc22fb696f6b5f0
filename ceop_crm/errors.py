"""Error pages in the layout of the part of the site they answer for.

A page under /portal/ (or any page a partner account asks for) gets the portal's
layout, /get-involved/ the public one, everything else the staff workspace's;
each says what happened and offers a way back. The 500 page is 500.html,
rendered by Django with no context at all, so it stands alone.
"""

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template import loader

from ceop_crm.roles import is_partner_account

PORTAL, PUBLIC, STAFF = "portal", "public", "staff"


def audience(request: HttpRequest) -> str:
    path = request.path
    if path.startswith("/portal/"):
        return PORTAL
    if path.startswith("/get-involved/"):
        return PUBLIC
    user = getattr(request, "user", None)
    if user is not None and is_partner_account(user):
        return PORTAL
    return STAFF


LAYOUTS = {
    PORTAL: "portal/base.html",
    PUBLIC: "public/base.html",
    STAFF: "staff/base.html",
}
WAYS_BACK = {
    PORTAL: ("/portal/", "Back to your portal home"),
    PUBLIC: ("/get-involved/", "Back to CEOP's priorities"),
    STAFF: ("/", "Back to the dashboard"),
}


def _render(request, template: str, status: int, message: str = "") -> HttpResponse:
    who = audience(request)
    home, home_label = WAYS_BACK[who]
    context = {
        "layout": LAYOUTS[who],
        "home": home,
        "home_label": home_label,
        "message": message,
        "audience": who,
    }
    body = loader.get_template(template).render(context, request)
    return HttpResponse(body, status=status)


def bad_request(request, exception=None) -> HttpResponse:
    return _render(request, "400.html", 400, _said(exception))


def permission_denied(request, exception=None) -> HttpResponse:
    return _render(request, "403.html", 403, _said(exception))


def page_not_found(request, exception=None) -> HttpResponse:
    return _render(request, "404.html", 404)


def _said(exception) -> str:
    """What our own code said when it refused (BadRequest, PermissionDenied);
    never the text of other errors, which may quote the request."""
    if isinstance(exception, BadRequest | PermissionDenied):
        return str(exception)
    return ""
