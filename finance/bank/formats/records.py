"""The normalised output of every bank-file parser, and the one error they raise.

Contract shared by all parsers in this package:

* Everything is immutable (frozen dataclasses, tuples), so a parsed statement can be handed
  to the import service, cached or compared without defensive copies.
* Money is ``Decimal`` with exactly two decimals; ``ParsedLine.amount`` is signed from the
  account holder's point of view: negative means money left the account.
* A file is accepted whole or not at all: the first problem raises ``StatementError`` with a
  Dutch message for the treasurer and, where it concerns one line, that line's number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


class StatementError(ValueError):
    """A bank file that cannot be imported as a whole.

    ``message_nl`` is shown to the treasurer as is; when the problem sits on one line it
    starts with "Regel N:" and ``line_number`` is N (1-based, in the source file). For
    problems of the whole file (empty, unknown format, balances that do not add up)
    ``line_number`` is None.
    """

    def __init__(self, message_nl: str, line_number: int | None = None) -> None:
        super().__init__(message_nl)
        self.message_nl = message_nl
        self.line_number = line_number

    @classmethod
    def at(cls, line_number: int, reason: str) -> StatementError:
        """Error about one line: the message becomes "Regel N: reason"."""
        return cls(f"Regel {line_number}: {reason}", line_number)

    def __reduce__(self):  # keep both arguments when pickled (e.g. by a task queue)
        return (type(self), (self.message_nl, self.line_number))


@dataclass(frozen=True, slots=True)
class ParsedLine:
    """One booked transaction on the statement.

    ``line_number``: 1-based line in the source file where the transaction starts (for XML:
    the line of its ``<Ntry>`` element). ``counterparty_iban`` is the normalised IBAN when
    the bank gave a valid one, otherwise the account number exactly as given (old Dutch
    account numbers, foreign formats) or "". ``bank_reference`` is the bank's own reference
    when the format has one, else "". ``dedup_key`` is a 64-character hex string, stable
    across re-imports of the same export format; see ``finance.bank_formats.dedup``.
    """

    line_number: int
    booking_date: dt.date
    value_date: dt.date | None
    amount: Decimal
    counterparty_name: str
    counterparty_iban: str
    description: str
    bank_reference: str
    dedup_key: str


@dataclass(frozen=True, slots=True)
class ParsedStatement:
    """A whole bank file: one account, its lines in file order, and what it says about balances.

    ``format`` is one of ``finance.bank_formats.FORMATS``. ``opening_balance`` /
    ``closing_balance`` are None when the file does not state them; when it does they have
    been checked: opening + sum(lines) == closing. ``opening_date`` / ``closing_date`` are
    the dates of those balances, or else the first and last booking date (None for a file
    without lines and without balances). ``sha256`` is the hex digest of the raw bytes, so
    the import service can recognise a file that was uploaded before.
    """

    format: str
    account_iban: str
    currency: str
    opening_balance: Decimal | None
    closing_balance: Decimal | None
    opening_date: dt.date | None
    closing_date: dt.date | None
    lines: tuple[ParsedLine, ...]
    sha256: str
