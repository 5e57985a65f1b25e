"""The normalised output of every bank-file parser, and the one error they raise.

Contract shared by all parsers in this package:

* Everything is immutable (frozen dataclasses, tuples), so a parsed statement can be handed
  to the import service, cached or compared without defensive copies.
* Money is ``Decimal`` with exactly two decimals; ``ParsedLine.amount`` is signed from the
  account holder's point of view: negative means money left the account.
* A file is accepted whole or not at all: the first problem raises ``StatementError`` with a
  Dutch message for the treasurer and, where it concerns one line, that line's number.
* A file may hold several accounts (ABN AMRO's TXT download, a Rabobank CAMT.053 of all
  accounts, an ING CSV of two accounts): ``ParsedStatement.accounts`` has one
  ``AccountStatement`` per account, in the order the file first names them.
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
class BatchPart:
    """One transaction inside a batch entry ("Verzamelboeking"), as the bank details it.

    ``amount`` is signed like the entry it belongs to (negative = money out); it is None
    when the bank lists the transaction without its own amount.
    """

    amount: Decimal | None
    counterparty_name: str
    counterparty_iban: str
    description: str
    reference: str


@dataclass(frozen=True, slots=True)
class ParsedLine:
    """One booked transaction on the statement.

    ``line_number``: 1-based line in the source file where the transaction starts (for XML:
    the line of its ``<Ntry>`` element). ``counterparty_iban`` is the normalised IBAN when
    the bank gave a valid one, otherwise the account number exactly as given (old Dutch
    account numbers, foreign formats) or "". ``bank_reference`` is the bank's own reference
    when the format has one, else "". ``dedup_key`` is a 64-character hex string, stable
    across re-imports of the same export format; see ``dedup``. ``is_reversal`` marks a
    reversal (storno, returned payment) as the bank flags it. ``parts`` holds the
    transactions of a batch entry when the bank details them.
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
    reference_is_unique: bool = False
    is_reversal: bool = False
    parts: tuple[BatchPart, ...] = ()


@dataclass(frozen=True, slots=True)
class AccountStatement:
    """The part of a file that concerns one account: its lines and stated balances.

    ``account_iban`` is the account's IBAN. When the file names the account only by an
    old-style Dutch account number and does not say which bank it is from (so the IBAN
    cannot be derived without guessing), ``account_iban`` is "" and ``account_number``
    holds the digits, with ``bank_code`` ("INGB", "SNSB", …) when the file names the bank;
    the import service then looks for the group's own account with that number.

    ``opening_balance`` / ``closing_balance`` are None when the file does not state them;
    when both are stated they have been checked: opening + sum(lines) == closing. When the
    check could not be made, ``notices`` says so in Dutch. ``opening_date`` /
    ``closing_date`` are the dates of those balances, or else the first and last booking
    date. ``line_number`` is the line where the file first names this account.
    """

    account_iban: str
    account_number: str
    bank_code: str
    currency: str
    opening_balance: Decimal | None
    closing_balance: Decimal | None
    opening_date: dt.date | None
    closing_date: dt.date | None
    lines: tuple[ParsedLine, ...]
    line_number: int
    notices: tuple[str, ...] = ()

    @property
    def account_label(self) -> str:
        """The account as a treasurer recognises it: the IBAN, or the old account number."""
        return self.account_iban or self.account_number


@dataclass(frozen=True, slots=True)
class ParsedStatement:
    """A whole bank file: its format, the bank when known, and one part per account.

    ``format`` is one of ``FORMATS``; ``bank`` the bank's name when the file shows it
    ("ING", "ABN AMRO", "de Volksbank", …) or "". ``sha256`` is the hex digest of the raw
    bytes, so the import service can recognise a file that was uploaded before; ``size``
    is their number.

    For a file of one account, ``account_iban``, ``lines``, the balances and dates can be
    read directly from the statement; for a file of several accounts they raise
    ``StatementError`` (read ``accounts`` instead), except ``lines`` which lists all.
    """

    format: str
    bank: str
    accounts: tuple[AccountStatement, ...]
    sha256: str
    size: int

    @property
    def lines(self) -> tuple[ParsedLine, ...]:
        if len(self.accounts) == 1:
            return self.accounts[0].lines
        return tuple(line for account in self.accounts for line in account.lines)

    @property
    def notices(self) -> tuple[str, ...]:
        return tuple(notice for account in self.accounts for notice in account.notices)

    def single(self) -> AccountStatement:
        """The only account of the file; refuses a file with several."""
        if len(self.accounts) != 1:
            first, second = self.accounts[0], self.accounts[1]
            raise StatementError.at(
                second.line_number,
                f"deze regel hoort bij rekening {second.account_label}, eerdere regels bij "
                f"{first.account_label}. Dit bestand heeft meerdere rekeningen; lees het in "
                "via de import, die elke rekening apart verwerkt.",
            )
        return self.accounts[0]

    @property
    def account_iban(self) -> str:
        return self.single().account_iban

    @property
    def currency(self) -> str:
        return self.single().currency

    @property
    def opening_balance(self) -> Decimal | None:
        return self.single().opening_balance

    @property
    def closing_balance(self) -> Decimal | None:
        return self.single().closing_balance

    @property
    def opening_date(self) -> dt.date | None:
        return self.single().opening_date

    @property
    def closing_date(self) -> dt.date | None:
        return self.single().closing_date
