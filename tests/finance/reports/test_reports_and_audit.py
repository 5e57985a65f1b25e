"""Reports reconcile, exports are safe, the chart round-trips, the kascommissie signs off."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from backoffice.core.exports import neutralise
from finance.closing import services as closing_services
from finance.closing.models import PeriodEvent
from finance.grants import services as grant_services
from finance.ledger.models import Account, FinancialYear
from finance.ledger.resources import AccountResource
from finance.reports import figures as reports
from finance.reports.exports import to_xlsx
from tests.finance.conftest import acc, expense, journal


def _url(group, name, **kw):
    return reverse(f"finance:{name}", kwargs={"group_slug": group.slug, **kw})


@pytest.fixture
def year_of_books(books, users):
    t = users["treasurer"]
    grant = grant_services.grant_create(
        user=t,
        funder="Stadsdeel",
        reference='=HYPERLINK("x")',
        title="+Buurtbudget",
        amount=Decimal("2000.00"),
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    line = grant_services.budget_line_create(
        grant=grant, user=t, account=acc("4000"), description="-Feest", amount=Decimal("800.00")
    )
    tranche = grant_services.tranche_create(
        grant=grant, user=t, expected_on=date(2026, 1, 15), amount=Decimal("1500.00")
    )
    grant_services.tranche_receive(tranche=tranche, user=t, date=date(2026, 1, 20))
    expense(t, "300.00", day=date(2026, 2, 1), budget_line=line, description="@feest")
    expense(t, "50.00", day=date(2026, 2, 2), code="4900", grant=grant, description="Bank")
    journal(t, day=date(2026, 3, 1), lines=[("1000", "25.00", "0"), ("8100", "0", "25.00")])
    return grant


def test_reports_reconcile(year_of_books):
    year = FinancialYear.objects.get(year=2026)
    trial = reports.trial_balance(year=year)
    total = trial.rows[-1]
    assert total["debit"] == total["credit"] == Decimal("1875.00")
    sheet = reports.balance_sheet_figures(on=year.end, year_start=year.start)
    assert sheet["total_assets"] == sheet["total_passiva"] == Decimal("1175.00")
    income = reports.income_statement_figures(start=year.start, end=year.end)
    assert income["result"] == Decimal("1175.00") == sheet["result_year"]
    bva = reports.budget_vs_actual(grant=year_of_books)
    assert (
        bva.rows[-1]["actual"]
        == reports.ledger_totals_by_grant(grant=year_of_books)
        == Decimal("350.00")
    )
    acct = reports.grant_accountability(grant=year_of_books)
    facts = dict(acct.facts)
    assert facts["Nog niet besteed"] == Decimal("1650.00")
    assert facts["Terug te betalen (ontvangen − uitgegeven)"] == Decimal("1150.00")
    assert facts["Uitgaven met bonnetje"] == "0 / 2"


def test_cash_book_has_running_balance(year_of_books):
    year = FinancialYear.objects.get(year=2026)
    book = reports.cash_book(account=acc("1100"), year=year)
    assert [r["balance"] for r in book.rows] == [
        Decimal("0.00"),
        Decimal("1500.00"),
        Decimal("1200.00"),
        Decimal("1150.00"),
    ]
    assert dict(book.facts)["Eindsaldo"] == Decimal("1150.00")


def test_formula_cells_are_neutralised_in_xlsx(year_of_books):
    assert neutralise("=1+1") == "'=1+1" and neutralise("\tx") == "'\tx"
    assert neutralise("a=b") == "a=b"
    data = to_xlsx(reports.grant_accountability(grant=year_of_books), group_name="@groep")
    ws = load_workbook(BytesIO(data)).active
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(t.startswith(("=", "+", "-", "@", "\t")) for t in texts), texts
    assert "'-Feest" in texts and "'@groep" in texts
    numbers = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, (int, float))]
    assert 800 in numbers


@pytest.mark.parametrize(
    "kind",
    [
        "proefbalans",
        "balans",
        "baten-en-lasten",
        "begroting",
        "kasboek",
        "grootboek",
        "verantwoording",
    ],
)
def test_every_report_downloads_as_xlsx_and_pdf(year_of_books, client_as, group_a, kind):
    client = client_as("audit")
    page = client.get(_url(group_a, "report", kind=kind) + "?jaar=2026")
    assert page.status_code == 200
    xlsx = client.get(_url(group_a, "report", kind=kind) + "?jaar=2026&formaat=xlsx")
    assert b"".join(xlsx.streaming_content)[:2] == b"PK"
    assert "attachment" in xlsx["Content-Disposition"]
    pdf = client.get(_url(group_a, "report", kind=kind) + "?jaar=2026&formaat=pdf")
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert pdf["Content-Type"] == "application/pdf"


def test_budget_chart_is_server_rendered_bars(year_of_books, client_as, group_a):
    html = client_as("treasurer").get(_url(group_a, "report", kind="begroting")).content.decode()
    assert 'class="bar-chart"' in html and 'class="fill w-38"' in html  # 300 of 800
    assert "<script" not in html.split("<main")[1]


def test_chart_export_and_import_round_trip(books, users):
    dataset = AccountResource().export()
    assert dataset.headers == ["nummer", "naam", "soort", "rgs", "geldrekening", "in_gebruik"]
    assert ("1100", "Bank", "activa", "BLimBanRba", "1", "1") in [tuple(r) for r in dataset]
    dataset.append(["4600", "Vrijwilligersuitje", "lasten", "WBed", 0, 1])
    result = AccountResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Account.objects.get(code="4600").history.count() == 1


def test_import_refuses_bad_kind_and_writes_nothing(books):
    dataset = AccountResource().export()
    dataset.append(["4700", "Onzin", "geen-soort", "", 0, 1])
    result = AccountResource().import_data(dataset, dry_run=False)
    assert result.has_validation_errors()
    assert not Account.objects.filter(code="4700").exists()


def test_kascommissie_checks_and_two_signatures_give_decharge_and_close_the_year(
    year_of_books, users
):
    year = FinancialYear.objects.get(year=2026)
    with pytest.raises(PermissionDenied):
        closing_services.audit_start(year=year, user=users["treasurer"])
    check = closing_services.audit_start(year=year, user=users["audit"])
    assert check.samples.count() == 4  # all four posted entries, fewer than the sample size
    with pytest.raises(ValidationError, match="Vink eerst alle controlepunten af"):
        closing_services.audit_signoff(check=check, user=users["audit"])
    closing_services.audit_update(
        check=check,
        user=users["audit"],
        checked_receipts=True,
        checked_bank=True,
        checked_grants=True,
        checked_cash=True,
        bank_statement_balance=Decimal("1150.00"),
        findings="Bonnetjes missen.",
    )
    for sample in check.samples.all():
        closing_services.audit_sample_mark(sample=sample, user=users["audit2"], ok=True)
    closing_services.audit_signoff(check=check, user=users["audit"])
    with pytest.raises(ValidationError, match="al getekend"):
        closing_services.audit_signoff(check=check, user=users["audit"])
    year.refresh_from_db()
    assert not year.is_closed
    closing_services.audit_signoff(check=check, user=users["audit2"])
    year.refresh_from_db()
    assert year.is_closed
    kinds = list(PeriodEvent.objects.filter(year=year).values_list("kind", "actor_id"))
    assert kinds == [("gesloten", users["audit2"].pk), ("decharge", users["audit2"].pk)]
    assert check.history.count() == 2


def test_kascommissie_cannot_book(year_of_books, users, client_as, group_a):
    with pytest.raises(PermissionDenied):
        expense(users["audit"])
    assert client_as("audit").post(_url(group_a, "expense_new"), {}).status_code == 403
    assert client_as("audit").get(_url(group_a, "dashboard")).status_code == 200
