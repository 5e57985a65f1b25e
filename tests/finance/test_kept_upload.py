"""A validation error keeps the receipt photo and shows an error summary at the top."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from backoffice.core import uploads
from finance.ledger.models import JournalEntry, Receipt
from tests.finance.conftest import acc, png_bytes


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2026, 6, 15, 12, 0, tzinfo=UTC), tick=False):
        yield


def _expense(client, group, **data):
    return client.post(
        reverse("finance:expense_new", kwargs={"group_slug": group.slug}),
        {
            "date": "2026-04-01",
            "category": acc("4100").pk,
            "paid_from": acc("1100").pk,
            "description": "Verf voor bankje",
            **data,
        },
    )


def test_an_error_keeps_the_receipt_and_the_next_submit_uses_it(books, client_as, group_a):
    client = client_as("treasurer")
    photo = png_bytes("kept")
    # when: the amount is unclear, the photo was attached
    first = _expense(
        client,
        group_a,
        amount="1.250",
        receipt=SimpleUploadedFile("IMG_0042.png", photo, content_type="image/png"),
    )
    page = first.content.decode()
    # then: an error summary at the top links to the field, and the photo is kept
    assert first.status_code == 400
    summary = re.search(
        r'<div class="error-summary[^"]*"[^>]*data-error-summary>(.*?)</div>', page, re.S
    )
    assert summary and 'href="#id_amount"' in summary.group(1)
    assert "Bedoel je € 1.250,00?" in summary.group(1)
    assert page.index("data-error-summary") < page.index('name="amount"')
    assert "Bewaard: ‘IMG_0042.png’" in page
    token = re.search(r'name="receipt_kept" value="([^"]+)"', page).group(1)
    assert not JournalEntry.objects.exists()
    # when: corrected, without choosing the photo again
    second = _expense(client, group_a, amount="12,50", receipt_kept=token)
    # then
    assert second.status_code == 302
    receipt = Receipt.objects.get()
    assert receipt.original_name == "IMG_0042.png" and receipt.entry.lines.count() == 2


def test_a_forged_or_foreign_token_brings_nothing_back(books, group_a, group_b):
    token = uploads.keep(SimpleUploadedFile("bon.png", png_bytes("x"), content_type="image/png"))
    assert uploads.take(token).read() == png_bytes("x")
    assert uploads.take(token[:-2] + "xx") is None
    connection.set_tenant(group_b)
    assert uploads.take(token) is None
