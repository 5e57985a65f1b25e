"""Schemathesis over the committed OpenAPI document, through the WSGI app (no network): no
server errors, every answer as documented, and the key really required where declared."""

import json
from pathlib import Path

import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from backoffice.wsgi import application

schema = schemathesis.openapi.from_dict(
    json.loads((Path(settings.BASE_DIR) / "api" / "openapi.json").read_text(encoding="utf-8"))
)
schema.app = application


@pytest.fixture
def keep_the_test_transaction():
    """The WSGI app closes the connection after each request (close_old_connections), which
    would end the test's transaction; Django's own test client switches that off the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def municipality_key(reports, key_for, settings, keep_the_test_transaction):
    settings.API_KEY_RATE = "100000/min"
    return key_for(None)


@schema.parametrize()
@hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_answers_as_its_document_says(case, municipality_key):
    case.call_and_validate(headers={"Authorization": f"Api-Key {municipality_key}"})
