"""Receipts and the simple forms: checked by content, stored per group, served with care."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from finance.closing import services as closing_services
from finance.grants import services as grant_services
from finance.ledger import receipts
from finance.ledger import selectors as ledger_selectors
from finance.ledger import services as ledger_services
from finance.ledger.models import JournalEntry, Receipt
from tests.finance.conftest import acc, expense, pdf_bytes, png_bytes


@pytest.fixture(autouse=True)
def _today():
    """The pages ask about dates far from today: these tests book in 2026, seen from June."""
    with time_machine.travel(datetime(2026, 6, 15, 12, 0, tzinfo=UTC), tick=False):
        yield


def _url(group, name, **kw):
    return reverse(f"finance:{name}", kwargs={"group_slug": group.slug, **kw})


def test_receipt_is_stored_under_the_schema_and_served_as_attachment(
    books, users, client_as, group_a, settings
):
    entry = expense(users["treasurer"], receipt_name="kassabon.png", receipt_data=png_bytes("x"))
    receipt = Receipt.objects.get(entry=entry)
    assert receipt.file.name.startswith("g_k_buurt/receipts/")
    stored = (settings.MEDIA_ROOT / receipt.file.name).read_bytes()
    assert stored.startswith(b"\x89PNG") and stored != png_bytes("x")  # re-written, stripped
    assert receipt.content_type == "image/png" and receipt.history.count() == 1
    response = client_as("audit").get(_url(group_a, "receipt", pk=receipt.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="kassabon.png"')
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == stored
    # another group's member cannot reach it
    assert client_as("other").get(_url(group_a, "receipt", pk=receipt.pk)).status_code == 404


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("bon.jpg", pdf_bytes(), "De naam zegt .jpg, maar het bestand is een pdf"),
        ("bon.pdf", b"MZ\x90\x00 this is an exe", "geen foto"),
        ("bon.png", b"<html><script>alert(1)</script></html>", "geen foto"),
        ("bon.png", b"", "leeg"),
        ("groot.pdf", pdf_bytes() + b"0" * (10 * 1024 * 1024), "groter dan 10 MB"),
    ],
)
def test_bad_receipts_are_refused_and_nothing_is_written(
    books, users, name, data, message, settings
):
    with pytest.raises(ValidationError, match=message):
        expense(users["treasurer"], receipt_name=name, receipt_data=data)
    assert not JournalEntry.objects.exists() and not Receipt.objects.exists()
    assert not (settings.MEDIA_ROOT / "g_k_buurt").exists()


def test_heic_and_pdf_are_accepted_by_content():
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    assert receipts.check_receipt_file(name="IMG_0001.HEIC", data=heic) == "image/heic"
    assert receipts.check_receipt_file(name="factuur", data=pdf_bytes()) == "application/pdf"


def test_duplicate_receipt_is_detected_by_sha256(books, users):
    first = expense(users["treasurer"], receipt_name="a.png", receipt_data=png_bytes("same"))
    with pytest.raises(
        ValidationError, match=f"al eerder geüpload, bij boeking {first.display_number}"
    ):
        expense(users["treasurer"], receipt_name="b.png", receipt_data=png_bytes("same"))
    assert JournalEntry.objects.count() == 1


def test_missing_receipt_list(books, users):
    t = users["treasurer"]
    without = expense(t, description="Zonder bon")
    expense(t, description="Met bon", receipt_name="a.png", receipt_data=png_bytes("m"))
    reversed_one = expense(t, description="Teruggedraaid")

    ledger_services.entry_reverse(entry=reversed_one, user=t, date=date(2026, 3, 2))
    assert [e.pk for e in ledger_selectors.missing_receipts()] == [without.pk]
    receipts.receipt_add(entry=without, name="later.pdf", data=pdf_bytes("l"), user=t)
    assert not ledger_selectors.missing_receipts().exists()


def test_treasurer_records_an_expense_with_the_simple_form(books, users, client_as, group_a):

    grant = grant_services.grant_create(
        user=users["treasurer"],
        funder="Gemeente",
        reference="G-1",
        title="Buurtbudget",
        amount=Decimal("1000.00"),
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    line = grant_services.budget_line_create(
        grant=grant,
        user=users["treasurer"],
        account=acc("4100"),
        description="Verf",
        amount=Decimal("300.00"),
    )
    response = client_as("treasurer").post(
        _url(group_a, "expense_new"),
        {
            "date": "2026-04-01",
            "amount": "23,95",
            "category": acc("4100").pk,
            "budget_line": line.pk,
            "paid_from": acc("1100").pk,
            "description": "Verf voor bankje",
            "receipt": SimpleUploadedFile("IMG_1.png", png_bytes("form"), content_type="image/png"),
        },
    )
    entry = JournalEntry.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/boekingen/{entry.pk}/")
    assert entry.is_posted and entry.receipts.count() == 1
    debit = entry.lines.get(debit__gt=0)
    assert (debit.account.code, debit.debit, debit.budget_line_id, debit.grant_id) == (
        "4100",
        Decimal("23.95"),
        line.pk,
        grant.pk,
    )
    page = client_as("treasurer").get(_url(group_a, "grant", pk=grant.pk)).content.decode()
    assert "€ 23,95 van € 300,00" in page


@pytest.mark.parametrize(
    "amount, message",
    [
        ("12,505", "hoogstens twee cijfers achter de komma"),
        ("0", "groter zijn dan nul"),
        ("-5", "groter zijn dan nul"),
        ("twaalf", "Vul een bedrag in"),
    ],
)
def test_simple_form_refuses_bad_amounts_in_dutch(
    books, users, client_as, group_a, amount, message
):
    response = client_as("treasurer").post(
        _url(group_a, "expense_new"),
        {
            "date": "2026-04-01",
            "amount": amount,
            "category": acc("4100").pk,
            "paid_from": acc("1100").pk,
            "description": "Verf",
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not JournalEntry.objects.exists()


def test_simple_form_refuses_a_receipt_that_lies_about_its_type(books, users, client_as, group_a):
    response = client_as("treasurer").post(
        _url(group_a, "expense_new"),
        {
            "date": "2026-04-01",
            "amount": "5,00",
            "category": acc("4100").pk,
            "paid_from": acc("1100").pk,
            "description": "Verf",
            "receipt": SimpleUploadedFile("bon.jpg", pdf_bytes("lie"), content_type="image/jpeg"),
        },
    )
    assert response.status_code == 400
    assert "De naam zegt .jpg, maar het bestand is een pdf" in response.content.decode()
    assert not JournalEntry.objects.exists() and not Receipt.objects.exists()


def test_simple_form_in_a_closed_year_is_refused(books, users, client_as, group_a):
    from finance.ledger.models import FinancialYear

    expense(users["treasurer"], day=date(2025, 2, 1))
    closing_services.year_close(year=FinancialYear.objects.get(year=2025), user=users["treasurer"])
    response = client_as("treasurer").post(
        _url(group_a, "income_new"),
        {
            "date": "2025-06-01",
            "amount": "50",
            "category": acc("8100").pk,
            "received_in": acc("1000").pk,
            "description": "Donatie",
        },
    )
    assert response.status_code == 400
    assert "Boekjaar 2025 is afgesloten" in response.content.decode()
    assert JournalEntry.objects.count() == 1


def test_secretary_expense_waits_as_draft_for_the_treasurer(books, users, client_as, group_a):
    client_as("secretary").post(
        _url(group_a, "expense_new"),
        {
            "date": "2026-04-01",
            "amount": "8,00",
            "category": acc("4200").pk,
            "paid_from": acc("1000").pk,
            "description": "Flyers",
        },
    )
    entry = JournalEntry.objects.get()
    assert entry.status == "concept"
    page = client_as("treasurer").get(_url(group_a, "dashboard")).content.decode()
    assert "1 concept wacht op boeken" in page
    assert client_as("secretary").post(_url(group_a, "entry_post", pk=entry.pk)).status_code == 403
    client_as("treasurer").post(_url(group_a, "entry_post", pk=entry.pk))
    entry.refresh_from_db()
    assert entry.is_posted


def test_full_journal_form_books_a_balanced_entry_and_refuses_an_unbalanced_one(
    books, users, client_as, group_a
):
    def post(debit, credit):
        return client_as("treasurer").post(
            _url(group_a, "journal_new"),
            {
                "date": "2026-05-01",
                "description": "Kas naar bank",
                "action": "post",
                "regel-TOTAL_FORMS": "4",
                "regel-INITIAL_FORMS": "0",
                "regel-0-account": acc("1100").pk,
                "regel-0-debit": debit,
                "regel-1-account": acc("1000").pk,
                "regel-1-credit": credit,
            },
        )

    response = post("100,00", "99,00")
    assert response.status_code == 400 and "niet in evenwicht" in response.content.decode()
    assert not JournalEntry.objects.exists()
    assert post("100,00", "100,00").status_code == 302
    assert JournalEntry.objects.get().is_posted


def test_editing_a_posted_entry_is_refused_by_the_page(books, users, client_as, group_a):
    entry = expense(users["treasurer"])
    response = client_as("treasurer").get(_url(group_a, "entry_edit", pk=entry.pk), follow=True)
    assert "kan niet worden gewijzigd" in response.content.decode()
