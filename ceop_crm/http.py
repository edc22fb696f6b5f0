"""What the project reads from an HTTP request in more than one place."""

from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address of the client as the web server saw it (REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"
