"""Throttling per token (or per user for the browser session), in the shared cache."""

from django.core.cache import caches
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from ceop_crm.api.models import ApiToken


class ApiRateThrottle(SimpleRateThrottle):
    """Each token has its own budget; session users are counted per user,
    anonymous callers per address."""

    scope = "api"

    @property
    def cache(self):
        return caches["api"]

    def get_rate(self):
        # Read on each request so the rate follows the settings (and test overrides).
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def __init__(self):
        # Resolved per request in allow_request, see get_rate.
        pass

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str:
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"anon-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
