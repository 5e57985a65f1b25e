"""The coordinator's report and key pages, and a group's own view with its correction request."""

import datetime as dt

import pytest
import time_machine

from backoffice.reporting.models import (
    ClientKey,
    CorrectionRequest,
    MunicipalClient,
    ReportSnapshot,
)
from tenants.facade import Municipality
from tests.api.conftest import AFTER_Q3, api
from tests.conftest import group_path

PAGES = [
    "/ondersteuning/rapportages/",
    "/ondersteuning/rapportages/afnemers/",
]


@pytest.mark.parametrize("who", ["treasurer", "support", "outsider"])
def test_report_pages_are_for_coordinators_only(world, client_as, who):
    client = client_as(who)
    for url in PAGES:
        assert client.get(url).status_code == 403, url
    assert client.post(PAGES[0], {"period": "2026-Q3"}).status_code == 403
    assert client.post("/ondersteuning/rapportages/sleutels/abc/intrekken/").status_code == 403
    assert not ReportSnapshot.objects.exists()


@time_machine.travel(AFTER_Q3, tick=False)
def test_the_coordinator_makes_and_corrects_reports_with_a_button(world, client_as, reports):
    client = client_as("coordinator")
    response = client.post(PAGES[0], {"period": "2026-Q3"}, follow=True)
    assert "0 rapportage(s) gemaakt." in response.content.decode()  # all districts have one
    refused = client.post(PAGES[0], {"period": "2026-Q4"})
    assert "nog niet voorbij" in refused.content.decode()
    current = reports["zuidoost-v2"]
    client.post(f"/ondersteuning/rapportages/{current.pk}/corrigeren/", {"reason": "Typfout"})
    newest = ReportSnapshot.objects.get(supersedes=current)
    assert (newest.version, newest.reason) == (3, "Typfout")
    page = client.get(PAGES[0]).content.decode()
    assert newest.sha256 in page and "vervangen" in page


def test_the_coordinator_creates_rotates_and_revokes_keys(world, client_as, reports):
    client = client_as("coordinator")
    amsterdam = Municipality.objects.get(code="0363")
    client.post(PAGES[1], {"name": "Gemeente Amsterdam, OIS", "municipality": amsterdam.pk})
    afnemer = MunicipalClient.objects.get(name="Gemeente Amsterdam, OIS")
    assert afnemer.history.first().history_user == world.users["coordinator"]
    shown = client.post(f"/ondersteuning/rapportages/afnemers/{afnemer.pk}/sleutel/")
    key = ClientKey.objects.get(client=afnemer)
    raw = shown.context["raw"]
    assert raw.startswith(key.prefix) and raw in shown.content.decode()
    assert key.hashed_key and raw not in key.hashed_key
    assert raw not in client.get(PAGES[1]).content.decode()  # shown once, never again
    assert api(raw).get("/api/v1/reports").status_code == 200
    with time_machine.travel(dt.datetime(2026, 11, 1, tzinfo=dt.UTC), tick=False):
        rotated = client.post(f"/ondersteuning/rapportages/sleutels/{key.prefix}/vervangen/")
        new_raw = rotated.context["raw"]
    key.refresh_from_db()
    assert key.expiry_date == dt.datetime(2026, 11, 8, tzinfo=dt.UTC)
    client.post(f"/ondersteuning/rapportages/sleutels/{key.prefix}/intrekken/")
    assert api(raw).get("/api/v1/reports").status_code == 401
    assert api(new_raw).get("/api/v1/reports").status_code == 200
    assert "ingetrokken" in client.get(PAGES[1]).content.decode()


def test_a_group_sees_its_report_and_asks_for_a_correction(world, client_as, reports):
    url = group_path(world.group_a, "rapportage/")
    treasurer = client_as("treasurer")
    page = treasurer.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "100.10" in text and "Verstuurde rapportages" in text
    assert "niet genoemd" in text  # three board members are not reported
    # beyond money: initiatives, the kascommissie of the last year that ended, accountability
    assert "Initiatieven ingediend" in text and "Kascommissie over 2025" in text
    assert "nog niet aan de orde" in text  # the 2026 grant runs on after Q3
    snapshot = reports["zuidoost-v2"]
    treasurer.post(url, {"report": snapshot.pk, "note": "De koffie was 10,10"})
    request = CorrectionRequest.objects.get(group=world.group_a)
    assert (request.snapshot, request.note) == (snapshot, "De koffie was 10,10")
    # a plain member sees the report but cannot ask
    member = client_as("member")
    assert "Vraag een correctie" not in member.get(url).content.decode()
    member.post(url, {"report": snapshot.pk, "note": "x"})
    assert CorrectionRequest.objects.filter(group=world.group_a).count() == 1
    # the coordinator sees the request and handles it
    coordinator = client_as("coordinator")
    assert "De koffie was 10,10" in coordinator.get(PAGES[0]).content.decode()
    coordinator.post(f"/ondersteuning/rapportages/verzoeken/{request.pk}/afgehandeld/")
    request.refresh_from_db()
    assert request.status == "afgehandeld"
    assert request.history.count() == 2
    # the note never reaches the municipality
    assert "koffie was" not in api_text(reports)


def api_text(reports) -> str:
    from backoffice.reporting import services

    client = services.client_create(
        user=None, name="scan", municipality=Municipality.objects.get(code="0363")
    )
    _key, raw = services.key_create(client=client, user=type("U", (), {"pk": None})())
    c = api(raw)
    return "".join(
        c.get(f"/api/v1/reports/{r.pk}").content.decode() for r in ReportSnapshot.objects.all()
    )
