"""The demo: Amsterdam with three districts, two periods with reports (one corrected), and
no answer or download of the API naming a demo member or holding their e-mail address."""

import io
import json
import re
import zipfile

from django_tenants.utils import tenant_context

from backoffice import demo
from backoffice.reporting.demo import CORRECTION_REASON, DEMO_KEY, demo_periods
from backoffice.reporting.models import ReportSnapshot
from groups.initiatives.models import Household, Initiative
from tests.api.conftest import api


def _fetch_everything(client) -> list[tuple[str, str]]:
    """Every API answer and download reachable from the lists, as text."""
    seen = []

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        if url.endswith("/xlsx"):
            with zipfile.ZipFile(io.BytesIO(response.content)) as book:
                text = "".join(book.read(n).decode("utf-8") for n in book.namelist())
        else:
            text = response.content.decode("utf-8")
        seen.append((url, text))
        return response

    get("/api/v1/openapi.json")
    get("/api/v1/docs")
    for resource in ("periods", "districts", "groups"):
        get(f"/api/v1/{resource}?pageSize=100")
    reports = get("/api/v1/reports?includeSuperseded=true&pageSize=100").json()["results"]
    for report in reports:
        for tail in ("", "/versions", "/group-summaries", "/csv", "/xlsx"):
            get(f"/api/v1/reports/{report['id']}{tail}")
    for period in client.get("/api/v1/periods").json()["results"]:
        get(f"/api/v1/periods/{period['code']}")
    return seen


def test_the_demo_reports_and_no_api_answer_names_a_member(world, key_for, settings):
    # given: the whole demo, loaded twice (idempotent)
    groups = demo.load()
    count = ReportSnapshot.objects.count()
    demo.load()
    assert ReportSnapshot.objects.count() == count
    # then: three districts of Amsterdam, two periods, one corrected report
    from django.utils import timezone

    periods = demo_periods(timezone.localdate())
    reports = ReportSnapshot.objects.filter(period__code__in=periods)
    assert {r.district.code for r in reports} >= {"zuidoost", "noord", "nieuw-west"}
    assert {r.period.code for r in reports} == set(periods)
    corrected = reports.get(version=2)
    assert corrected.reason == CORRECTION_REASON and corrected.supersedes.version == 1
    assert not settings.DEBUG and DEMO_KEY  # no fixed key outside development

    # when: everything the API offers is fetched with a municipality's key
    answers = _fetch_everything(api(key_for(None)))
    assert len(answers) > 20

    # then: no demo member's name, username or e-mail address is in any of it
    people = [p for spec in demo.GROUPS for p in spec["people"]]
    people += [demo.COORDINATOR, demo.SUPPORT_WORKER]
    needles = []
    for username, first, last, _role in people:
        needles += [f"{username}@demo.buurtkas.nl", f"{first} {last}"]
        needles.append(rf"\b{re.escape(last)}\b")
    # nor an initiator's name or e-mail address, nor a household's street, from the groups' books
    for group in groups:
        with tenant_context(group):
            for name, email in Initiative.objects.values_list("initiator_name", "initiator_email"):
                needles += [name, email]
            needles += list(Household.objects.values_list("street", flat=True).distinct())
    assert any("@" in n and not n.endswith("@demo.buurtkas.nl") for n in needles)  # initiators
    for url, text in answers:
        for needle in needles:
            found = re.search(needle, text) if needle.startswith(r"\b") else needle in text
            assert not found, f"{needle} in {url}"
    assert any(g.name in text for g in groups for _u, text in answers)  # groups are named
    # and the new figures are there to be scanned (format 2: initiatives, statuses, hours)
    latest = ReportSnapshot.objects.filter(period__code=periods[-1]).first()
    row = json.loads(latest.canonical)["groups"][0]
    assert {"initiatives", "auditCommittee", "accountability", "supportHoursByOffering"} <= set(row)
