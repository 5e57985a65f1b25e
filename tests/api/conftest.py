"""API fixtures: reports over 2026-Q3 for group A (Zuidoost) and B (Nieuw-West), and keys."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django_tenants.utils import tenant_context

from backoffice.reporting import services
from tenants.facade import MunicipalDistrict, Municipality
from tests.tenants.test_figures import _book_a_quarter

AFTER_Q3 = dt.datetime(2026, 10, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reports(world, users):
    with tenant_context(world.group_a):
        _book_a_quarter(users["treasurer"])
    connection.set_schema_to_public()
    with time_machine.travel(AFTER_Q3, tick=False):
        made = services.reports_generate(period_code="2026-Q3", user=users["coordinator"])
        by_code = {r.district.code: r for r in made}
        by_code["zuidoost-v2"] = services.report_correct(
            snapshot=by_code["zuidoost"], user=users["coordinator"], reason="Bon nagekomen"
        )
    return by_code


@pytest.fixture
def key_for(users):
    """key_for("zuidoost") -> plain key of a client scoped to that district; None: Amsterdam."""

    def make(district_code=None):
        amsterdam = Municipality.objects.get(code="0363")
        district = MunicipalDistrict.objects.get(code=district_code) if district_code else None
        client = services.client_create(
            user=users["coordinator"],
            name=f"Afnemer {district_code or 'gemeente'}",
            municipality=amsterdam,
            district=district,
        )
        key, raw = services.key_create(client=client, user=users["coordinator"])
        return raw

    return make


def api(raw=None) -> Client:
    return Client(headers={"Authorization": f"Api-Key {raw}"} if raw else {})
