"""The address a request really came from, for the login lockout.

Without a proxy in front of the application the socket's own address (REMOTE_ADDR) is the
only one to trust: anyone can send an X-Forwarded-For header. Behind N proxies that each
append the address they saw (nginx `proxy_add_x_forwarded_for`, most load balancers), the
client is the N-th address from the right of X-Forwarded-For; everything left of it was
written by the client and is ignored. N comes from DJANGO_TRUSTED_PROXY_COUNT.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < proxies:
        # A request that did not pass through every proxy: only the socket is known.
        return remote
    return _valid(forwarded[-proxies]) or remote
