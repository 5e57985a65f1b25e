"""Property tests: any sequence of post / reverse / close keeps the books consistent.

After each random sequence: every entry and the whole ledger balance, the balance sheet
balances, the year's result equals the change in equity, budget vs actual sums to the ledger,
the day totals the reports read equal the posted lines, and the hash chain verifies.
Refused operations (closed year) must leave nothing behind.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finance.closing import services as closing_services
from finance.grants import services as grant_services
from finance.ledger import chain as ledger_chain
from finance.ledger import selectors as ledger_selectors
from finance.ledger import services as ledger_services
from finance.ledger.models import FinancialYear, JournalEntry, JournalLine
from finance.ledger.postings import LineInput
from finance.reports import figures as reports
from tests.finance.conftest import acc

CODES = ["1000", "1100", "1300", "1600", "1650", "0500", "4000", "4100", "4300", "8000", "8100"]
cents = st.integers(min_value=1, max_value=5_000_000).map(lambda c: Decimal(c) / 100)
days = st.integers(min_value=0, max_value=729).map(lambda d: date(2025, 1, 1) + timedelta(days=d))

post_op = st.tuples(
    st.just("post"),
    days,
    st.lists(st.tuples(st.sampled_from(CODES), cents, st.booleans()), min_size=1, max_size=3),
    st.lists(st.sampled_from(CODES), min_size=1, max_size=2),
)
reverse_op = st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=50), days)
close_op = st.tuples(st.just("close"))
operations = st.lists(st.one_of(post_op, post_op, reverse_op, close_op), min_size=1, max_size=10)


def _apply(op, user, budget_line):
    if op[0] == "post":
        _kind, day, debits, credit_codes = op
        total = sum(amount for _c, amount, _g in debits)
        lines = [
            LineInput(
                account=acc(code),
                debit=amount,
                budget_line=budget_line if tag and code == budget_line.account.code else None,
                grant=budget_line.grant if tag else None,
            )
            for code, amount, tag in debits
        ]
        # split the credit over one or two accounts, to the cent
        first = (total / len(credit_codes)).quantize(Decimal("0.01"))
        parts = [first] * (len(credit_codes) - 1) + [total - first * (len(credit_codes) - 1)]
        lines += [
            LineInput(account=acc(code), credit=part)
            for code, part in zip(credit_codes, parts, strict=True)
            if part > 0
        ]
        ledger_services.entry_create(
            date=day, description="prop", lines=lines, user=user, post=True
        )
    elif op[0] == "reverse":
        candidates = list(
            JournalEntry.objects.filter(
                status="geboekt", reversed_by__isnull=True, reverses__isnull=True
            ).order_by("pk")
        )
        if candidates:
            ledger_services.entry_reverse(
                entry=candidates[op[1] % len(candidates)], user=user, date=op[2]
            )
    else:
        year = FinancialYear.objects.filter(year=2025, status="open").first()
        if year and not year.entries.filter(status="concept").exists():
            closing_services.year_close(year=year, user=user)


def _check_invariants(budget_line):
    totals = reports.overall_totals()
    assert (totals["debit"] or 0) == (totals["credit"] or 0)
    assert reports.unbalanced_entries() == []
    assert ledger_selectors.day_totals_differences() == []
    assert ledger_chain.verify_chain() is None
    previous_equity = Decimal("0.00")
    for year in FinancialYear.objects.order_by("year"):
        sheet = reports.balance_sheet_figures(on=year.end, year_start=year.start)
        assert sheet["total_assets"] == sheet["total_passiva"]
        result = reports.income_statement_figures(start=year.start, end=year.end)["result"]
        assert result == sheet["result_year"]
        # no capital movements are generated, so equity changes by the result only
        equity_accounts = sum((amount for _a, amount in sheet["equity"]), Decimal("0.00"))
        equity = sheet["total_equity"]
        movement_on_equity_accounts = equity_accounts - (
            sum(
                (
                    a
                    for _x, a in reports.balance_sheet_figures(
                        on=year.start - timedelta(days=1), year_start=year.start
                    )["equity"]
                ),
                Decimal("0.00"),
            )
        )
        assert equity - previous_equity == result + movement_on_equity_accounts
        previous_equity = equity
    bva = reports.budget_vs_actual(grant=budget_line.grant)
    assert bva.rows[-1]["actual"] == reports.ledger_totals_by_grant(grant=budget_line.grant)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
def test_random_post_reverse_close_keep_the_books_consistent(books, users, ops):
    user = users["treasurer"]
    with transaction.atomic():
        grant = grant_services.grant_create(
            user=user,
            funder="Gemeente",
            reference="P-1",
            title="Prop",
            amount=Decimal("10000.00"),
            period_start=date(2025, 1, 1),
            period_end=date(2026, 12, 31),
        )
        budget_line = grant_services.budget_line_create(
            grant=grant,
            user=user,
            account=acc("4000"),
            description="Activiteiten",
            amount=Decimal("5000.00"),
        )
        for op in ops:
            before = JournalLine.objects.count()
            try:
                with transaction.atomic():
                    _apply(op, user, budget_line)
            except ValidationError as exc:
                assert "afgesloten" in str(exc), exc  # the only refusal these ops can meet
                assert JournalLine.objects.count() == before  # nothing written
        _check_invariants(budget_line)
        transaction.set_rollback(True)
