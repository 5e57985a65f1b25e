"""The committed OpenAPI document (api/openapi.json) equals what the code generates, and it
follows the API Design Rules we hold it to (checks written here, not a third-party linter)."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from drf_spectacular.generators import SchemaGenerator

DOCUMENT = Path(settings.BASE_DIR) / "api" / "openapi.json"
KEBAB_SEGMENT = re.compile(r"^([a-z0-9]+(-[a-z0-9]+)*|\{[a-z][a-zA-Z0-9]*\}|openapi\.json)$")
CAMEL = re.compile(r"^[a-z][a-zA-Z0-9]*$")
METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


@pytest.fixture(scope="module")
def document():
    return json.loads(DOCUMENT.read_text(encoding="utf-8"))


def _operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def test_the_committed_document_has_not_drifted_from_the_code(document):
    generated = SchemaGenerator().get_schema(request=None, public=True)
    generated = json.loads(json.dumps(generated, default=str))
    assert generated == document, (
        "api/openapi.json is out of date: run `make openapi` and commit the result."
    )


def test_every_path_carries_the_major_version_and_is_kebab_case(document):
    assert document["paths"]
    for path in document["paths"]:
        assert path.startswith("/api/v1/"), path
        assert not path.endswith("/"), path
        for segment in path.split("/")[1:]:
            assert KEBAB_SEGMENT.match(segment), f"{path}: {segment}"


def test_every_response_declares_the_api_version_header(document):
    assert re.fullmatch(r"\d+\.\d+\.\d+", document["info"]["version"])
    header = document["components"]["headers"]["API-Version"]
    assert header["required"] is True
    for path, method, operation in _operations(document):
        for status, response in operation["responses"].items():
            assert "API-Version" in response.get("headers", {}), f"{method} {path} {status}"


def test_every_error_is_problem_json(document):
    for path, method, operation in _operations(document):
        statuses = set(operation["responses"])
        assert {"400", "401", "404", "429", "500"} <= statuses, f"{method} {path}"
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                assert set(response["content"]) == {"application/problem+json"}, (
                    f"{method} {path} {status}"
                )
        assert "Retry-After" in operation["responses"]["429"]["headers"]


def test_query_parameters_are_camel_case(document):
    seen = set()
    for path, method, operation in _operations(document):
        for parameter in operation.get("parameters", []):
            if parameter["in"] in ("query", "path"):
                assert CAMEL.match(parameter["name"]), f"{method} {path} {parameter['name']}"
                seen.add(parameter["name"])
    assert {"page", "pageSize", "includeSuperseded", "reportId"} <= seen


def test_contact_information_and_the_rules_for_clients_are_stated(document):
    contact = document["info"]["contact"]
    assert contact["name"] and contact["email"] and contact["url"]
    description = document["info"]["description"]
    for phrase in ("onder de **5**", "SHA-256", "Uitfasering", "problem+json", "Retry-After"):
        assert phrase in description, phrase


def test_only_reading_is_offered_and_a_key_is_required(document):
    assert document["components"]["securitySchemes"]["apiKey"]["type"] == "apiKey"
    for path, method, operation in _operations(document):
        assert method == "get", f"{method} {path}"
        assert {"apiKey": []} in operation["security"], path
