"""Requests per key per window (settings.API_KEY_RATE, e.g. "600/min"): 429 + Retry-After.

DRF's throttle interface, counted in the database (`reporting.services.key_request_count`):
a count in each process's own cache would give every key its rate once per server process.
"""

from django.conf import settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from backoffice.reporting import services


class PerKeyThrottle(BaseThrottle):
    def allow_request(self, request, view):
        key = getattr(request, "auth", None)
        if key is None:  # no key: the permission check has answered 401 already
            return True
        allowed, seconds = SimpleRateThrottle.parse_rate(None, settings.API_KEY_RATE)
        requests, self.remaining = services.key_request_count(key=key, window_seconds=seconds)
        return requests <= allowed

    def wait(self):
        return max(1.0, self.remaining)
