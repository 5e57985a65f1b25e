"""MT940 (SWIFT customer statement) as exported by the Dutch banks.

Why our own reader and not the installed ``mt-940`` package: the import must be all or
nothing with a Dutch message naming the offending *line*, and ``mt940`` reports neither
line numbers nor which field failed; it also silently accepts amounts with three decimals.
The format is small enough to read carefully here (tested against the package in the tests).

The file is read line by line and each statement is checked when it ends, so a year of
statements never sits in memory as text. What is read, per statement (``:20:`` up to the
closing ``-``):

* ``:25:`` the account: an IBAN, optionally followed by the currency (ING
  ``NL69INGB0123456789EUR``) or preceded by a BIC (``RABONL2U/NL44RABO0123456789``). Some
  exports give the old account number instead (9–10 digits). Only when the file says it is
  from ABN AMRO (its ``ABNANL2A`` header, or the BIC before the number) is that number
  turned into an IBAN, the way ABN AMRO converted its accounts; for any other bank the
  number is passed on as it is, with the bank code when the file names the bank, and the
  import service finds the group's account with that number;
* ``:60F:``/``:60M:`` opening and ``:62F:``/``:62M:`` closing balance — required, and
  opening + lines must equal closing, per statement; consecutive statements of one account
  must chain. A file may hold the statements of several accounts;
* ``:61:`` a transaction: value date, optional booking date (MMDD), D/C/RD/RC (R = a
  reversal, marked as one), amount, type, the account owner's reference and, after ``//``,
  the bank's reference (ING). ING's codes "EREF", "PREF" and "MARF" in the owner's
  reference only say which reference follows in ``:86:``; they are not references. The
  optional second line holds supplementary details: Rabobank puts the counterparty account
  there, other banks something else, so it is read only in Rabobank files;
* ``:86:`` directly after a ``:61:``: counterparty and description, see ``remittance``.
  De Volksbank (ASN, SNS, RegioBank) writes the counterparty's account and name on the first
  line and the description on the next ones.

``:86:`` lines are wrapped at 65 characters (the first line counts its ``:86:`` tag),
often inside a word: a full line is joined to the next without a space, a shorter one ended
a phrase and gets one.

SWIFT envelope blocks (``{1:…}{2:…}{4:``), header lines (ING's ``0000 01INGBNL2AXXX…``,
ABN AMRO's ``ABNANL2A``, Rabobank's ``:940:``) and ``:28C:``, ``:64:``, ``:65:``, ``:NS:``
are skipped (the header only tells which bank wrote the file).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from .fields import (
    BANK_NAMES,
    VOLKSBANK,
    abn_amro_iban,
    account_iban,
    clean_text,
    counterparty_account,
    dutch_bank_code,
    format_euro,
    local_account_number,
    parse_amount,
    parse_yymmdd,
)
from .records import ParsedStatement, StatementError
from .remittance import parse_details
from .source import Source
from .statement import DraftAccount, DraftLine, check_balance, finish

FORMAT = "mt940"

_TAG = re.compile(r":(\d{2}[A-Z]?|NS):(.*)")
_BALANCE = re.compile(r"(?P<dc>[CD])(?P<date>\d{6})(?P<ccy>[A-Z]{3})(?P<amount>[0-9,.]+)")
_LINE_61 = re.compile(
    r"(?P<value>\d{6})(?P<entry>\d{4})?(?P<dc>RC|RD|C|D)(?P<funds>[A-Z])?"
    r"(?P<amount>[0-9][0-9,.]*)(?P<type>[NSF][A-Z0-9]{3})(?P<customer>.*?)(?://(?P<bank>.*))?"
)
_BIC = re.compile(r"(?<![A-Z])([A-Z]{4}NL[A-Z0-9]{2})")
_SWIFT_WIDTH = 65  # :86: lines are hard-wrapped at 65 characters, mid-word
# In ING's owner's reference these say which reference follows in :86:, they are none.
_NOT_A_REFERENCE = frozenset({"", "NONREF", "EREF", "PREF", "MARF", "NOTPROVIDED"})
_VOLKSBANK_FIRST = re.compile(r"(?P<account>[A-Z]{2}\d{2}[A-Z0-9]{8,30}|\d{7,10})\s+(?P<name>.*)")


@dataclass
class _Tag:
    name: str
    lines: list[str]
    line_number: int


@dataclass
class _Statement:
    reference: str = ""
    line_number: int = 0
    account: DraftAccount | None = None
    currency: str = ""
    opening: Decimal | None = None
    opening_date: dt.date | None = None
    closing: Decimal | None = None
    closing_date: dt.date | None = None
    lines: list[DraftLine] = field(default_factory=list)
    last_line: DraftLine | None = None


class _Reader:
    """Reads the tags of a file one by one and checks each statement when it ends."""

    def __init__(self) -> None:
        self.header_codes: list[str] = []  # bank codes of BICs in header lines / envelope
        self.rabobank_header = False
        self.accounts: dict[str, DraftAccount] = {}
        self.last_of_account: dict[str, _Statement] = {}
        self.statement: _Statement | None = None
        self.statements = 0

    # --- bank of the file -----------------------------------------------------------------

    def header(self, line: str) -> None:
        if line.strip() == ":940:":
            self.rabobank_header = True
        for match in _BIC.finditer(line):
            code = dutch_bank_code(match.group(1))
            if code:
                self.header_codes.append(code)

    def file_bank_code(self) -> str:
        if self.rabobank_header:
            return "RABO"
        return self.header_codes[0] if self.header_codes else ""

    # --- tags -------------------------------------------------------------------------------

    def start_statement(self, tag: _Tag) -> None:
        self.end_statement()
        self.statement = _Statement(reference=clean_text(tag.lines[0]), line_number=tag.line_number)
        self.statements += 1

    def tag(self, tag: _Tag) -> None:
        statement = self.statement
        name, value, number = tag.name, tag.lines[0].strip(), tag.line_number
        if name == "25":
            statement.account = self._account(value, number)
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
            line = self._transaction(tag)
            statement.lines.append(line)
            statement.last_line = line
        elif name == "86" and statement.last_line is not None:
            self._add_details(statement.last_line, tag)
            statement.last_line = None  # a later :86: (after :62F:) is statement information
        elif name != "86":
            statement.last_line = None

    def end_statement(self) -> None:
        statement, self.statement = self.statement, None
        if statement is None:
            return
        where = f"afschrift {statement.reference} (regel {statement.line_number})"
        if statement.account is None:
            raise StatementError.at(
                statement.line_number, f"{where} heeft geen rekeningnummer (:25:)."
            )
        if statement.opening is None:
            raise StatementError.at(
                statement.line_number, f"{where} heeft geen beginsaldo (:60F:)."
            )
        if statement.closing is None:
            raise StatementError.at(
                statement.line_number,
                f"{where} heeft geen eindsaldo (:62F:); het bestand is waarschijnlijk afgebroken.",
            )
        check_balance(statement.opening, statement.lines, statement.closing, where=f" in {where}")
        account = statement.account
        previous = self.last_of_account.get(account.key)
        if previous is None:
            account.opening_balance, account.opening_date = (
                statement.opening,
                statement.opening_date,
            )
            account.currency = statement.currency
        else:
            if statement.currency != account.currency:
                raise StatementError(
                    f"Het bestand bevat afschriften van rekening {account.label} in "
                    f"verschillende valuta ({account.currency}, {statement.currency})."
                )
            if previous.closing != statement.opening:
                raise StatementError.at(
                    statement.line_number,
                    f"het beginsaldo van afschrift {statement.reference} "
                    f"({format_euro(statement.opening)}) sluit niet aan op het eindsaldo van "
                    f"het vorige afschrift van deze rekening ({format_euro(previous.closing)}); "
                    "er ontbreekt een afschrift.",
                )
        account.closing_balance, account.closing_date = statement.closing, statement.closing_date
        account.lines.extend(statement.lines)
        statement.lines = []
        statement.last_line = None
        self.last_of_account[account.key] = statement

    # --- fields -----------------------------------------------------------------------------

    def _account(self, value: str, number: int) -> DraftAccount:
        candidates = [part.strip() for part in value.replace(" ", "/").split("/") if part.strip()]
        bic_code = next((dutch_bank_code(part) for part in candidates if dutch_bank_code(part)), "")
        iban = ""
        digits = None
        for candidate in reversed(candidates):  # the account comes after an optional BIC
            if dutch_bank_code(candidate):
                continue
            if re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]+[A-Z]{3}", candidate):
                try:  # ING appends the currency without a separator
                    iban = account_iban(candidate[:-3], number)
                    break
                except StatementError:
                    pass
            if re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]+", candidate):
                iban = account_iban(candidate, number)
                break
            number_part = re.sub(r"(EUR)$", "", candidate)
            digits = local_account_number(number_part)
            if digits is not None:
                break
            if candidate.upper() == "EUR":
                continue
        if not iban and digits is None:
            account_iban(value, number)  # raises the "geen geldige IBAN" message
        bank_code = bic_code or self.file_bank_code()
        if iban:
            key = iban
            found = self.accounts.get(key)
            if found is None:
                found = self.accounts[key] = DraftAccount(
                    account_iban=iban, line_number=number, bank_code=iban[4:8]
                )
            return found
        if bank_code == "ABNA" and len(digits) >= 9:
            converted = abn_amro_iban(digits)
            found = self.accounts.get(converted)
            if found is None:
                found = self.accounts[converted] = DraftAccount(
                    account_iban=converted, line_number=number, bank_code="ABNA"
                )
            return found
        padded = digits.zfill(10)
        key = f"nr:{padded}"
        found = self.accounts.get(key)
        if found is None:
            found = self.accounts[key] = DraftAccount(
                account_iban="", account_number=padded, bank_code=bank_code, line_number=number
            )
        return found

    def _bank_code(self) -> str:
        """The bank of the statement being read: its IBAN's bank code, else the header's."""
        account = self.statement.account if self.statement else None
        if account is not None and account.bank_code:
            return account.bank_code
        return self.file_bank_code()

    def _transaction(self, tag: _Tag) -> DraftLine:
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
            is_reversal=match["dc"] in ("RC", "RD"),
        )
        if not bank_reference and customer.upper() not in _NOT_A_REFERENCE:
            line.bank_reference = customer
        supplementary = clean_text(" ".join(tag.lines[1:]))
        if supplementary and not supplementary.startswith("/") and self._bank_code() == "RABO":
            account, _, name = supplementary.partition(" ")  # Rabobank: "NL44RABO… naam"
            line.counterparty_iban = counterparty_account(account)
            line.counterparty_name = name
        return line

    def _add_details(self, line: DraftLine, tag: _Tag) -> None:
        lines = tag.lines
        if self._bank_code() in VOLKSBANK and not lines[0].lstrip().startswith("/"):
            first = _VOLKSBANK_FIRST.fullmatch(lines[0].strip())
            if first is not None:
                line.counterparty_iban = counterparty_account(first["account"])
                line.counterparty_name = clean_text(first["name"])
                line.description = clean_text(_join(lines[1:], first_has_tag=False))
                return
        details = parse_details(_join(lines, first_has_tag=True))
        line.counterparty_name = details.name or line.counterparty_name
        line.counterparty_iban = counterparty_account(details.account) or line.counterparty_iban
        line.description = details.description
        line.is_reversal = line.is_reversal or details.is_return
        if not line.bank_reference and details.end_to_end_id:
            line.bank_reference = details.end_to_end_id


def _join(lines: list[str], *, first_has_tag: bool) -> str:
    """The lines of one field as one text, without spaces inside words wrapped by the bank."""
    if not lines:
        return ""
    parts = [lines[0]]
    width = len(lines[0]) + (4 if first_has_tag else 0)  # ":86:" is part of the first line
    for current in lines[1:]:
        # A line filled to the SWIFT width was wrapped mid-word; a shorter one ended a phrase.
        parts.append(current if width >= _SWIFT_WIDTH else " " + current)
        width = len(current)
    return "".join(parts)


def parse(source: Source) -> ParsedStatement:
    """Parse an MT940 file (statements of one or more accounts)."""
    reader = _Reader()
    current: _Tag | None = None
    in_message = False
    for number, raw in source.lines():
        if raw.startswith("{") and ":20:" in raw:  # envelope and :20: on one line
            reader.header(raw[: raw.index(":20:")])
            raw = raw[raw.index(":20:") :]
        line = raw.rstrip()
        match = _TAG.match(line)
        if match:
            name, value = match.groups()
            if current is not None:
                reader.tag(current)
            current = None
            if name == "20":
                reader.start_statement(_Tag(name, [value], number))
                in_message = True
                continue
            if not in_message:
                raise StatementError.at(
                    number, f"het veld :{name}: staat vóór het begin van een afschrift (:20:)."
                )
            current = _Tag(name, [raw[len(name) + 2 :]], number)
        elif line == "-" or line.startswith(("-}", "{")):
            if current is not None:
                reader.tag(current)
                current = None
            if line.startswith("{"):
                reader.header(line)
            reader.end_statement()
            in_message = False
        elif current is not None:
            current.lines.append(raw)  # continuation: kept unstripped, its length matters
        elif not in_message:
            reader.header(line)  # ING "0000 01INGBNL2AXXX…", ABN AMRO "ABNANL2A", ":940:"
    if current is not None:
        reader.tag(current)
    reader.end_statement()
    if not reader.statements:
        raise StatementError("Het bestand bevat geen MT940-afschrift (geen :20:-regel gevonden).")
    accounts = list(reader.accounts.values())
    code = reader.file_bank_code() or (accounts[0].bank_code if accounts else "")
    bank = BANK_NAMES.get(code, "")
    return finish(format=FORMAT, bank=bank, source=source, accounts=accounts)


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
