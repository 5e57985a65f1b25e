"""Deduplication keys: how a re-imported transaction is recognised.

Treasurers download overlapping periods ("last month", then "last quarter"), so the import
service must recognise a transaction it already has. Every ``ParsedLine`` carries a
``dedup_key``: a 64-character sha256 hex digest, meant to be unique per account.

Two kinds of key
----------------
1. **Bank reference.** When the bank assigns a reference that is unique for the account —
   CAMT ``AcctSvcrRef``, the MT940 ``:61:`` bank reference (after ``//``), Rabobank's
   ``Volgnr`` — the key is ``sha256("ref", IBAN, reference)``. Two lines in one file with the
   same such reference are refused: it means the file is inconsistent, and accepting it
   would silently drop one of them later.

2. **Content fallback**, for everything else (ING, ABN AMRO, bunq and Triodos CSVs, CAMT
   entries with only an EndToEndId or NtryRef — those are set by the payer or restart per
   statement, so they are not trusted as unique on their own but do go into the content):
   ``sha256("content", IBAN, booking date, amount, counterparty IBAN, description,
   weak reference, occurrence index)``.

Why the occurrence index
------------------------
Two genuinely different transactions can have identical content: two €2,50 coffees at the
same café on the same day, two identical contributions transferred by one neighbour. Without
an extra component they would get the same key and the second would be thrown away as a
"duplicate". The occurrence index numbers identical tuples within one file (0, 1, 2, …), so
both coffees survive, and a later export that contains the same day again produces the same
two keys again.

Limits (the import service should know them):

* Identical tuples are only told apart by how many of them a file contains. An export that
  cuts through a day in which one of two identical coffees is included and a later export
  with both yields keys …#0 and …#0, …#1: correct. But the key does not know *which* coffee
  is which, only how many there are.
* The content must be byte-identical between exports. If the bank changes a description
  between downloads (it happens with pending → booked card payments), the line is seen as
  new. Files of different formats (ING CSV vs. ING CAMT) produce different keys for the same
  transaction; the import service therefore compares new lines with lines of other formats
  (date, amount, counterparty) and asks the treasurer before adding them (see
  ``finance.bank.importing.overlaps``).
* The key is independent of line order within the file (shuffling identical lines only
  swaps identical keys), which the tests check.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from decimal import Decimal
from typing import Protocol

from .records import StatementError

_SEP = "\x1f"  # unit separator: cannot occur in the cleaned text fields


class _Keyable(Protocol):
    line_number: int
    booking_date: object
    amount: Decimal
    counterparty_iban: str
    description: str
    bank_reference: str
    reference_is_unique: bool


def _digest(*parts: str) -> str:
    return hashlib.sha256(_SEP.join(parts).encode("utf-8")).hexdigest()


def reference_key(iban: str, reference: str) -> str:
    """Key for a line with a bank-assigned reference unique to the account."""
    return _digest("ref", iban, reference)


def content_key(
    iban: str,
    booking_date: object,
    amount: Decimal,
    counterparty_iban: str,
    description: str,
    weak_reference: str,
    occurrence: int,
) -> str:
    """Fallback key from the line's content; see the module docstring for the occurrence."""
    return _digest(
        "content",
        iban,
        str(booking_date),
        f"{amount:.2f}",
        counterparty_iban,
        description,
        weak_reference,
        str(occurrence),
    )


def dedup_keys(iban: str, lines: Iterable[_Keyable]) -> list[str]:
    """The keys for ``lines`` in the given order; refuses a repeated unique bank reference."""
    keys: list[str] = []
    seen_refs: dict[str, int] = {}
    occurrences: dict[tuple, int] = {}
    for line in lines:
        if line.reference_is_unique and line.bank_reference:
            first = seen_refs.setdefault(line.bank_reference, line.line_number)
            if first != line.line_number:
                raise StatementError.at(
                    line.line_number,
                    f"de bankreferentie ‘{line.bank_reference}’ staat ook op regel {first}; "
                    "het bestand is niet consistent.",
                )
            keys.append(reference_key(iban, line.bank_reference))
            continue
        content = (
            line.booking_date,
            line.amount,
            line.counterparty_iban,
            line.description,
            line.bank_reference,
        )
        index = occurrences.get(content, 0)
        occurrences[content] = index + 1
        keys.append(content_key(iban, *content, index))
    return keys
