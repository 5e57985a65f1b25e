from finance import demo
from finance.grants import selectors as grant_selectors
from finance.grants.models import Grant
from finance.ledger import chain as ledger_chain
from finance.ledger import selectors as ledger_selectors
from finance.ledger.models import JournalEntry, Receipt
from finance.ledger.receipts import check_receipt_file


def test_demo_books_are_deterministic_idempotent_and_verify(books, group_a, users):
    demo.load_for_group(group_a, users)
    counts = (Grant.objects.count(), JournalEntry.objects.count(), Receipt.objects.count())
    demo.load_for_group(group_a, users)
    assert (Grant.objects.count(), JournalEntry.objects.count(), Receipt.objects.count()) == counts
    assert counts[0] == 1 and counts[1] > 50 and counts[2] > 30
    assert ledger_chain.verify_chain() is None
    grant = grant_selectors.grant_list()[0]
    assert grant.received == grant.amount and grant.spent > 0
    assert ledger_selectors.missing_receipts().exists() and ledger_selectors.drafts().count() == 1
    first = Receipt.objects.order_by("id").first()
    assert check_receipt_file(name=first.original_name, data=first.file.read()) in (
        "image/png",
        "application/pdf",
    )
