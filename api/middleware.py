"""Around every request under /api/: the API-Version header, CORS for reading, problem+json
for every error (also the ones Django answers itself, such as an unknown address), security
headers, and one row in the request log (client, resource, time, result)."""

import json
import logging

from django.http import HttpResponse

from api.errors import PROBLEM_CONTENT_TYPE, TITLES

API_VERSION = "1.1.0"
READ_METHODS = ("GET", "HEAD", "OPTIONS")
EXPOSED = "API-Version, Retry-After, Content-Disposition"

logger = logging.getLogger("buurtkas.api")


def problem_response(request, status: int, detail: str = "") -> HttpResponse:
    body = {
        "type": "about:blank",
        "title": TITLES.get(status, "Serverfout" if status >= 500 else "Fout"),
        "status": status,
        "detail": detail or ("Er ging iets mis aan onze kant." if status >= 500 else ""),
        "instance": request.path.replace("\x00", ""),
    }
    return HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_CONTENT_TYPE)


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        if request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ", ".join(READ_METHODS)
            response["Access-Control-Allow-Headers"] = "Authorization, X-Api-Key, Accept"
            response["Access-Control-Max-Age"] = "3600"
        else:
            response = self.get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(
            PROBLEM_CONTENT_TYPE
        ):
            retry = response.get("Retry-After")
            response = problem_response(request, response.status_code)
            if retry:
                response["Retry-After"] = retry
        response["API-Version"] = API_VERSION
        if request.method in READ_METHODS:
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = EXPOSED
        response.setdefault("Cache-Control", "no-store")
        response["X-Content-Type-Options"] = "nosniff"
        self._log(request, response)
        return response

    @staticmethod
    def _log(request, response) -> None:
        from backoffice.reporting.models import ApiRequestLog

        key = getattr(request, "api_key", None)
        match = getattr(request, "resolver_match", None)
        try:
            ApiRequestLog.objects.create(
                client_id=key.client_id if key else None,
                key_prefix=key.prefix if key else "",
                method=request.method[:8],
                path=request.path.replace("\x00", "")[:300],
                resource=(match.view_name if match else "")[:80],
                status=response.status_code,
            )
        except Exception:  # noqa: BLE001 - a log row must never turn an answer into a 500
            logger.exception("API request log not written")
