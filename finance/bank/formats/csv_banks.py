"""CSV (and ABN AMRO TAB) downloads of ING, Rabobank, ABN AMRO, bunq and Triodos.

Layouts, as the banks publish them (columns are looked up by header name where a header
exists, so an extra or moved column does not break the import):

``csv-ing`` — ING "Kommagescheiden" download, with a header; older exports are comma
    separated, newer ones semicolon separated and add "Saldo na mutatie" and "Tag":
    Datum (YYYYMMDD); Naam / Omschrijving; Rekening (own IBAN); Tegenrekening; Code;
    Af Bij ("Af" = money out); Bedrag (EUR) (unsigned, comma decimal); Mutatiesoort;
    Mededelingen; [Saldo na mutatie; Tag]. ING lists newest first. No unique reference.

``csv-rabobank`` — Rabobank CSV (2018 onwards), comma separated, header:
    IBAN/BBAN; Munt; BIC; Volgnr; Datum (YYYY-MM-DD); Rentedatum; Bedrag (signed, "+1.234,56");
    Saldo na trn; Tegenrekening IBAN/BBAN; Naam tegenpartij; Naam uiteindelijke partij;
    Naam initiërende partij; BIC tegenpartij; Code; Batch ID; Transactiereferentie;
    Machtigingskenmerk; Incassant ID; Betalingskenmerk; Omschrijving-1..3; Reden retour; …
    ``Volgnr`` is the per-account sequence number and serves as the unique bank reference.

``tab-abnamro`` — ABN AMRO "TXT" (tab separated) download, no header, eight columns:
    rekeningnummer (9/10 digits or IBAN); muntsoort; transactiedatum (YYYYMMDD); beginsaldo;
    eindsaldo; rentedatum (YYYYMMDD); transactiebedrag (signed); omschrijving. Begin and end
    balance are stated per transaction and checked (begin + amount = end, and chained). An
    old account number is turned into the IBAN (ABN AMRO's bank code is ABNA).

``csv-bunq`` — bunq export with header "Date","Interest Date","Amount","Account",
    "Counterparty","Name","Description"; comma or semicolon separated; the decimal mark
    follows the user's language setting and is detected per file.

``csv-triodos`` — Triodos download, no header (a header row is skipped): datum
    (DD-MM-YYYY); rekeningnummer; bedrag (unsigned, "1.234,56"); Debet/Credit; naam
    tegenpartij; tegenrekening; mutatiecode; omschrijving; [saldo na mutatie].

Where a running balance is given it is checked line by line (``statement.check_running_balances``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from decimal import Decimal

from .fields import (
    abn_amro_account,
    account_iban,
    clean_text,
    counterparty_account,
    decode_text,
    parse_amount,
    parse_date,
)
from .records import ParsedStatement, StatementError
from .remittance import parse_details
from .statement import DraftLine, assemble, check_running_balances, single_account

Row = tuple[int, list[str]]  # (1-based source line where the record starts, cells)

ING = "csv-ing"
RABOBANK = "csv-rabobank"
ABN_AMRO = "tab-abnamro"
BUNQ = "csv-bunq"
TRIODOS = "csv-triodos"
FORMATS = (ING, RABOBANK, ABN_AMRO, BUNQ, TRIODOS)

_HEADERS: dict[str, tuple[str, ...]] = {
    # The columns a header row must contain to be recognised (normalised names).
    ING: (
        "datum",
        "naam / omschrijving",
        "rekening",
        "tegenrekening",
        "af bij",
        "bedrag (eur)",
        "mededelingen",
    ),
    RABOBANK: ("iban/bban", "munt", "volgnr", "datum", "bedrag", "tegenrekening iban/bban"),
    BUNQ: ("date", "amount", "account", "counterparty", "name", "description"),
    TRIODOS: ("datum", "rekeningnummer", "bedrag", "debet/credit"),
}
_HEADER_SEARCH_ROWS = 5  # a header may follow a title line or two


def _normalise(cell: str) -> str:
    return clean_text(cell.replace("\ufeff", "").strip().strip('"')).lower()


def sniff_delimiter(first_line: str) -> str:
    """The separator of a text export: tab, semicolon or comma, counted outside quotes."""
    unquoted = re.sub(r'"[^"]*"', "", first_line)
    counts = {delimiter: unquoted.count(delimiter) for delimiter in ("\t", ";", ",")}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def read_rows(text: str) -> list[Row]:
    """All non-empty records with the line they start on (quoted fields may span lines)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first))
    rows: list[Row] = []
    previous_end = 0
    try:
        for cells in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if cells and any(cell.strip() for cell in cells):
                rows.append((start, cells))
    except csv.Error as exc:
        raise StatementError.at(reader.line_num, f"de regel is geen geldige CSV ({exc}).") from None
    return rows


def find_header(rows: Sequence[Row]) -> tuple[str, int] | None:
    """(format, index of the header row) when one of the known headers is among the first rows."""
    for index, (_, cells) in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        names = {_normalise(cell) for cell in cells}
        for fmt, required in _HEADERS.items():
            if all(name in names for name in required):
                return fmt, index
    return None


_YYYYMMDD = re.compile(r"\d{8}")
_DDMMYYYY = re.compile(r"\d{2}-\d{2}-\d{4}")


def sniff_headerless(rows: Sequence[Row]) -> str | None:
    """Recognise the header-less layouts (ABN AMRO TAB, Triodos) from their first record."""
    if not rows:
        return None
    cells = [cell.strip() for cell in rows[0][1]]
    if len(cells) >= 8 and _YYYYMMDD.fullmatch(cells[2]) and re.fullmatch(r"[A-Z]{3}", cells[1]):
        return ABN_AMRO
    if (
        len(cells) >= 8
        and _DDMMYYYY.fullmatch(cells[0])
        and cells[3].lower() in ("debet", "credit")
    ):
        return TRIODOS
    return None


def sniff(text: str) -> str | None:
    """The CSV format of ``text``, or None when it is none of ours."""
    rows = read_rows(text[:20_000].rsplit("\n", 1)[0] if len(text) > 20_000 else text)
    header = find_header(rows)
    return header[0] if header else sniff_headerless(rows)


class _Columns:
    """Cell access by header name for one layout; checks each row is long enough."""

    def __init__(self, header: list[str], required: Sequence[str]) -> None:
        self.index = {}
        for position, cell in enumerate(header):
            self.index.setdefault(_normalise(cell), position)
        self.width = max(self.index[name] for name in required) + 1

    def has(self, name: str) -> bool:
        return name in self.index

    def get(self, cells: list[str], name: str) -> str:
        position = self.index.get(name)
        return cells[position].strip() if position is not None and position < len(cells) else ""


def _check_width(number: int, cells: list[str], width: int) -> None:
    if len(cells) < width:
        raise StatementError.at(
            number, f"de regel heeft {len(cells)} kolommen, er worden er minstens {width} verwacht."
        )


def parse(data: bytes, fmt: str) -> ParsedStatement:
    """Parse a CSV/TAB download in the given layout (one of ``FORMATS``)."""
    rows = read_rows(decode_text(data))
    header = find_header(rows)
    if header is not None and header[0] == fmt:
        header_cells, body = rows[header[1]][1], rows[header[1] + 1 :]
    else:
        header_cells, body = None, rows
    reader = _READERS[fmt]
    drafts, accounts, currencies, balances = reader(header_cells, body)
    if not drafts:
        raise StatementError("Het bestand bevat geen mutaties.")
    iban = single_account(accounts)
    if len(currencies) > 1:
        raise StatementError(
            f"Het bestand bevat bedragen in verschillende valuta ({', '.join(sorted(currencies))})."
        )
    opening = closing = None
    if balances == "running":
        found = check_running_balances(drafts)
        if found is not None:
            opening, closing = found
    elif balances is not None:
        opening, closing = balances
    return assemble(
        format=fmt,
        data=data,
        account_iban=iban,
        currency=next(iter(currencies)) if currencies else "EUR",
        lines=drafts,
        opening_balance=opening,
        closing_balance=closing,
    )


class _Accounts(dict):
    """IBAN -> first line, validating each distinct raw account text only once."""

    def __init__(self) -> None:
        super().__init__()
        self._seen: dict[str, str] = {}

    def add(self, raw: str, number: int, convert: Callable[[str, int], str] = account_iban) -> None:
        iban = self._seen.get(raw)
        if iban is None:
            iban = self._seen[raw] = convert(raw, number)
        self.setdefault(iban, number)


def _read_ing(header, body):
    if header is None:
        raise StatementError("Het ING-bestand heeft geen kopregel; exporteer het opnieuw als CSV.")
    cols = _Columns(header, _HEADERS[ING])
    # Column positions resolved once: this loop runs for every line of big files.
    i_date, i_name, i_account, i_other, i_sign, i_amount, i_notes = (
        cols.index[name]
        for name in (
            "datum",
            "naam / omschrijving",
            "rekening",
            "tegenrekening",
            "af bij",
            "bedrag (eur)",
            "mededelingen",
        )
    )
    i_balance = cols.index.get("saldo na mutatie")
    width = max(cols.width, (i_balance or 0) + 1)
    accounts, drafts = _Accounts(), []
    for number, cells in body:
        _check_width(number, cells, width)
        sign = cells[i_sign].strip().lower()
        if sign not in ("af", "bij"):
            raise StatementError.at(
                number, f"‘{cells[i_sign].strip()}’ in de kolom Af Bij is niet ‘Af’ of ‘Bij’."
            )
        amount = parse_amount(cells[i_amount], number)
        if amount < 0:
            raise StatementError.at(
                number, "het bedrag mag bij ING geen minteken hebben (Af/Bij geeft de richting)."
            )
        accounts.add(cells[i_account].strip(), number)
        notes = cells[i_notes]
        # Newer exports: "Naam: … Omschrijving: … IBAN: …"; card payments and older exports
        # have no "Omschrijving:" and the whole text is the description.
        description = parse_details(notes).description if "mschrijving:" in notes else ""
        drafts.append(
            DraftLine(
                line_number=number,
                booking_date=parse_date(
                    cells[i_date], number, "YYYYMMDD", "YYYY-MM-DD", "DD-MM-YYYY"
                ),
                value_date=None,
                amount=-amount if sign == "af" else amount,
                counterparty_name=clean_text(cells[i_name]),
                counterparty_iban=counterparty_account(cells[i_other]),
                description=description or clean_text(notes),
                balance_after=(
                    parse_amount(cells[i_balance], number, what="het saldo na mutatie")
                    if i_balance is not None and cells[i_balance].strip()
                    else None  # an empty column: checked as "all lines or none" later
                ),
            )
        )
    return drafts, accounts, {"EUR"}, "running"


def _read_rabobank(header, body):
    if header is None:
        raise StatementError(
            "Het Rabobank-bestand heeft geen kopregel; exporteer het opnieuw als CSV."
        )
    cols = _Columns(header, _HEADERS[RABOBANK])
    running = cols.has("saldo na trn")
    accounts, drafts, currencies = _Accounts(), [], set()
    for number, cells in body:
        _check_width(number, cells, cols.width)
        accounts.add(cols.get(cells, "iban/bban"), number)
        currencies.add(cols.get(cells, "munt") or "EUR")
        rentedatum = cols.get(cells, "rentedatum")
        description = " ".join(
            part for part in (cols.get(cells, f"omschrijving-{n}") for n in (1, 2, 3)) if part
        )
        reference = cols.get(cells, "volgnr")
        drafts.append(
            DraftLine(
                line_number=number,
                booking_date=parse_date(
                    cols.get(cells, "datum"), number, "YYYY-MM-DD", "DD-MM-YYYY"
                ),
                value_date=parse_date(
                    rentedatum, number, "YYYY-MM-DD", "DD-MM-YYYY", what="de rentedatum"
                )
                if rentedatum
                else None,
                amount=parse_amount(cols.get(cells, "bedrag"), number),
                counterparty_name=clean_text(cols.get(cells, "naam tegenpartij")),
                counterparty_iban=counterparty_account(cols.get(cells, "tegenrekening iban/bban")),
                description=clean_text(description or cols.get(cells, "betalingskenmerk")),
                bank_reference=reference,
                reference_is_unique=bool(reference),
                balance_after=(
                    parse_amount(
                        cols.get(cells, "saldo na trn"), number, what="het saldo na transactie"
                    )
                    if running and cols.get(cells, "saldo na trn")
                    else None
                ),
            )
        )
    return drafts, accounts, currencies, "running"


def _read_abn_amro(header, body):
    accounts, drafts, currencies = _Accounts(), [], set()
    previous: tuple[Decimal, int] | None = None  # (end balance, line) of the previous row
    chain_forward = chain_backward = True
    first_begin = last_end = None
    for number, cells in body:
        _check_width(number, cells, 8)
        accounts.add(cells[0], number, abn_amro_account)
        currencies.add(cells[1].strip() or "EUR")
        begin = parse_amount(cells[3], number, what="het beginsaldo")
        end = parse_amount(cells[4], number, what="het eindsaldo")
        amount = parse_amount(cells[6], number)
        if begin + amount != end:
            raise StatementError.at(
                number,
                f"beginsaldo {cells[3].strip()} plus bedrag {cells[6].strip()} is niet het "
                f"eindsaldo {cells[4].strip()}.",
            )
        if previous is not None:
            chain_forward &= previous[0] == begin
            chain_backward &= previous[1] == end
        previous = (end, begin)
        first_begin = begin if first_begin is None else first_begin
        last_end = end
        details = parse_details(cells[7])
        drafts.append(
            DraftLine(
                line_number=number,
                booking_date=parse_date(cells[2], number, "YYYYMMDD"),
                value_date=parse_date(cells[5], number, "YYYYMMDD", what="de rentedatum")
                if cells[5].strip()
                else None,
                amount=amount,
                counterparty_name=details.name,
                counterparty_iban=counterparty_account(details.account),
                description=details.description,
                bank_reference=details.end_to_end_id,
            )
        )
    if not drafts:
        return drafts, accounts, currencies, None
    if chain_forward:
        balances = (first_begin, last_end)
    elif chain_backward:  # newest first
        balances = (
            parse_amount(body[-1][1][3], body[-1][0]),
            parse_amount(body[0][1][4], body[0][0]),
        )
    else:
        raise StatementError(
            "De saldi in het bestand sluiten niet op elkaar aan (het eindsaldo van een regel is "
            "niet het beginsaldo van de volgende); het bestand is onvolledig of beschadigd."
        )
    return drafts, accounts, currencies, balances


def _read_bunq(header, body):
    if header is None:
        raise StatementError("Het bunq-bestand heeft geen kopregel; exporteer het opnieuw als CSV.")
    cols = _Columns(header, _HEADERS[BUNQ])
    amounts = [cols.get(cells, "amount") for _, cells in body]
    # The decimal mark follows the user's language; a comma followed by 1-2 final digits
    # anywhere in the file settles it.
    decimal = "," if any(re.search(r",\d{1,2}$", a) for a in amounts) else "."
    accounts, drafts = _Accounts(), []
    for (number, cells), raw_amount in zip(body, amounts, strict=True):
        _check_width(number, cells, cols.width)
        accounts.add(cols.get(cells, "account"), number)
        interest = cols.get(cells, "interest date")
        drafts.append(
            DraftLine(
                line_number=number,
                booking_date=parse_date(
                    cols.get(cells, "date"), number, "YYYY-MM-DD", "DD-MM-YYYY"
                ),
                value_date=parse_date(
                    interest, number, "YYYY-MM-DD", "DD-MM-YYYY", what="de rentedatum"
                )
                if interest
                else None,
                amount=parse_amount(raw_amount, number, decimal=decimal),
                counterparty_name=clean_text(cols.get(cells, "name")),
                counterparty_iban=counterparty_account(cols.get(cells, "counterparty")),
                description=clean_text(cols.get(cells, "description")),
            )
        )
    return drafts, accounts, {"EUR"}, None


def _read_triodos(header, body):
    # Triodos' layout is fixed; an optional header row is skipped and columns are read by
    # position: datum, rekening, bedrag, Debet/Credit, naam, tegenrekening, code,
    # omschrijving, [saldo na mutatie].
    accounts, drafts = _Accounts(), []
    has_balance = False
    for number, raw in body:
        _check_width(number, raw, 8)
        date, account, amount_text, direction, name, other, _code, description, *rest = (
            cell.strip() for cell in raw
        )
        accounts.add(account, number)
        if direction.lower() not in ("debet", "credit"):
            raise StatementError.at(number, f"‘{direction}’ is niet ‘Debet’ of ‘Credit’.")
        amount = parse_amount(amount_text, number)
        saldo = rest[0] if rest else ""
        has_balance = has_balance or bool(saldo)
        drafts.append(
            DraftLine(
                line_number=number,
                booking_date=parse_date(date, number, "DD-MM-YYYY", "YYYY-MM-DD"),
                value_date=None,
                amount=-abs(amount) if direction.lower() == "debet" else abs(amount),
                counterparty_name=clean_text(name),
                counterparty_iban=counterparty_account(other),
                description=clean_text(description),
                balance_after=(
                    parse_amount(saldo, number, what="het saldo na mutatie") if saldo else None
                ),
            )
        )
    return drafts, accounts, {"EUR"}, "running" if has_balance else None


_READERS = {
    ING: _read_ing,
    RABOBANK: _read_rabobank,
    ABN_AMRO: _read_abn_amro,
    BUNQ: _read_bunq,
    TRIODOS: _read_triodos,
}
