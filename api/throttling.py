"""Requests per key per minute (settings.API_KEY_RATE, e.g. "600/min"): 429 + Retry-After."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class PerKeyThrottle(SimpleRateThrottle):
    scope = "api-key"

    def get_rate(self):
        return settings.API_KEY_RATE

    def get_cache_key(self, request, view):
        key = getattr(request, "auth", None)
        ident = f"key-{key.pk}" if key is not None else f"anon-{self.get_ident(request)}"
        return f"throttle-{self.scope}-{ident}"
