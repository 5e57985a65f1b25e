"""Requests per key per window (settings.API_KEY_RATE, e.g. "600/min"): 429 + Retry-After.

DRF's throttle, with its rate parsing, counted in the database
(`reporting.services.key_request_count`): a count in each process's own cache would give
every key its rate once per server process.
"""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from backoffice.reporting import services


class PerKeyThrottle(SimpleRateThrottle):
    def get_rate(self):
        return settings.API_KEY_RATE

    def allow_request(self, request, view):
        key = getattr(request, "auth", None)
        if key is None:  # no key: the permission check has answered 401 already
            return True
        requests, self.seconds_left = services.key_request_count(
            key=key, window_seconds=self.duration
        )
        return requests <= self.num_requests

    def wait(self):
        return self.seconds_left
