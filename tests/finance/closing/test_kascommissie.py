"""The kascommissie's check of a year (issue 14, point 6): the bank's balance from the imported
statements at the year end against the books, the open items, signing only with a finding
for them, both signers blocked alike by what closing would strand, and the chain anchored."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from backoffice.core.money import format_euro
from finance.bank import importing as bank_import
from finance.bank import reconciliation
from finance.bank.formats import samples
from finance.bank.models import BankLine
from finance.closing import selectors as closing_selectors
from finance.closing import services as closing
from finance.closing.models import AuditSignoff, PeriodEvent
from finance.ledger import chain
from finance.ledger.models import Account, ChainAnchor, FinancialYear
from tests.finance.conftest import acc, expense, journal

GIFT = dt.date(2026, 2, 1)
COFFEE = dt.date(2026, 3, 1)


@pytest.fixture
def year_with_bank(books, users):
    """A 2026 statement (opening 0, +100 gift, -12.50 coffee), the gift booked, the coffee not."""
    t = users["treasurer"]
    bank_import.bank_account_create(
        user=t,
        iban=samples.ACCOUNT_IBAN,
        name="ING",
        holder="K-buurt",
        ledger_account=Account.objects.get(role="bank"),
    )
    bank_import.import_statement(
        data=samples.camt053_document(
            [
                samples.SampleLine(GIFT, GIFT, Decimal("100.00"), "Buurman", "", "Gift", "G1"),
                samples.SampleLine(COFFEE, COFFEE, Decimal("-12.50"), "Winkel", "", "Koffie", "K1"),
            ],
            opening_balance=Decimal("0.00"),
        ),
        filename="2026.xml",
        user=t,
    )
    reconciliation.book_line(
        line=BankLine.objects.get(amount=Decimal("100.00")), user=t, category=acc("8100")
    )
    return FinancialYear.objects.get(year=2026)


def _book_coffee(users):
    return reconciliation.book_line(
        line=BankLine.objects.get(amount=Decimal("-12.50")),
        user=users["treasurer"],
        category=acc("4000"),
    )


def _ready(year, users, findings=""):
    check = closing.audit_start(year=year, user=users["audit"])
    closing.audit_update(
        check=check,
        user=users["audit"],
        checked_receipts=True,
        checked_bank=True,
        checked_grants=True,
        checked_cash=True,
        findings=findings,
    )
    for sample in check.samples.all():
        closing.audit_sample_mark(sample=sample, user=users["audit2"], ok=True)
    return check


def test_the_check_takes_the_closing_balance_from_the_imported_statements(year_with_bank, users):
    figures = closing_selectors.year_check(year=year_with_bank)
    (bank,) = figures.banks
    assert bank.statement_balance == Decimal("87.50")
    assert bank.statement_date == COFFEE
    assert bank.books_balance == Decimal("100.00")
    assert bank.difference == Decimal("-12.50")
    assert figures.unreconciled_lines == 1 and figures.drafts == 0
    # a later statement's lines up to the year end count; after it, they do not
    bank_import.import_statement(
        data=samples.camt053_document(
            [
                samples.SampleLine(
                    dt.date(2026, 12, 30),
                    dt.date(2026, 12, 30),
                    Decimal("-2.50"),
                    "W",
                    "",
                    "T",
                    "T1",
                ),
                samples.SampleLine(
                    dt.date(2027, 1, 2), dt.date(2027, 1, 2), Decimal("-40.00"), "W", "", "H", "H1"
                ),
            ],
            opening_balance=Decimal("87.50"),
        ),
        filename="2027.xml",
        user=users["treasurer"],
    )
    (bank,) = closing_selectors.year_check(year=year_with_bank).banks
    assert bank.statement_balance == Decimal("85.00")


def test_unreconciled_lines_and_drafts_block_the_first_signer_and_the_close_alike(
    year_with_bank, users
):
    # given: everything ticked off, one bank line of the year not yet in the books
    check = _ready(year_with_bank, users, findings="Alles gezien.")
    # then: the first signer is refused, and the treasurer cannot close either
    with pytest.raises(ValidationError, match="1 bankregel\\(s\\) van 2026 zijn nog niet"):
        closing.audit_signoff(check=check, user=users["audit"])
    with pytest.raises(ValidationError, match="nog niet gekoppeld"):
        closing.year_close(year=year_with_bank, user=users["treasurer"])
    assert not AuditSignoff.objects.exists()
    # given: the line is booked, but a draft of the year waits
    _book_coffee(users)
    journal(users["secretary"], day=dt.date(2026, 5, 1), post=False)
    with pytest.raises(ValidationError, match="1 conceptboeking\\(en\\) in 2026"):
        closing.audit_signoff(check=check, user=users["audit"])
    year_with_bank.refresh_from_db()
    assert not year_with_bank.is_closed and not AuditSignoff.objects.exists()


def test_open_items_need_a_written_finding_before_signing(year_with_bank, users):
    # given: all bank lines booked, but the coffee has no receipt and a cash expense makes
    # the books differ from the bank
    _book_coffee(users)
    expense(users["treasurer"], "5.00", day=dt.date(2026, 6, 1), description="Contant?")
    check = _ready(year_with_bank, users)
    figures = closing_selectors.year_check(year=year_with_bank)
    assert figures.missing_receipts == 2 and figures.blocking == []
    assert any("verschil" in item for item in figures.open_items)
    # when / then: no finding, no signature
    with pytest.raises(ValidationError, match="Er staan nog open punten") as exc:
        closing.audit_signoff(check=check, user=users["audit"])
    assert "2 geboekte uitgave(n) zonder bonnetje" in str(exc.value)
    # with a finding: signed, and the signature records what was open and the figures
    check.findings = ""
    closing.audit_update(
        check=check, user=users["audit"], findings="Twee bonnetjes ontbreken; €5 uitgezocht."
    )
    closing.audit_signoff(check=check, user=users["audit"])
    signoff = AuditSignoff.objects.get()
    assert "zonder bonnetje" in signoff.open_items and "verschil" in signoff.open_items
    assert signoff.statement_balance == Decimal("87.50")
    assert signoff.books_balance == Decimal("82.50")
    assert signoff.anchor.kind == ChainAnchor.Kind.SIGNOFF
    assert signoff.anchor.sequence == 3 and signoff.anchor.year == 2026


def test_two_signatures_close_the_year_with_the_chain_anchored(year_with_bank, users):
    _book_coffee(users)
    check = _ready(year_with_bank, users, findings="Bonnetje van de koffie ontbreekt.")
    closing.audit_signoff(check=check, user=users["audit"])
    closing.audit_signoff(check=check, user=users["audit2"])
    year_with_bank.refresh_from_db()
    assert year_with_bank.is_closed
    closed = PeriodEvent.objects.get(year=year_with_bank, kind=PeriodEvent.Kind.CLOSED)
    assert closed.anchor.kind == ChainAnchor.Kind.CLOSE
    assert list(ChainAnchor.objects.values_list("kind", "sequence")) == [
        ("kascommissie", 2),
        ("kascommissie", 2),
        ("jaarafsluiting", 2),
    ]
    assert chain.verify_chain() is None


def test_the_audit_page_shows_the_imported_balance_and_the_open_items(
    year_with_bank, users, client_as, group_a
):
    _ready(year_with_bank, users)
    page = client_as("audit").get(
        reverse("finance:audit", kwargs={"group_slug": group_a.slug, "year": 2026})
    )
    html = page.content.decode()
    assert page.status_code == 200
    for amount in ("87.50", "100.00", "-12.50"):
        assert format_euro(Decimal(amount)) in html
    assert "afschrift tot 01-03-2026" in html
    assert "nog niet gekoppeld" in html and "eerst oplossen" in html
