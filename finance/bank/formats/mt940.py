"""MT940 (SWIFT customer statement) as exported by ING, Rabobank and ABN AMRO.

Why our own reader and not the installed ``mt-940`` package: the import must be all or
nothing with a Dutch message naming the offending *line*, and ``mt940`` reports neither
line numbers nor which field failed; it also silently accepts amounts with three decimals.
The format is small enough to read carefully here (tested against the package in the tests).

What is read, per statement (``:20:`` up to the closing ``-``):

* ``:25:`` the account: an IBAN, optionally followed by the currency (ING
  ``NL69INGB0123456789EUR``) or preceded by a BIC (``RABONL2U/NL44RABO0123456789``);
* ``:60F:``/``:60M:`` opening and ``:62F:``/``:62M:`` closing balance — required, and
  opening + lines must equal closing, per statement; consecutive statements must chain;
* ``:61:`` a transaction: value date, optional booking date (MMDD), D/C/RD/RC, amount,
  type, the account owner's reference and, after ``//``, the bank's reference (ING). The
  optional second line holds supplementary details (Rabobank puts the counterparty account
  there);
* ``:86:`` directly after a ``:61:``: counterparty and description, see ``remittance``.

SWIFT envelope blocks (``{1:…}{2:…}{4:``), ING's ``0000 01INGBNL2AXXX…`` / ``940 00`` header
lines and ``:28C:``, ``:64:``, ``:65:``, ``:NS:`` are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .fields import (
    abn_amro_account,
    account_iban,
    clean_text,
    counterparty_account,
    decode_text,
    format_euro,
    parse_amount,
    parse_yymmdd,
)
from .records import ParsedStatement, StatementError
from .remittance import parse_details
from .statement import DraftLine, assemble, check_balance, single_account

FORMAT = "mt940"

_TAG = re.compile(r":(\d{2}[A-Z]?|NS):(.*)")
_BALANCE = re.compile(r"(?P<dc>[CD])(?P<date>\d{6})(?P<ccy>[A-Z]{3})(?P<amount>[0-9,.]+)")
_LINE_61 = re.compile(
    r"(?P<value>\d{6})(?P<entry>\d{4})?(?P<dc>RC|RD|C|D)(?P<funds>[A-Z])?"
    r"(?P<amount>[0-9][0-9,.]*)(?P<type>[NSF][A-Z0-9]{3})(?P<customer>.*?)(?://(?P<bank>.*))?"
)
_SWIFT_WRAP = 65  # :86: lines are hard-wrapped at 65 characters, mid-word


@dataclass
class _Tag:
    name: str
    lines: list[str]
    line_number: int


@dataclass
class _Statement:
    reference: str = ""
    line_number: int = 0
    account: str = ""
    account_line: int = 0
    currency: str = ""
    opening: Decimal | None = None
    opening_date: object = None
    closing: Decimal | None = None
    closing_date: object = None
    lines: list[DraftLine] = field(default_factory=list)


def parse(data: bytes) -> ParsedStatement:
    """Parse an MT940 file (one or more statements of one account)."""
    statements = [_statement(tags) for tags in _messages(decode_text(data))]
    if not statements:
        raise StatementError("Het bestand bevat geen MT940-afschrift (geen :20:-regel gevonden).")
    iban = single_account(_first_lines(statements))
    currencies = {s.currency for s in statements}
    if len(currencies) > 1:
        raise StatementError(
            "Het bestand bevat afschriften in verschillende valuta "
            f"({', '.join(sorted(currencies))})."
        )
    for previous, current in zip(statements, statements[1:], strict=False):
        if previous.closing != current.opening:
            raise StatementError.at(
                current.line_number,
                f"het beginsaldo van afschrift {current.reference} "
                f"({format_euro(current.opening)}) sluit niet aan op het eindsaldo van het vorige "
                "afschrift "
                f"({format_euro(previous.closing)}); er ontbreekt een afschrift.",
            )
    return assemble(
        format=FORMAT,
        data=data,
        account_iban=iban,
        currency=statements[0].currency,
        lines=[line for s in statements for line in s.lines],
        opening_balance=statements[0].opening,
        closing_balance=statements[-1].closing,
        opening_date=statements[0].opening_date,
        closing_date=statements[-1].closing_date,
    )


def _first_lines(statements: list[_Statement]) -> dict[str, int]:
    found: dict[str, int] = {}
    for statement in statements:
        found.setdefault(statement.account, statement.account_line)
    return found


def _messages(text: str) -> list[list[_Tag]]:
    """Split the text into statements, each a list of tags with their continuation lines."""
    messages: list[list[_Tag]] = []
    current: list[_Tag] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if line.startswith("{") and ":20:" in line:  # envelope and :20: on one line
            line = line[line.index(":20:") :]
        match = _TAG.match(line)
        if match:
            name, value = match.groups()
            if name == "20":
                current = []
                messages.append(current)
            if current is None:
                raise StatementError.at(
                    number, f"het veld :{name}: staat vóór het begin van een afschrift (:20:)."
                )
            current.append(_Tag(name, [value], number))
        elif line == "-" or line.startswith(("-}", "{")):
            current = None  # end of message / envelope
        elif current:
            current[-1].lines.append(line)
        # else: header lines before the first statement (ING "0000 01INGB…", "940 00")
    return messages


def _statement(tags: list[_Tag]) -> _Statement:
    statement = _Statement(reference=clean_text(tags[0].lines[0]), line_number=tags[0].line_number)
    last_line: DraftLine | None = None
    for tag in tags:
        name, value, number = tag.name, tag.lines[0].strip(), tag.line_number
        if name == "25":
            statement.account = _account(value, number)
            statement.account_line = number
        elif name in ("60F", "60M"):
            statement.opening, statement.opening_date, statement.currency = _balance(
                value, number, "beginsaldo"
            )
        elif name in ("62F", "62M"):
            statement.closing, statement.closing_date, currency = _balance(
                value, number, "eindsaldo"
            )
            if statement.currency and currency != statement.currency:
                raise StatementError.at(
                    number,
                    f"het eindsaldo is in {currency}, het beginsaldo in {statement.currency}.",
                )
        elif name == "61":
            if statement.opening is None:
                raise StatementError.at(number, "er staat een mutatie vóór het beginsaldo (:60F:).")
            last_line = _transaction(tag)
            statement.lines.append(last_line)
        elif name == "86" and last_line is not None:
            _add_details(last_line, tag)
            last_line = None  # a later :86: (after :62F:) is statement information
        elif name != "86":
            last_line = None
    where = f"afschrift {statement.reference} (regel {statement.line_number})"
    if not statement.account:
        raise StatementError.at(statement.line_number, f"{where} heeft geen rekeningnummer (:25:).")
    if statement.opening is None:
        raise StatementError.at(statement.line_number, f"{where} heeft geen beginsaldo (:60F:).")
    if statement.closing is None:
        raise StatementError.at(
            statement.line_number,
            f"{where} heeft geen eindsaldo (:62F:); het bestand is waarschijnlijk afgebroken.",
        )
    check_balance(statement.opening, statement.lines, statement.closing, where=f" in {where}")
    return statement


def _account(value: str, number: int) -> str:
    if re.fullmatch(r"\d{9,10}", value.strip()):  # ABN AMRO's pre-IBAN account number
        return abn_amro_account(value, number)
    candidates = [part.strip() for part in value.replace(" ", "/").split("/") if part.strip()]
    for candidate in reversed(candidates):  # the IBAN comes after an optional BIC
        if re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]+[A-Z]{3}", candidate):
            try:  # ING appends the currency without a separator
                return account_iban(candidate[:-3], number)
            except StatementError:
                pass
        if re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]+", candidate):
            return account_iban(candidate, number)
    return account_iban(value, number)


def _balance(value: str, number: int, what: str):
    match = _BALANCE.fullmatch(value.replace(" ", ""))
    if match is None:
        raise StatementError.at(number, f"het {what} ‘{value}’ is niet leesbaar.")
    amount = _swift_amount(match["amount"], number, f"het {what}")
    if match["dc"] == "D":
        amount = -amount
    return (
        amount,
        parse_yymmdd(match["date"], number, what=f"de datum van het {what}"),
        match["ccy"],
    )


def _swift_amount(raw: str, number: int, what: str = "het bedrag") -> Decimal:
    # SWIFT writes "12," for 12.00 and never uses thousands separators or points.
    if "." in raw:
        raise StatementError.at(number, f"{what} ‘{raw}’ is geen geldig bedrag.")
    return parse_amount(raw + "00" if raw.endswith(",") else raw, number, decimal=",", what=what)


def _transaction(tag: _Tag) -> DraftLine:
    number = tag.line_number
    match = _LINE_61.fullmatch(tag.lines[0].strip())
    if match is None:
        raise StatementError.at(
            number, f"de mutatie ‘{tag.lines[0].strip()}’ is niet leesbaar (:61:)."
        )
    value_date = parse_yymmdd(match["value"], number, what="de valutadatum")
    booking_date = value_date
    if match["entry"]:
        month, day = int(match["entry"][:2]), int(match["entry"][2:])
        year = value_date.year
        # The booking date has no year: it can fall just across New Year from the value date.
        if month == 1 and value_date.month == 12:
            year += 1
        elif month == 12 and value_date.month == 1:
            year -= 1
        booking_date = parse_yymmdd(
            f"{year % 100:02d}{month:02d}{day:02d}", number, what="de boekdatum"
        )
    amount = _swift_amount(match["amount"], number)
    if match["dc"] in ("D", "RC"):  # RC = reversal of a credit, i.e. money out
        amount = -amount
    bank_reference = clean_text(match["bank"] or "")
    customer = clean_text(match["customer"])
    line = DraftLine(
        line_number=number,
        booking_date=booking_date,
        value_date=value_date,
        amount=amount,
        bank_reference=bank_reference,
        reference_is_unique=bool(bank_reference),
    )
    if not bank_reference and customer.upper() not in ("", "NONREF", "EREF", "NOTPROVIDED"):
        line.bank_reference = customer
    supplementary = clean_text(" ".join(tag.lines[1:]))
    if supplementary and not supplementary.startswith("/"):  # Rabobank: "NL44RABO… naam"
        account, _, name = supplementary.partition(" ")
        line.counterparty_iban = counterparty_account(account)
        line.counterparty_name = name
    return line


def _add_details(line: DraftLine, tag: _Tag) -> None:
    parts = [tag.lines[0]]
    for previous, current in zip(tag.lines, tag.lines[1:], strict=False):
        # A line filled to the SWIFT width was wrapped mid-word; a shorter one ended a phrase.
        parts.append(current if len(previous) >= _SWIFT_WRAP else " " + current)
    details = parse_details("".join(parts))
    line.counterparty_name = details.name or line.counterparty_name
    line.counterparty_iban = counterparty_account(details.account) or line.counterparty_iban
    line.description = details.description
    if not line.bank_reference and details.end_to_end_id:
        line.bank_reference = details.end_to_end_id
