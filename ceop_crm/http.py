"""What the project reads from an HTTP request in more than one place."""

from axes.helpers import get_client_ip_address
from django.core.exceptions import BadRequest
from django.http import HttpRequest, JsonResponse


def client_address(request: HttpRequest) -> str:
    """The client's address as the sign-in lockout sees it: REMOTE_ADDR, or the
    entry a declared proxy added to X-Forwarded-For (DJANGO_TRUSTED_PROXY_COUNT),
    never a header a client could set on its own."""
    return get_client_ip_address(request) or "unknown"


NUL_REFUSED = "A NUL character is not allowed in any field or query parameter."
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _holds_nul(data) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in data.getlist(key))
        for key in data
    )


class RefuseNulMiddleware:
    """A 400 for a NUL character in a query parameter or form field, on every
    page and endpoint at once: PostgreSQL refuses NUL in text, so it would
    otherwise reach the database as an error (a 500) wherever a view forgot."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if _holds_nul(request.GET) or (
            request.method == "POST"
            and request.content_type in FORM_TYPES
            and _holds_nul(request.POST)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": NUL_REFUSED}, status=400)
            raise BadRequest(NUL_REFUSED)
        return self.get_response(request)
