"""API keys of municipal clients: `Authorization: Api-Key <key>` (or `X-Api-Key: <key>`).

A missing, unknown, revoked or expired key is a 401 problem+json with a WWW-Authenticate
header; the key's client decides the scope (api/scoping.py).
"""

from dataclasses import dataclass

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from backoffice.reporting import selectors

KEYWORD = "Api-Key"


@dataclass(frozen=True)
class ApiClient:
    """The principal of a request with a valid key (not a person)."""

    client: object
    key: object
    is_authenticated: bool = True
    is_active: bool = True
    pk: None = None

    def __str__(self):
        return str(self.client)


def raw_key(request) -> str:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header[: len(KEYWORD) + 1].lower() == f"{KEYWORD.lower()} ":
        return header[len(KEYWORD) + 1 :].strip()
    return request.META.get("HTTP_X_API_KEY", "").strip()


class ClientKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        raw = raw_key(request)
        if not raw:
            return None
        key = selectors.key_of(raw)
        if key is None:
            raise exceptions.AuthenticationFailed(
                "De API-sleutel is onbekend, ingetrokken of verlopen."
            )
        request._request.api_key = key  # for the request log (api/middleware.py)
        return ApiClient(client=key.client, key=key), key

    def authenticate_header(self, request):
        return KEYWORD


class ClientKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ClientKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "Een API-sleutel per gemeentelijke afnemer, als `Authorization: Api-Key "
                "<sleutel>`. De coördinator maakt, vervangt en trekt sleutels in."
            ),
        }
