import datetime as dt

import pytest
import time_machine

from finance import demo
from finance.grants import selectors as grant_selectors
from finance.grants.models import Grant
from finance.ledger import chain as ledger_chain
from finance.ledger import selectors as ledger_selectors
from finance.ledger.models import JournalEntry, Receipt
from finance.ledger.receipts import check_receipt_file

AMSTERDAM = dt.timezone(dt.timedelta(hours=1))


def _on(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10), AMSTERDAM), tick=False)


def test_demo_books_are_deterministic_idempotent_and_verify(books, group_a, users):
    with _on(dt.date(2026, 12, 2)):
        demo.load_for_group(group_a, users)
        counts = (Grant.objects.count(), JournalEntry.objects.count(), Receipt.objects.count())
        demo.load_for_group(group_a, users)
    assert (Grant.objects.count(), JournalEntry.objects.count(), Receipt.objects.count()) == counts
    assert counts[0] == 2 and counts[1] > 100 and counts[2] > 60
    assert ledger_chain.verify_chain() is None
    last = next(g for g in grant_selectors.grant_list() if g.period_start.year == 2025)
    assert last.received == last.amount and last.spent > 0
    assert ledger_selectors.missing_receipts().exists() and ledger_selectors.drafts().count() == 1
    first = Receipt.objects.order_by("id").first()
    assert check_receipt_file(name=first.original_name, data=first.file.read()) in (
        "image/png",
        "application/pdf",
    )


@pytest.mark.parametrize(
    "today", [dt.date(2026, 12, 2), dt.date(2031, 3, 20)], ids=["december", "march"]
)
def test_demo_books_are_last_year_and_this_year_up_to_a_few_days_ago(books, group_a, users, today):
    # Before: every demo booking was in 2025, so this year was empty and every bank line
    # "343 dagen open".
    with _on(today):
        demo.load_for_group(group_a, users)
    years = set(JournalEntry.objects.values_list("date__year", flat=True))
    assert years == {today.year - 1, today.year}
    posted = JournalEntry.objects.filter(status=JournalEntry.Status.POSTED)
    newest = posted.filter(date__year=today.year).latest("date").date
    assert today - dt.timedelta(days=30) <= newest <= today - demo.BOOKED_UNTIL
    assert not JournalEntry.objects.filter(date__gt=today).exists()
    assert set(Grant.objects.values_list("period_start__year", flat=True)) == years
