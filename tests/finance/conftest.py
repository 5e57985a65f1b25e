"""Finance test helpers: bookings made through the real services in group A's schema."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from finance import bookings
from finance.ledger import services as ledger_services
from finance.ledger.models import Account
from finance.ledger.postings import LineInput

# A valid 1x1 PNG (receipts are decoded to strip their metadata, so a damaged one is refused).
PNG_1PX = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x03\x00\x08\xfc\x02\xfe\xa7\x9a\xa0"
    b"\xa0\x00\x00\x00\x00IEND\xaeB`\x82"
)


def png_bytes(tag: str = "") -> bytes:
    """A valid PNG, made unique by a trailing comment so SHA-256s differ."""
    return PNG_1PX + tag.encode()


def pdf_bytes(tag: str = "") -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + tag.encode()


@pytest.fixture
def books(in_group_a, users, settings, tmp_path):
    """Group A's schema, with receipts written to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return in_group_a


def acc(code: str) -> Account:
    return Account.objects.get(code=code)


def expense(user, amount="12.50", day=date(2026, 3, 1), code="4000", **kw):
    return bookings.expense_record(
        user=user,
        date=day,
        amount=Decimal(amount),
        category=acc(code),
        description=kw.pop("description", "Koffie"),
        **kw,
    )


def journal(user, day=date(2026, 3, 1), lines=None, post=True, description="Memoriaal"):
    lines = lines or [("4100", "10.00", "0"), ("1000", "0", "10.00")]
    return ledger_services.entry_create(
        date=day,
        description=description,
        user=user,
        post=post,
        lines=[LineInput(account=acc(c), debit=Decimal(d), credit=Decimal(k)) for c, d, k in lines],
    )


def raw(sql: str, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchall() if cursor.description else None
