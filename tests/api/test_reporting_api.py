"""The reporting API: scope per key, keys that stop working, errors, throttling, downloads."""

import csv
import datetime as dt
import hashlib
import io
import json

import time_machine
from django.core.cache import cache
from django.test import Client
from openpyxl import load_workbook

from backoffice.reporting import services
from backoffice.reporting.models import ApiRequestLog, ClientKey, KeyWindow
from tests.api.conftest import api


def test_the_document_and_the_docs_are_open_and_offline(world):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["API-Version"] == "1.1.0"
    assert "/api/v1/reports" in response.json()["paths"]
    docs = Client().get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html and "cdn" not in html.lower()
    assert "<script>" not in html  # the strict CSP allows no inline script


def test_a_district_key_sees_only_its_district(world, reports, key_for):
    client = api(key_for("zuidoost"))
    listed = client.get("/api/v1/reports").json()["results"]
    assert {r["district"] for r in listed} == {"zuidoost"}
    assert [r["version"] for r in listed] == [2]  # the current version only
    other = reports["nieuw-west"].pk
    for url in (
        f"/api/v1/reports/{other}",
        f"/api/v1/reports/{other}/versions",
        f"/api/v1/reports/{other}/group-summaries",
        f"/api/v1/reports/{other}/csv",
        f"/api/v1/reports/{other}/xlsx",
        "/api/v1/reports?district=nieuw-west",
        "/api/v1/groups?district=nieuw-west",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json", url
    assert {d["code"] for d in client.get("/api/v1/districts").json()["results"]} == {"zuidoost"}


def test_a_municipality_key_sees_every_district_and_old_versions(world, reports, key_for):
    client = api(key_for(None))
    codes = {r["district"] for r in client.get("/api/v1/reports").json()["results"]}
    assert {"zuidoost", "nieuw-west"} <= codes
    old = reports["zuidoost"]
    versions = client.get(f"/api/v1/reports/{reports['zuidoost-v2'].pk}/versions").json()
    assert [(v["version"], v["isSuperseded"]) for v in versions["results"]] == [
        (2, False),
        (1, True),
    ]
    detail = client.get(f"/api/v1/reports/{old.pk}").json()
    canonical = json.dumps(
        detail["content"], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    assert hashlib.sha256(canonical.encode()).hexdigest() == detail["sha256"] == old.sha256
    assert detail["generatedAt"] == "2026-10-02T09:00:00Z"


def test_revoked_and_rotated_out_keys_get_401(world, reports, users, key_for):
    raw = key_for("zuidoost")
    key = ClientKey.objects.get_from_key(raw)
    with time_machine.travel(dt.datetime(2026, 11, 1, tzinfo=dt.UTC), tick=False):
        new, new_raw = services.key_rotate(key=key, user=users["coordinator"])
        # during the overlap both keys work
        assert api(raw).get("/api/v1/reports").status_code == 200
        assert api(new_raw).get("/api/v1/reports").status_code == 200
    with time_machine.travel(dt.datetime(2026, 11, 9, tzinfo=dt.UTC), tick=False):
        response = api(raw).get("/api/v1/reports")
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"
        assert api(new_raw).get("/api/v1/reports").status_code == 200
        services.key_revoke(key=new, user=users["coordinator"])
        assert api(new_raw).get("/api/v1/reports").status_code == 401
    assert api("made-up.key").get("/api/v1/reports").status_code == 401
    assert new.history.filter(revoked=True).exists()


def test_bad_query_parameters_are_listed_all_at_once(world, reports, key_for):
    response = api(key_for(None)).get(
        "/api/v1/reports?pageSize=0&page=x&period=Q3&colour=blue&includeSuperseded=maybe"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    names = {p["name"] for p in response.json()["invalidParams"]}
    assert names == {"pageSize", "page", "period", "colour", "includeSuperseded"}


def test_nul_bytes_and_absurd_page_sizes_are_400(world, reports, key_for):
    client = api(key_for(None))
    for url in (
        "/api/v1/reports?period=2026%00",
        "/api/v1/reports?pageSize=100000000000000000000",
        "/api/v1/reports?page=99999999999",
        "/api/v1/periods/2026%00",
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        assert response["Content-Type"] == "application/problem+json", url
    assert client.get("/api/v1/reports?page=7").status_code == 200  # an empty page is fine


def test_too_many_requests_get_429_with_retry_after(world, reports, key_for, settings):
    settings.API_KEY_RATE = "2/min"
    client = api(key_for(None))
    assert [client.get("/api/v1/periods").status_code for _ in range(2)] == [200, 200]
    cache.clear()  # as if the next request reached another server process
    response = client.get("/api/v1/periods")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert response["Content-Type"] == "application/problem+json"
    # another key has its own budget
    assert api(key_for("zuidoost")).get("/api/v1/periods").status_code == 200


def test_cors_is_open_for_reading(world, reports, key_for):
    response = api(key_for(None)).get("/api/v1/periods", headers={"Origin": "https://x.example"})
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = Client().options(
        "/api/v1/periods",
        headers={"Origin": "https://x.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 204
    assert "POST" not in preflight["Access-Control-Allow-Methods"]


def test_every_request_is_logged(world, reports, key_for):
    raw = key_for("zuidoost")
    api(raw).get(f"/api/v1/reports/{reports['nieuw-west'].pk}")
    api(raw).get("/api/v1/reports")
    Client().get("/api/v1/reports")
    rows = list(ApiRequestLog.objects.order_by("-id")[:3])
    assert [(r.status, r.resource) for r in rows] == [
        (401, "api:report-list"),
        (200, "api:report-list"),
        (404, "api:report-detail"),
    ]
    assert rows[1].client.name == "Afnemer zuidoost" and rows[2].client_id == rows[1].client_id
    assert rows[0].client_id is None


def test_csv_and_xlsx_downloads_hold_the_report(world, reports, key_for):
    client = api(key_for("zuidoost"))
    report = reports["zuidoost-v2"]
    response = client.get(f"/api/v1/reports/{report.pk}/csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    by_group = {row[4]: row for row in rows[1:]}
    assert by_group[world.group_a.slug][rows[0].index("money.spent")] == "100.10"
    assert by_group[""][5] == "Totaal"
    # the figures beyond money: a suppressed count is an empty cell, statuses and the books
    a = dict(zip(rows[0], by_group[world.group_a.slug], strict=True))
    assert (a["counts.boardMembers"], a["counts.activeVolunteers"]) == ("", "6")
    assert a["initiatives.submitted"] == "0" and a["accountability"] == "notDue"
    assert (a["auditCommittee.year"], a["auditCommittee.status"]) == ("2025", "notStarted")
    assert int(a["books.chainSequence"]) > 0 and len(a["books.chainHead"]) == 64
    xlsx = client.get(f"/api/v1/reports/{report.pk}/xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == rows[0]
    summaries = client.get(f"/api/v1/reports/{report.pk}/group-summaries").json()
    assert summaries["results"][0]["money"]["spent"] == "100.10"


def test_a_report_is_served_from_its_stored_bytes_in_four_queries(
    world, reports, key_for, django_assert_max_num_queries
):
    """The content is the stored canonical JSON as it is, so hashing it is all a client has
    to do; a request costs one search_path, the key with its client, the throttle's count,
    the report and the log row, however large the report."""
    client = api(key_for(None))
    report = reports["zuidoost-v2"]
    client.get(f"/api/v1/reports/{report.pk}")  # the connection's first request
    with django_assert_max_num_queries(5):
        response = client.get(f"/api/v1/reports/{report.pk}")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    raw = response.content.decode()
    assert raw.endswith(',"content":' + report.canonical + "}")
    detail = json.loads(raw)
    assert detail["content"] == json.loads(report.canonical)
    assert (detail["id"], detail["version"], detail["supersedesId"]) == (
        report.pk,
        2,
        reports["zuidoost"].pk,
    )
    assert detail["isSuperseded"] is False and detail["reason"] == report.reason
    assert hashlib.sha256(report.canonical.encode()).hexdigest() == detail["sha256"]


def test_a_new_window_starts_counting_again(world, reports, key_for, settings):
    settings.API_KEY_RATE = "1/min"
    raw = key_for(None)
    assert api(raw).get("/api/v1/periods").status_code == 200
    assert api(raw).get("/api/v1/periods").status_code == 429
    # the window is on the database's clock: move this key's window five minutes back
    window = KeyWindow.objects.get(key=ClientKey.objects.get_from_key(raw))
    window.window_start -= dt.timedelta(minutes=5)
    window.save()
    assert api(raw).get("/api/v1/periods").status_code == 200  # a new window, counted as 1
    assert api(raw).get("/api/v1/periods").status_code == 429
    assert KeyWindow.objects.get(pk=window.pk).requests == 2
