"""Turning a parser's draft lines into a checked, immutable ``ParsedStatement``.

Every format parser produces ``DraftLine`` objects and the facts its file states; the checks
that are the same for all formats live here: balances add up, one account per file, dedup
keys. Running balances ("saldo na mutatie" in CSVs) are checked here too, because the same
rule applies to ING, Rabobank and Triodos.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .dedup import dedup_keys
from .fields import format_euro
from .records import ParsedLine, ParsedStatement, StatementError


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


def assemble(
    *,
    format: str,
    data: bytes,
    account_iban: str,
    currency: str,
    lines: Sequence[DraftLine],
    opening_balance: Decimal | None = None,
    closing_balance: Decimal | None = None,
    opening_date: dt.date | None = None,
    closing_date: dt.date | None = None,
) -> ParsedStatement:
    """Check the balances (when both are given), compute dedup keys, freeze the result."""
    if opening_balance is not None and closing_balance is not None:
        check_balance(opening_balance, lines, closing_balance)
    if lines:
        dates = [line.booking_date for line in lines]
        opening_date = opening_date or min(dates)
        closing_date = closing_date or max(dates)
    keys = dedup_keys(account_iban, lines)
    return ParsedStatement(
        format=format,
        account_iban=account_iban,
        currency=currency,
        opening_balance=opening_balance,
        closing_balance=closing_balance,
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
            )
            for line, key in zip(lines, keys, strict=True)
        ),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def single_account(found: dict[str, int]) -> str:
    """The one account IBAN in ``found`` (IBAN -> first line); refuse a file with several."""
    if len(found) > 1:
        (first, _), (second, line) = sorted(found.items(), key=lambda item: item[1])[:2]
        raise StatementError.at(
            line,
            f"deze regel hoort bij rekening {second}, eerdere regels bij {first}. Een bestand "
            "met meerdere rekeningen wordt niet ingelezen: exporteer per rekening.",
        )
    (iban,) = found
    return iban
