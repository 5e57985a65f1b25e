"""Receipt needs kept by PostgreSQL: which posted expenses still wait for a receipt.

The list of missing receipts and a grant's "with receipt" count read them; they must say
what probing every entry's lines and receipts says.
"""

from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef

from finance import bookings
from finance.grants import services as grant_services
from finance.ledger import receipts
from finance.ledger import selectors as ledger_selectors
from finance.ledger import services as ledger_services
from finance.ledger.models import Account, JournalEntry, JournalLine, Receipt, ReceiptNeed
from finance.reports import figures as reports
from tests.finance.conftest import acc, expense, journal, pdf_bytes, png_bytes


def _need(entry) -> tuple | None:
    row = ReceiptNeed.objects.filter(entry=entry).first()
    return None if row is None else (row.has_receipt, row.reversed, sorted(row.grant_ids))


def _missing_the_slow_way() -> set[int]:
    """The definition, probed entry by entry (as the selector did before)."""
    expense_line = JournalLine.objects.filter(
        entry=OuterRef("pk"), debit__gt=0, account__kind=Account.Kind.EXPENSE
    )
    return set(
        JournalEntry.objects.filter(Exists(expense_line))
        .exclude(Exists(Receipt.objects.filter(entry=OuterRef("pk"))))
        .exclude(kind=JournalEntry.Kind.REVERSAL)
        .exclude(Exists(JournalEntry.objects.filter(reverses=OuterRef("pk"))))
        .values_list("pk", flat=True)
    )


def test_a_posted_expense_waits_for_its_receipt_until_one_is_added(books, users):
    t = users["treasurer"]
    grant = grant_services.grant_create(
        user=t,
        funder="Stadsdeel",
        reference="RN-1",
        title="Buurtbudget",
        amount=Decimal("500.00"),
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    bare = expense(t, "10.00")
    on_grant = expense(t, "20.00", grant=grant)
    with_receipt = expense(t, "30.00", receipt_name="a.png", receipt_data=png_bytes("a"))
    income = bookings.income_record(
        user=t,
        date=date(2026, 3, 1),
        amount=Decimal("5.00"),
        category=acc("8100"),
        description="Collecte",
    )
    memo = journal(t)  # a journal entry with a cost line also asks for a receipt
    assert _need(bare) == (False, False, [])
    assert _need(on_grant) == (False, False, [grant.pk])
    assert _need(with_receipt) == (True, False, [])
    assert _need(income) is None and _need(memo) == (False, False, [])
    # when a receipt comes later, and when an expense is corrected
    receipts.receipt_add(entry=bare, name="later.pdf", data=pdf_bytes("l"), user=t)
    reversal = ledger_services.entry_reverse(entry=on_grant, user=t, date=date(2026, 3, 2))
    assert _need(bare) == (True, False, [])
    assert _need(on_grant) == (False, True, [grant.pk])
    assert _need(reversal) is None  # the correction itself asks for nothing
    assert set(ledger_selectors.missing_receipts().values_list("pk", flat=True)) == {memo.pk}
    assert reports.grant_accountability(grant=grant).receipt_counts == {
        "total": 0,
        "with_receipt": 0,
    }


def test_a_draft_with_its_receipt_is_posted_as_having_one(books, users):
    draft = expense(users["secretary"], "8.00", receipt_name="b.png", receipt_data=png_bytes("b"))
    assert _need(draft) is None  # drafts are not in the table
    ledger_services.entry_post(entry=draft, user=users["treasurer"])
    assert _need(draft) == (True, False, [])


def test_missing_list_lists_drafts_then_posted_newest_first_in_pages(books, users):
    t = users["treasurer"]
    posted = [expense(t, "1.00", day=date(2026, 2, d), description=f"P{d}") for d in (3, 1, 2)]
    drafts = [
        expense(users["secretary"], "2.00", day=date(2026, 2, d), description=f"D{d}")
        for d in (5, 4)
    ]
    expense(t, "3.00", day=date(2026, 2, 6), receipt_name="c.png", receipt_data=png_bytes("c"))
    missing = ledger_selectors.missing_receipt_list()
    expected = [drafts[0], drafts[1], posted[0], posted[2], posted[1]]
    assert [e.pk for e in missing] == [e.pk for e in expected]
    assert missing.count() == 5 and len(missing) == 5 and missing.exists()
    assert missing.count(cap=3) == 3 and missing.count(cap=1) == 1
    # slices across the boundary between drafts and posted expenses
    assert [e.pk for e in missing[1:4]] == [e.pk for e in expected[1:4]]
    assert [e.pk for e in missing[3:]] == [e.pk for e in expected[3:]]
    assert missing[0].total == Decimal("2.00") and not missing[0].has_receipt
    assert missing[3].pk == posted[2].pk
    assert {e.pk for e in missing} == _missing_the_slow_way()


def test_grant_receipt_counts_follow_receipts_and_corrections(books, users):
    t = users["treasurer"]
    grant = grant_services.grant_create(
        user=t,
        funder="Fonds",
        reference="RN-2",
        title="Feest",
        amount=Decimal("900.00"),
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    first = expense(t, "10.00", grant=grant)
    expense(t, "11.00", grant=grant, receipt_name="d.png", receipt_data=png_bytes("d"))
    corrected = expense(t, "12.00", grant=grant)
    expense(t, "13.00")  # not on the grant
    ledger_services.entry_reverse(entry=corrected, user=t, date=date(2026, 3, 3))
    assert ledger_selectors.receipt_counts(grant_id=grant.pk) == {"total": 2, "with_receipt": 1}
    receipts.receipt_add(entry=first, name="e.png", data=png_bytes("e"), user=t)
    facts = dict(reports.grant_accountability(grant=grant).facts)
    assert facts["Uitgaven met bonnetje"] == "2 / 2"
    assert {e.pk for e in ledger_selectors.missing_receipt_list()} == _missing_the_slow_way()
