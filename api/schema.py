"""The OpenAPI document's house rules, applied after drf-spectacular generates it.

Every operation declares the `API-Version` header on every response and the problem+json
errors it can answer (400, 401, 404, 429, 500). tests/api/test_design_rules.py checks the
committed document (api/openapi.json) against the API Design Rules.
"""

from api.middleware import API_VERSION

PROBLEM = "application/problem+json"
ERRORS = {
    "400": "Ongeldige invoer: alle fouten staan in invalidParams.",
    "401": "Geen, een onbekende, ingetrokken of verlopen API-sleutel.",
    "404": "Bestaat niet, of valt buiten het bereik van de sleutel.",
    "429": "Te veel verzoeken; probeer het na Retry-After seconden opnieuw.",
    "500": "Fout aan de kant van Buurtkas.",
}


def design_rules_hook(result, generator, request, public):
    components = result.setdefault("components", {})
    components.setdefault("headers", {})["API-Version"] = {
        "description": "De volledige versie van de API (semver).",
        "schema": {"type": "string", "example": API_VERSION},
        "required": True,
    }
    components.setdefault("schemas", {})["Problem"] = {
        "type": "object",
        "description": "Een fout volgens RFC 9457.",
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "instance": {"type": "string", "nullable": True},
            "invalidParams": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"name": {"type": "string"}, "reason": {"type": "string"}},
                    "required": ["name", "reason"],
                },
            },
        },
        "required": ["title", "status"],
    }
    header = {"API-Version": {"$ref": "#/components/headers/API-Version"}}
    retry = {
        "Retry-After": {
            "description": "Seconden tot een nieuw verzoek mag.",
            "schema": {"type": "integer"},
        }
    }
    for _path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERRORS.items():
                responses[status] = {
                    "description": description,
                    "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
                }
            for status, response in responses.items():
                response["headers"] = {**header, **(retry if status == "429" else {})}
    return result
