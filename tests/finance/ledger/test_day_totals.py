"""The day totals PostgreSQL keeps at posting: always equal to the posted lines, and closed
to every other writer."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from finance.closing import services as closing_services
from finance.grants import services as grant_services
from finance.ledger import selectors as ledger_selectors
from finance.ledger import services as ledger_services
from finance.ledger.models import AccountDayTotal, FinancialYear, JournalEntry
from finance.ledger.postings import EntryInput, LineInput
from tests.finance.conftest import acc, expense, journal, raw


def _stored(code: str, day: date) -> tuple[Decimal, Decimal, int]:
    rows = AccountDayTotal.objects.filter(account__code=code, date=day)
    return (
        sum((r.debit for r in rows), Decimal("0.00")),
        sum((r.credit for r in rows), Decimal("0.00")),
        sum(r.lines for r in rows),
    )


def _batch(n: int, day: date, amount: str = "2.50") -> list[EntryInput]:
    return [
        EntryInput(
            date=day,
            description=f"Batch {i}",
            lines=[
                LineInput(account=acc("4100"), debit=Decimal(amount)),
                LineInput(account=acc("1100"), credit=Decimal(amount)),
            ],
        )
        for i in range(n)
    ]


def test_posting_adds_to_the_day_and_drafts_do_not_count(books, users):
    t = users["treasurer"]
    # given a draft and a posted expense on the same day
    draft = expense(users["secretary"], "7.00", day=date(2026, 3, 1))
    assert draft.status == JournalEntry.Status.DRAFT
    expense(t, "12.50", day=date(2026, 3, 1))
    assert _stored("4000", date(2026, 3, 1)) == (Decimal("12.50"), Decimal("0.00"), 1)
    assert _stored("1100", date(2026, 3, 1)) == (Decimal("0.00"), Decimal("12.50"), 1)
    # when the draft is posted
    ledger_services.entry_post(entry=draft, user=t)
    # then the same day's row grows, it is not duplicated
    assert _stored("4000", date(2026, 3, 1)) == (Decimal("19.50"), Decimal("0.00"), 2)
    assert AccountDayTotal.objects.filter(account__code="4000", date=date(2026, 3, 1)).count() == 1
    assert ledger_selectors.day_totals_differences() == []


def test_day_totals_equal_the_lines_after_batches_reversals_and_a_year_close(books, users):
    t = users["treasurer"]
    grant = grant_services.grant_create(
        user=t,
        funder="Stadsdeel",
        reference="DT-1",
        title="Buurtbudget",
        amount=Decimal("1000.00"),
        period_start=date(2025, 1, 1),
        period_end=date(2026, 12, 31),
    )
    line = grant_services.budget_line_create(
        grant=grant, user=t, account=acc("4000"), description="Feest", amount=Decimal("500.00")
    )
    # posted one by one, with and without grant and budget line
    first = expense(t, "40.00", day=date(2025, 6, 1), budget_line=line)
    expense(t, "10.00", day=date(2025, 6, 1), grant=grant)
    expense(t, "5.00", day=date(2025, 6, 1))
    # a batch created and posted in one go, and drafts posted as a batch
    ledger_services.entries_create(entries=_batch(30, date(2025, 7, 1)), user=t, post=True)
    drafts = ledger_services.entries_create(entries=_batch(20, date(2025, 7, 2), "1.25"), user=t)
    ledger_services.entries_post(entries=drafts, user=t)
    # a reversal in the next year, then the first year closed
    ledger_services.entry_reverse(entry=first, user=t, date=date(2026, 1, 5))
    closing_services.year_close(year=FinancialYear.objects.get(year=2025), user=t)
    journal(t, day=date(2026, 2, 1))
    # the checks PostgreSQL defers to the commit (balance, foreign keys of the totals) pass
    raw("SET CONSTRAINTS ALL IMMEDIATE")

    assert ledger_selectors.day_totals_differences() == []
    by_budget_line = AccountDayTotal.objects.get(
        account__code="4000", date=date(2025, 6, 1), budget_line=line
    )
    assert (by_budget_line.debit, by_budget_line.lines, by_budget_line.grant_id) == (
        Decimal("40.00"),
        1,
        grant.pk,
    )
    assert _stored("4000", date(2025, 6, 1)) == (Decimal("55.00"), Decimal("0.00"), 3)
    assert _stored("1100", date(2025, 7, 1)) == (Decimal("0.00"), Decimal("75.00"), 30)
    assert _stored("1100", date(2025, 7, 2)) == (Decimal("0.00"), Decimal("25.00"), 20)
    assert _stored("4000", date(2026, 1, 5)) == (Decimal("0.00"), Decimal("40.00"), 1)
    # the reports read the day totals: the grant's budget line is back to nothing spent
    assert ledger_selectors.posted_net_by("budget_line_id", budget_line_id=line.pk) == {
        line.pk: Decimal("0.00")
    }
    assert ledger_selectors.account_totals(end=date(2025, 12, 31))[acc("1100").pk] == {
        "debit": Decimal("0.00"),
        "credit": Decimal("155.00"),
    }


def test_the_comparison_finds_a_difference(books, users):
    """The comparison the tests and the property test rely on can fail: a total changed
    behind the guard's back (switched off, as only the tables' owner can) is reported."""
    expense(users["treasurer"], "12.50", day=date(2026, 3, 1))
    with transaction.atomic():
        raw("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE waits for no deferred checks
        raw("ALTER TABLE finance_accountdaytotal DISABLE TRIGGER finance_daytotal_guard")
        raw("UPDATE finance_accountdaytotal SET debit = debit + 1 WHERE debit > 0")
        raw("ALTER TABLE finance_accountdaytotal ENABLE TRIGGER finance_daytotal_guard")
        differences = ledger_selectors.day_totals_differences()
        transaction.set_rollback(True)
    assert [(d[4], d[7]) for d in differences] == [(Decimal("13.50"), Decimal("12.50"))]


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE finance_accountdaytotal SET debit = debit + 100",
        "DELETE FROM finance_accountdaytotal",
        "INSERT INTO finance_accountdaytotal (account_id, date, debit, credit, lines) "
        "SELECT id, '2026-03-01', 1, 0, 1 FROM finance_account WHERE code = '1100'",
    ],
)
def test_the_database_refuses_any_other_write_to_day_totals(books, users, sql):
    expense(users["treasurer"], "12.50", day=date(2026, 3, 1))
    with pytest.raises(DatabaseError, match="Dagtotalen van het grootboek"):
        with transaction.atomic():
            raw(sql)
    assert ledger_selectors.day_totals_differences() == []


@pytest.mark.django_db(transaction=True)
def test_day_totals_and_receipt_needs_hold_across_committed_batches(committed_world):
    """Posting with real commits (the per-test rollback can hide when triggers and the
    deferred checks run); a refused batch leaves no totals behind."""
    from django_tenants.utils import tenant_context

    from finance.ledger.models import ReceiptNeed

    t = committed_world.users["treasurer"]
    with tenant_context(committed_world.group_a):
        ledger_services.entries_create(entries=_batch(5, date(2026, 5, 1)), user=t, post=True)
        drafts = ledger_services.entries_create(entries=_batch(3, date(2026, 5, 2)), user=t)
        ledger_services.entries_post(entries=drafts, user=t)
        bad = _batch(1, date(2026, 5, 3)) + [
            EntryInput(
                date=date(2026, 5, 3),
                description="Scheef",
                lines=[
                    LineInput(account=acc("4100"), debit=Decimal("1.00")),
                    LineInput(account=acc("1100"), credit=Decimal("2.00")),
                ],
            )
        ]
        with pytest.raises(ValidationError):
            ledger_services.entries_create(entries=bad, user=t, post=True)
        assert _stored("4100", date(2026, 5, 1)) == (Decimal("12.50"), Decimal("0.00"), 5)
        assert _stored("4100", date(2026, 5, 2)) == (Decimal("7.50"), Decimal("0.00"), 3)
        assert not AccountDayTotal.objects.filter(date=date(2026, 5, 3)).exists()
        assert ReceiptNeed.objects.filter(has_receipt=False).count() == 8
        assert ledger_selectors.day_totals_differences() == []
