"""Turning a parser's draft lines into a checked, immutable ``ParsedStatement``.

Every format parser produces ``DraftLine`` objects grouped per account (``DraftAccount``)
and the facts its file states; the checks that are the same for all formats live here:
balances add up, dedup keys, a notice when balances could not be checked. Running balances
("saldo na mutatie" in CSVs) are checked here too, because the same rule applies to ING,
Rabobank, Triodos and de Volksbank.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from .dedup import dedup_keys
from .fields import format_euro
from .records import AccountStatement, BatchPart, ParsedLine, ParsedStatement, StatementError
from .source import Source


@dataclass(slots=True)
class DraftLine:
    """A parsed transaction before the statement-wide checks.

    ``reference_is_unique`` says whether ``bank_reference`` is assigned by the bank and
    unique per account (see ``dedup``). ``balance_after`` is the running balance the file
    states after this line, when it does.
    """

    line_number: int
    booking_date: dt.date
    value_date: dt.date | None
    amount: Decimal
    counterparty_name: str = ""
    counterparty_iban: str = ""
    description: str = ""
    bank_reference: str = ""
    reference_is_unique: bool = False
    balance_after: Decimal | None = None
    is_reversal: bool = False
    parts: tuple[BatchPart, ...] = ()


@dataclass(slots=True)
class DraftAccount:
    """The lines and stated facts of one account while a file is being read."""

    account_iban: str
    line_number: int
    account_number: str = ""
    bank_code: str = ""
    currency: str = ""
    lines: list[DraftLine] = field(default_factory=list)
    opening_balance: Decimal | None = None
    closing_balance: Decimal | None = None
    opening_date: dt.date | None = None
    closing_date: dt.date | None = None
    notices: list[str] = field(default_factory=list)
    # Off when the parser already said precisely which balance is missing where.
    notice_missing_balances: bool = True

    @property
    def key(self) -> str:
        """What identifies the account inside the file (and in its dedup keys)."""
        return self.account_iban or f"nr:{self.account_number}"

    @property
    def label(self) -> str:
        return self.account_iban or self.account_number


def check_balance(
    opening: Decimal, lines: Sequence[DraftLine], closing: Decimal, *, where: str = ""
) -> None:
    """Refuse when opening + sum(lines) != closing. ``where`` names the statement part."""
    total = sum((line.amount for line in lines), Decimal("0.00"))
    if opening + total != closing:
        raise StatementError(
            f"De saldi kloppen niet{where}: beginsaldo {format_euro(opening)} plus de "
            f"{len(lines)} mutaties ({format_euro(total)}) is {format_euro(opening + total)}, "
            f"maar het bestand geeft als eindsaldo {format_euro(closing)}. "
            "Het bestand is onvolledig of beschadigd."
        )


def check_running_balances(lines: Sequence[DraftLine]) -> tuple[Decimal, Decimal] | None:
    """Check "saldo na mutatie" columns and derive (opening, closing) from them.

    Returns None when no line states a balance. Banks list newest-first (ING) or
    oldest-first (Rabobank); the order is taken from the booking dates, and when they do
    not tell (all on one day) both orders are tried. Lines must all have a balance or none.
    """
    with_balance = [line for line in lines if line.balance_after is not None]
    if not with_balance:
        return None
    if len(with_balance) != len(lines):
        missing = next(line for line in lines if line.balance_after is None)
        raise StatementError.at(missing.line_number, "het saldo na mutatie ontbreekt.")
    newest_first = lines[0].booking_date > lines[-1].booking_date
    orders = [list(reversed(lines)) if newest_first else list(lines)]
    if lines[0].booking_date == lines[-1].booking_date:
        orders.append(list(reversed(lines)))
    first_error: StatementError | None = None
    for chronological in orders:
        error = _running_error(chronological)
        if error is None:
            first = chronological[0]
            return first.balance_after - first.amount, chronological[-1].balance_after
        first_error = first_error or error
    raise first_error


def _running_error(chronological: Sequence[DraftLine]) -> StatementError | None:
    previous = chronological[0]
    for line in chronological[1:]:
        expected = previous.balance_after + line.amount
        if expected != line.balance_after:
            return StatementError.at(
                line.line_number,
                f"het saldo na mutatie ({format_euro(line.balance_after)}) is niet het vorige "
                f"saldo ({format_euro(previous.balance_after)}, regel {previous.line_number}) "
                f"plus het bedrag ({format_euro(line.amount)}). Het bestand is onvolledig of "
                "beschadigd.",
            )
        previous = line
    return None


def unchecked_notice(account: DraftAccount) -> str:
    """The notice for a part whose balances the file does not state."""
    missing = (
        "geen beginsaldo en geen eindsaldo"
        if account.opening_balance is None and account.closing_balance is None
        else "geen eindsaldo"
        if account.closing_balance is None
        else "geen beginsaldo"
    )
    return (
        f"Rekening {account.label}: het bestand noemt {missing}, dus kon niet worden "
        "gecontroleerd of alle regels er zijn. Vergelijk het saldo zelf met de bank."
    )


def account_statement(account: DraftAccount) -> AccountStatement:
    """Check the balances (when both are given), compute dedup keys, freeze the part.

    When the balances cannot be checked the part gets a notice saying so: the treasurer
    (and the kascommissie) must know that completeness was not verified.
    """
    lines = account.lines
    opening, closing = account.opening_balance, account.closing_balance
    notices = list(account.notices)
    if opening is not None and closing is not None:
        check_balance(opening, lines, closing, where=f" voor rekening {account.label}")
    elif account.notice_missing_balances:
        notices.append(unchecked_notice(account))
    opening_date, closing_date = account.opening_date, account.closing_date
    if lines:
        dates = [line.booking_date for line in lines]
        opening_date = opening_date or min(dates)
        closing_date = closing_date or max(dates)
    keys = dedup_keys(account.key, lines)
    return AccountStatement(
        account_iban=account.account_iban,
        account_number=account.account_number,
        bank_code=account.bank_code,
        currency=account.currency or "EUR",
        opening_balance=opening,
        closing_balance=closing,
        opening_date=opening_date,
        closing_date=closing_date,
        lines=tuple(
            ParsedLine(
                line_number=line.line_number,
                booking_date=line.booking_date,
                value_date=line.value_date,
                amount=line.amount,
                counterparty_name=line.counterparty_name,
                counterparty_iban=line.counterparty_iban,
                description=line.description,
                bank_reference=line.bank_reference,
                dedup_key=key,
                reference_is_unique=line.reference_is_unique,
                is_reversal=line.is_reversal,
                parts=line.parts,
            )
            for line, key in zip(lines, keys, strict=True)
        ),
        line_number=account.line_number,
        notices=tuple(notices),
    )


def finish(
    *,
    format: str,
    bank: str,
    source: Source,
    accounts: Sequence[DraftAccount],
) -> ParsedStatement:
    """The whole file, one checked part per account, in the order the file names them."""
    if not accounts:
        raise StatementError("Het bestand bevat geen afschrift.")
    return ParsedStatement(
        format=format,
        bank=bank,
        accounts=tuple(account_statement(account) for account in accounts),
        sha256=source.sha256,
        size=source.size,
    )


class AccountGroups:
    """Lines of a file grouped per account, validating each distinct account text once."""

    def __init__(self) -> None:
        self._by_raw: dict[str, DraftAccount] = {}
        self._by_key: dict[str, DraftAccount] = {}

    def get(self, raw: str, number: int, convert: Callable[[str, int], DraftAccount]):
        account = self._by_raw.get(raw)
        if account is None:
            found = convert(raw, number)
            account = self._by_key.setdefault(found.key, found)
            self._by_raw[raw] = account
        return account

    def accounts(self) -> list[DraftAccount]:
        return list(self._by_key.values())


def rekeyed(account: AccountStatement, iban: str) -> AccountStatement:
    """The part with its account's IBAN filled in and the dedup keys made with it.

    Used by the import service once it has found which of the group's accounts an old
    account number belongs to, so that a later export of the same account with an IBAN
    recognises these lines.
    """
    keys = dedup_keys(iban, account.lines)
    return dataclasses.replace(
        account,
        account_iban=iban,
        lines=tuple(
            dataclasses.replace(line, dedup_key=key)
            for line, key in zip(account.lines, keys, strict=True)
        ),
    )
