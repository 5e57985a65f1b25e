"""One error format for the whole API: application/problem+json (RFC 9457)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: "Ongeldige invoer",
    401: "Niet aangemeld",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    406: "Formaat niet beschikbaar",
    415: "Mediatype niet ondersteund",
    429: "Te veel verzoeken",
}


def problem_exception_handler(exc, context):
    if isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    code = response.status_code
    body = {
        "type": "about:blank",
        "title": TITLES.get(code, "Fout"),
        "status": code,
        "instance": context["request"].path if context.get("request") else None,
    }
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        body["detail"] = "Een of meer velden zijn ongeldig."
        body["invalidParams"] = _invalid_params(data)
    elif isinstance(data, dict) and "detail" in data:
        body["detail"] = str(data["detail"])
    return Response(
        body,
        status=code,
        content_type=PROBLEM_CONTENT_TYPE,
        headers={k: v for k, v in response.items() if k in ("WWW-Authenticate", "Retry-After")},
    )


def _invalid_params(data, prefix=""):
    params = []
    if isinstance(data, dict):
        for key, value in data.items():
            params.extend(_invalid_params(value, f"{prefix}{key}."))
    elif isinstance(data, list) and data and all(isinstance(i, str) for i in data):
        for reason in data:
            params.append({"name": prefix.rstrip(".") or "detail", "reason": str(reason)})
    elif isinstance(data, list):
        for index, value in enumerate(data):
            params.extend(_invalid_params(value, f"{prefix}{index}."))
    else:
        params.append({"name": prefix.rstrip(".") or "detail", "reason": str(data)})
    return params


__all__ = ["PROBLEM_CONTENT_TYPE", "problem_exception_handler", "status"]
