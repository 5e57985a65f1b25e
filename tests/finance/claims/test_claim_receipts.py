"""The receipt of an expense claim reaches the booking that pays it (issue 14, point 5)."""

import datetime as dt

from django.urls import reverse

from finance.bank import importing as bank_import
from finance.bank import reconciliation
from finance.bank.formats import samples
from finance.claims.models import ExpenseClaim
from finance.ledger import selectors as ledger_selectors
from finance.ledger.models import Account, ReceiptNeed
from tests.finance.claims.test_claims import DAY, IBAN, approve, rules, submit  # noqa: F401

__all__ = ["rules"]


def _pay(users, claim, tag="REF1"):
    treasurer = users["treasurer"]
    account = bank_import.bank_account_create(
        user=treasurer,
        iban=samples.ACCOUNT_IBAN,
        name="ING",
        holder="K-buurt",
        ledger_account=Account.objects.get(role="bank"),
    )
    day = DAY + dt.timedelta(days=3)
    line = samples.SampleLine(
        day, day, -claim.amount, "M. Lid", IBAN, f"Declaratie D{claim.number}", tag
    )
    bank_import.import_statement(
        data=samples.camt053_document([line]), filename=f"{tag}.xml", user=treasurer
    )
    assert reconciliation.auto_match(user=treasurer, bank_account=account) == 1
    claim.refresh_from_db()
    return claim


def test_paid_claim_booking_has_the_claim_receipt_and_is_not_missing_one(
    rules, users, client_as, group_a
):
    # given: an approved claim with its receipt
    claim = approve(submit(users["member"]), users["treasurer"])
    # when: its bank line is matched, which pays it
    claim = _pay(users, claim)
    # then: the booking carries the claim's receipt (same file, same hash)
    assert claim.status == ExpenseClaim.Status.PAID
    entry = claim.paid_entry
    receipt = entry.receipts.get()
    assert receipt.file.name == claim.receipt.name
    assert receipt.sha256 == claim.receipt_sha256
    assert receipt.original_name == "bon.png" and receipt.content_type == "image/png"
    assert receipt.history.get().history_user_id == users["treasurer"].pk
    assert ReceiptNeed.objects.get(entry=entry).has_receipt
    assert entry.pk not in {e.pk for e in ledger_selectors.missing_receipts()}
    # and the booking's page shows it, and serves it
    page = client_as("treasurer").get(
        reverse("finance:entry", kwargs={"group_slug": group_a.slug, "pk": entry.pk})
    )
    assert page.status_code == 200
    assert "Nog geen bonnetje" not in page.content.decode()
    served = client_as("audit").get(
        reverse("finance:receipt", kwargs={"group_slug": group_a.slug, "pk": receipt.pk})
    )
    assert served.status_code == 200


def test_a_claim_receipt_already_on_another_booking_is_not_attached_twice(rules, users):
    from finance.ledger.receipts import receipt_add
    from tests.finance.conftest import expense, png_bytes

    # given: the treasurer booked the same receipt as an expense already
    treasurer = users["treasurer"]
    first = expense(treasurer, "42.50", day=DAY)
    receipt_add(entry=first, name="bon.png", data=png_bytes("a"), user=treasurer)
    claim = approve(submit(users["member"], tag="a"), treasurer)
    # when
    claim = _pay(users, claim)
    # then: the booking that has it keeps it; the claim's booking is still missing one
    assert claim.paid_entry.receipts.count() == 0
    assert first.receipts.count() == 1
