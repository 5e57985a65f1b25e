"""CSV (and ABN AMRO TAB) downloads of the Dutch banks.

Layouts, as the banks publish them (columns are looked up by header name where a header
exists, so an extra or moved column does not break the import). A download may hold
several accounts (ING, Rabobank and ABN AMRO let you select more than one): the lines are
grouped per account.

``csv-ing`` — ING "Kommagescheiden" download, with a header, in Dutch or English (the
    language of Mijn ING): Datum/Date (YYYYMMDD); Naam / Omschrijving/Name / Description;
    Rekening/Account (own IBAN); Tegenrekening/Counterparty; Code; Af Bij/Debit/credit
    ("Af"/"Debit" = money out); Bedrag (EUR)/Amount (EUR) (unsigned, comma decimal);
    Mutatiesoort/Transaction type; Mededelingen/Notifications; [Saldo na mutatie/Resulting
    balance; Tag]. Older exports are comma separated, newer ones semicolon separated. ING
    lists newest first. No unique reference.

``csv-rabobank`` — Rabobank CSV (2018 onwards), comma separated, header:
    IBAN/BBAN; Munt; BIC; Volgnr; Datum (YYYY-MM-DD); Rentedatum; Bedrag (signed, "+1.234,56");
    Saldo na trn; Tegenrekening IBAN/BBAN; Naam tegenpartij; …; Omschrijving-1..3; Reden
    retour; … ``Volgnr`` is the per-account sequence number and serves as the unique bank
    reference; a filled-in "Reden retour" marks a returned payment.

``tab-abnamro`` — ABN AMRO "TXT" (tab separated) download, no header, eight columns:
    rekeningnummer (9/10 digits or IBAN); muntsoort; transactiedatum (YYYYMMDD); beginsaldo;
    eindsaldo; rentedatum (YYYYMMDD); transactiebedrag (signed); omschrijving. Begin and end
    balance are stated per transaction and checked (begin + amount = end, and chained per
    account). An old account number is turned into the IBAN (the file is ABN AMRO's).

``csv-bunq`` — bunq export with header "Date","Interest Date","Amount","Account",
    "Counterparty","Name","Description" — or, with the app in Dutch, "Datum","Rentedatum",
    "Bedrag","Rekening","Tegenrekening","Naam","Omschrijving"; comma or semicolon separated;
    the decimal mark follows the user's language setting and is decided per file.

``csv-triodos`` — Triodos download, no header (a header row is skipped): datum
    (DD-MM-YYYY); rekeningnummer; bedrag (unsigned, "1.234,56"); Debet/Credit; naam
    tegenpartij; tegenrekening; mutatiecode; omschrijving; [saldo na mutatie].

``csv-knab`` — Knab export: a first line "KNAB EXPORT", then a header: Rekeningnummer;
    Transactiedatum (DD-MM-YYYY); Valutacode; CreditDebet (C/D); Bedrag (unsigned, comma
    decimal); Tegenrekeningnummer; Tegenrekeninghouder; Valutadatum; Betaalwijze;
    Omschrijving; Type betaling; Machtigingsnummer; Incassant ID; Adres; Referentie;
    Boekdatum. Semicolon separated, every field quoted. No balances.

``csv-volksbank`` — ASN Bank, SNS and RegioBank (de Volksbank) CSV, no header, nineteen
    columns: boekingsdatum (DD-MM-YYYY); opdrachtgeversrekening (own IBAN);
    tegenrekeningnummer; naam tegenrekening; adres; postcode; plaats; valutasoort rekening;
    saldo rekening vóór mutatie; valutasoort mutatie; transactiebedrag (signed);
    journaaldatum; valutadatum; interne transactiecode; globale transactiecode; volgnummer
    transactie; betalingskenmerk; omschrijving (often between single quotes);
    afschriftnummer. The balance before each line is checked against the previous line.

Where a running balance is given it is checked line by line per account.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence

from .fields import (
    BANK_NAMES,
    abn_amro_iban,
    account_iban,
    clean_text,
    counterparty_account,
    local_account_number,
    parse_amount,
    parse_date,
)
from .records import ParsedStatement, StatementError
from .remittance import parse_details
from .source import Source
from .statement import (
    AccountGroups,
    DraftAccount,
    DraftLine,
    check_running_balances,
    finish,
)

Row = tuple[int, list[str]]  # (1-based source line where the record starts, cells)

ING = "csv-ing"
RABOBANK = "csv-rabobank"
ABN_AMRO = "tab-abnamro"
BUNQ = "csv-bunq"
TRIODOS = "csv-triodos"
KNAB = "csv-knab"
VOLKSBANK = "csv-volksbank"
FORMATS = (ING, RABOBANK, ABN_AMRO, BUNQ, TRIODOS, KNAB, VOLKSBANK)
BANKS = {
    ING: "ING",
    RABOBANK: "Rabobank",
    ABN_AMRO: "ABN AMRO",
    BUNQ: "bunq",
    TRIODOS: "Triodos Bank",
    KNAB: "Knab",
    VOLKSBANK: "de Volksbank",
}

# Header columns per layout: canonical name -> the (normalised) names banks use for it.
_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    ING: {
        "datum": ("datum", "date"),
        "naam": ("naam / omschrijving", "name / description"),
        "rekening": ("rekening", "account"),
        "tegenrekening": ("tegenrekening", "counterparty"),
        "af_bij": ("af bij", "debit/credit"),
        "bedrag": ("bedrag (eur)", "amount (eur)"),
        "mededelingen": ("mededelingen", "notifications"),
        "saldo": ("saldo na mutatie", "resulting balance"),
    },
    RABOBANK: {
        name: (name,)
        for name in (
            "iban/bban",
            "munt",
            "volgnr",
            "datum",
            "bedrag",
            "tegenrekening iban/bban",
            "rentedatum",
            "saldo na trn",
            "naam tegenpartij",
            "omschrijving-1",
            "omschrijving-2",
            "omschrijving-3",
            "betalingskenmerk",
            "reden retour",
        )
    },
    BUNQ: {
        "date": ("date", "datum"),
        "interest date": ("interest date", "rentedatum"),
        "amount": ("amount", "bedrag"),
        "account": ("account", "rekening"),
        "counterparty": ("counterparty", "tegenrekening"),
        "name": ("name", "naam"),
        "description": ("description", "omschrijving"),
    },
    TRIODOS: {name: (name,) for name in ("datum", "rekeningnummer", "bedrag", "debet/credit")},
    KNAB: {
        name: (name,)
        for name in (
            "rekeningnummer",
            "transactiedatum",
            "valutacode",
            "creditdebet",
            "bedrag",
            "tegenrekeningnummer",
            "tegenrekeninghouder",
            "valutadatum",
            "omschrijving",
            "referentie",
            "boekdatum",
        )
    },
    VOLKSBANK: {
        name: (name,)
        for name in ("boekingsdatum", "opdrachtgeversrekening", "transactiebedrag", "omschrijving")
    },
}
# The columns a header row must contain to be recognised (canonical names).
_REQUIRED: dict[str, tuple[str, ...]] = {
    ING: ("datum", "naam", "rekening", "tegenrekening", "af_bij", "bedrag", "mededelingen"),
    RABOBANK: ("iban/bban", "munt", "volgnr", "datum", "bedrag", "tegenrekening iban/bban"),
    BUNQ: ("date", "amount", "account", "counterparty", "name", "description"),
    TRIODOS: ("datum", "rekeningnummer", "bedrag", "debet/credit"),
    KNAB: (
        "rekeningnummer",
        "transactiedatum",
        "creditdebet",
        "bedrag",
        "tegenrekeningnummer",
        "tegenrekeninghouder",
    ),
    VOLKSBANK: ("boekingsdatum", "opdrachtgeversrekening", "transactiebedrag"),
}
_HEADER_SEARCH_ROWS = 5  # a header may follow a title line or two ("KNAB EXPORT")
_CSV_FIELD_LIMIT = 131_072


def _normalise(cell: str) -> str:
    return clean_text(cell.replace("\ufeff", "").strip().strip('"')).lower()


def sniff_delimiter(first_line: str) -> str:
    """The separator of a text export: tab, semicolon or comma, counted outside quotes."""
    unquoted = re.sub(r'"[^"]*"', "", first_line)
    counts = {delimiter: unquoted.count(delimiter) for delimiter in ("\t", ";", ",")}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def _rows(lines: Iterable[tuple[int, str]], delimiter: str) -> Iterator[Row]:
    """Non-empty records with the line they start on (quoted fields may span lines)."""
    reader = csv.reader((line + "\n" for _number, line in lines), delimiter=delimiter)
    previous_end = 0
    try:
        for cells in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if cells and any(cell.strip() for cell in cells):
                yield start, cells
    except csv.Error as exc:
        reason = str(exc)
        if "field larger than field limit" in reason:
            reason = f"een veld is langer dan {_CSV_FIELD_LIMIT:,} tekens".replace(",", ".")
        raise StatementError.at(
            reader.line_num, f"de regel is geen geldige CSV ({reason})."
        ) from None


def _header_format(cells: Sequence[str]) -> tuple[str, dict[str, int]] | None:
    """(format, canonical column -> position) when ``cells`` is one of the known headers."""
    names = [_normalise(cell) for cell in cells]
    best: tuple[int, str, dict[str, int]] | None = None
    for fmt, aliases in _ALIASES.items():
        index: dict[str, int] = {}
        for canonical, spellings in aliases.items():
            for position, name in enumerate(names):
                if name in spellings:
                    index.setdefault(canonical, position)
        if all(name in index for name in _REQUIRED[fmt]):
            if best is None or len(index) > best[0]:
                best = (len(index), fmt, index)
    return (best[1], best[2]) if best else None


_YYYYMMDD = re.compile(r"\d{8}")
_DDMMYYYY = re.compile(r"\d{2}-\d{2}-\d{4}")
_CURRENCY = re.compile(r"[A-Z]{3}")


def _headerless_format(cells: Sequence[str]) -> str | None:
    """Recognise the header-less layouts (ABN AMRO TAB, Triodos, de Volksbank)."""
    cells = [cell.strip() for cell in cells]
    if len(cells) >= 8 and _YYYYMMDD.fullmatch(cells[2]) and _CURRENCY.fullmatch(cells[1]):
        return ABN_AMRO
    if (
        len(cells) >= 8
        and _DDMMYYYY.fullmatch(cells[0])
        and cells[3].lower() in ("debet", "credit")
    ):
        return TRIODOS
    if (
        len(cells) >= 18
        and _DDMMYYYY.fullmatch(cells[0])
        and _CURRENCY.fullmatch(cells[7])
        and _CURRENCY.fullmatch(cells[9])
        and _DDMMYYYY.fullmatch(cells[11])
    ):
        return VOLKSBANK
    return None


def _layout(rows: Sequence[Row]) -> tuple[str, int | None, dict[str, int] | None] | None:
    """(format, index of the header row or None, columns) from the first rows of a file."""
    for index, (_, cells) in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        found = _header_format(cells)
        if found is not None:
            return found[0], index, found[1]
    if rows:
        fmt = _headerless_format(rows[0][1])
        if fmt is not None:
            return fmt, None, None
    return None


def _first_rows(source: Source) -> list[Row]:
    head = source.text_head(_HEADER_SEARCH_ROWS + 20)
    first = next((line for _, line in head if line.strip()), "")
    rows = []
    try:
        for row in _rows(head, sniff_delimiter(first)):
            rows.append(row)
    except StatementError:
        pass  # a record cut off by the end of the sample; the real parse will tell
    return rows


def sniff(source: Source) -> str | None:
    """The CSV format of the file, or None when it is none of ours."""
    found = _layout(_first_rows(source))
    return found[0] if found else None


def parse(source: Source, fmt: str) -> ParsedStatement:
    """Parse a CSV/TAB download in the given layout (one of ``FORMATS``)."""
    head = source.text_head(3)
    first = next((line for _, line in head if line.strip()), "")
    rows = _rows(source.lines(), sniff_delimiter(first))
    peeked = list(itertools.islice(rows, _HEADER_SEARCH_ROWS))
    found = _layout(peeked)
    if found is not None and found[0] == fmt and found[1] is not None:
        columns, body = found[2], itertools.chain(peeked[found[1] + 1 :], rows)
    else:
        columns, body = None, itertools.chain(peeked, rows)
    groups = AccountGroups()
    reader = _READERS[fmt]
    count = reader(columns, body, groups, source)
    if not count:
        raise StatementError("Het bestand bevat geen mutaties.")
    accounts = groups.accounts()
    for account in accounts:
        if account.opening_balance is None and account.closing_balance is None:
            found_balances = check_running_balances(account.lines)
            if found_balances is not None:
                account.opening_balance, account.closing_balance = found_balances
    return finish(format=fmt, bank=_bank_name(fmt, accounts), source=source, accounts=accounts)


def _bank_name(fmt: str, accounts: Sequence[DraftAccount]) -> str:
    if fmt == VOLKSBANK:
        codes = {account.account_iban[4:8] for account in accounts}
        if len(codes) == 1 and (code := next(iter(codes))) in BANK_NAMES:
            return BANK_NAMES[code]
    return BANKS[fmt]


def _check_width(number: int, cells: list[str], width: int) -> None:
    if len(cells) < width:
        raise StatementError.at(
            number, f"de regel heeft {len(cells)} kolommen, er worden er minstens {width} verwacht."
        )


def _iban_account(raw: str, number: int) -> DraftAccount:
    return DraftAccount(account_iban=account_iban(raw, number), line_number=number)


def _add_currency(account: DraftAccount, currency: str, number: int) -> None:
    if not account.currency:
        account.currency = currency
    elif currency != account.currency:
        raise StatementError.at(
            number,
            f"het bedrag is in {currency}, eerdere regels van rekening {account.label} in "
            f"{account.currency}. Het bestand bevat bedragen in verschillende valuta.",
        )


def _read_ing(columns, body, groups, source) -> int:
    if columns is None:
        raise StatementError("Het ING-bestand heeft geen kopregel; exporteer het opnieuw als CSV.")
    # Column positions resolved once: this loop runs for every line of big files.
    i_date, i_name, i_account, i_other, i_sign, i_amount, i_notes = (
        columns[name]
        for name in (
            "datum",
            "naam",
            "rekening",
            "tegenrekening",
            "af_bij",
            "bedrag",
            "mededelingen",
        )
    )
    i_balance = columns.get("saldo")
    width = max(i_date, i_name, i_account, i_other, i_sign, i_amount, i_notes, i_balance or 0) + 1
    # Always two decimals; Dutch exports write a comma, other language settings may not.
    decimal = _decimal_mark(source, i_amount, _delimiter(source))
    count = 0
    for number, cells in body:
        _check_width(number, cells, width)
        sign = cells[i_sign].strip().lower()
        if sign not in ("af", "bij", "debit", "credit"):
            raise StatementError.at(
                number,
                f"‘{cells[i_sign].strip()}’ in de kolom Af Bij is niet ‘Af’ of ‘Bij’ "
                "(of ‘Debit’/‘Credit’).",
            )
        amount = parse_amount(cells[i_amount], number, decimal=decimal)
        if amount < 0:
            raise StatementError.at(
                number, "het bedrag mag bij ING geen minteken hebben (Af/Bij geeft de richting)."
            )
        account = groups.get(cells[i_account].strip(), number, _iban_account)
        _add_currency(account, "EUR", number)
        notes = cells[i_notes]
        # Newer exports: "Naam: … Omschrijving: … IBAN: …" (English: "Name: … Description:
        # …"); card payments and older exports have neither and the text is the description.
        structured = "mschrijving:" in notes or "escription:" in notes
        description = parse_details(notes).description if structured else ""
        account.lines.append(
            DraftLine(
                line_number=number,
                booking_date=parse_date(
                    cells[i_date], number, "YYYYMMDD", "YYYY-MM-DD", "DD-MM-YYYY"
                ),
                value_date=None,
                amount=-amount if sign in ("af", "debit") else amount,
                counterparty_name=clean_text(cells[i_name]),
                counterparty_iban=counterparty_account(cells[i_other]),
                description=description or clean_text(notes),
                balance_after=(
                    parse_amount(
                        cells[i_balance], number, decimal=decimal, what="het saldo na mutatie"
                    )
                    if i_balance is not None and cells[i_balance].strip()
                    else None  # an empty column: checked as "all lines or none" later
                ),
            )
        )
        count += 1
    return count


class _Cells:
    """Cell access by canonical column name for one row."""

    __slots__ = ("columns", "cells")

    def __init__(self, columns: dict[str, int], cells: list[str]) -> None:
        self.columns, self.cells = columns, cells

    def __getitem__(self, name: str) -> str:
        position = self.columns.get(name)
        cells = self.cells
        return cells[position].strip() if position is not None and position < len(cells) else ""


def _width(columns: dict[str, int], required: Sequence[str]) -> int:
    return max(columns[name] for name in required) + 1


def _read_rabobank(columns, body, groups, source) -> int:
    if columns is None:
        raise StatementError(
            "Het Rabobank-bestand heeft geen kopregel; exporteer het opnieuw als CSV."
        )
    width = _width(columns, _REQUIRED[RABOBANK])
    running = "saldo na trn" in columns
    count = 0
    for number, raw in body:
        _check_width(number, raw, width)
        cells = _Cells(columns, raw)
        account = groups.get(cells["iban/bban"], number, _iban_account)
        _add_currency(account, cells["munt"] or "EUR", number)
        rentedatum = cells["rentedatum"]
        description = " ".join(
            part for part in (cells[f"omschrijving-{n}"] for n in (1, 2, 3)) if part
        )
        reference = cells["volgnr"]
        saldo = cells["saldo na trn"] if running else ""
        account.lines.append(
            DraftLine(
                line_number=number,
                booking_date=parse_date(cells["datum"], number, "YYYY-MM-DD", "DD-MM-YYYY"),
                value_date=parse_date(
                    rentedatum, number, "YYYY-MM-DD", "DD-MM-YYYY", what="de rentedatum"
                )
                if rentedatum
                else None,
                amount=parse_amount(cells["bedrag"], number),
                counterparty_name=clean_text(cells["naam tegenpartij"]),
                counterparty_iban=counterparty_account(cells["tegenrekening iban/bban"]),
                description=clean_text(description or cells["betalingskenmerk"]),
                bank_reference=reference,
                reference_is_unique=bool(reference),
                balance_after=(
                    parse_amount(saldo, number, what="het saldo na transactie") if saldo else None
                ),
                is_reversal=bool(cells["reden retour"]),
            )
        )
        count += 1
    return count


def _abn_account(raw: str, number: int) -> DraftAccount:
    digits = local_account_number(raw)
    iban = abn_amro_iban(digits) if digits and len(digits) >= 9 else account_iban(raw, number)
    return DraftAccount(account_iban=iban, line_number=number, bank_code="ABNA")


def _read_abn_amro(columns, body, groups, source) -> int:
    # Per account: (first begin balance, last end balance, chains forward, chains backward,
    # end and begin of the previous line).
    chains: dict[str, list] = {}
    count = 0
    for number, cells in body:
        _check_width(number, cells, 8)
        account = groups.get(cells[0].strip(), number, _abn_account)
        _add_currency(account, cells[1].strip() or "EUR", number)
        begin = parse_amount(cells[3], number, what="het beginsaldo")
        end = parse_amount(cells[4], number, what="het eindsaldo")
        amount = parse_amount(cells[6], number)
        if begin + amount != end:
            raise StatementError.at(
                number,
                f"beginsaldo {cells[3].strip()} plus bedrag {cells[6].strip()} is niet het "
                f"eindsaldo {cells[4].strip()}.",
            )
        chain = chains.get(account.key)
        if chain is None:
            chains[account.key] = [begin, end, True, True, end, begin, begin, end]
        else:
            chain[2] &= chain[4] == begin  # forward: previous end is this begin
            chain[3] &= chain[5] == end  # backward (newest first): previous begin is this end
            chain[4], chain[5] = end, begin
            chain[6], chain[7] = begin, end  # the last line's begin and end
        details = parse_details(cells[7])
        account.lines.append(
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
                is_reversal=details.is_return,
            )
        )
        count += 1
    for account in groups.accounts():
        first_begin, first_end, forward, backward, _e, _b, last_begin, last_end = chains[
            account.key
        ]
        if forward:
            account.opening_balance, account.closing_balance = first_begin, last_end
        elif backward:  # newest first
            account.opening_balance, account.closing_balance = last_begin, first_end
        else:
            raise StatementError(
                f"De saldi van rekening {account.label} sluiten niet op elkaar aan (het "
                "eindsaldo van een regel is niet het beginsaldo van de volgende); het bestand "
                "is onvolledig of beschadigd."
            )
    return count


_AMBIGUOUS = (
    "het bedrag ‘{raw}’ is niet eenduidig: het hele bestand zegt niet of de komma of de punt "
    "het decimaalteken is. Exporteer het opnieuw (bedragen met twee decimalen)."
)


_NUMBER = re.compile(r"[+-]?\d[\d.,]*")


def _decimal_mark(source: Source, column: int, delimiter: str) -> str:
    """The decimal mark of a file whose amounts follow the user's language (bunq, ING, ASN).

    A comma or point followed by one or two final digits anywhere in the file settles it
    (usually the first line does). A file without any such amount but with amounts like
    "1,500" is refused: that could be € 1.500 or € 1,50.
    """
    ambiguous: tuple[int, str] | None = None
    for number, cells in _rows(source.lines(), delimiter):
        if column >= len(cells):
            continue
        raw = cells[column].strip()
        if not _NUMBER.fullmatch(raw):
            continue  # a header or title row
        if re.search(r",\d{1,2}$", raw):
            return ","
        if re.search(r"\.\d{1,2}$", raw):
            return "."
        if ambiguous is None and ("," in raw or "." in raw):
            ambiguous = (number, raw)
    if ambiguous is not None:
        raise StatementError.at(ambiguous[0], _AMBIGUOUS.format(raw=ambiguous[1]))
    return ","


def _delimiter(source: Source) -> str:
    head = source.text_head(3)
    return sniff_delimiter(next((line for _, line in head if line.strip()), ""))


def _read_bunq(columns, body, groups, source) -> int:
    if columns is None:
        raise StatementError("Het bunq-bestand heeft geen kopregel; exporteer het opnieuw als CSV.")
    decimal = _decimal_mark(source, columns["amount"], _delimiter(source))
    width = _width(columns, _REQUIRED[BUNQ])
    count = 0
    for number, raw in body:
        _check_width(number, raw, width)
        cells = _Cells(columns, raw)
        account = groups.get(cells["account"], number, _iban_account)
        _add_currency(account, "EUR", number)
        interest = cells["interest date"]
        account.lines.append(
            DraftLine(
                line_number=number,
                booking_date=parse_date(cells["date"], number, "YYYY-MM-DD", "DD-MM-YYYY"),
                value_date=parse_date(
                    interest, number, "YYYY-MM-DD", "DD-MM-YYYY", what="de rentedatum"
                )
                if interest
                else None,
                amount=parse_amount(cells["amount"], number, decimal=decimal),
                counterparty_name=clean_text(cells["name"]),
                counterparty_iban=counterparty_account(cells["counterparty"]),
                description=clean_text(cells["description"]),
            )
        )
        count += 1
    return count


def _read_triodos(columns, body, groups, source) -> int:
    # Triodos' layout is fixed; an optional header row is skipped and columns are read by
    # position: datum, rekening, bedrag, Debet/Credit, naam, tegenrekening, code,
    # omschrijving, [saldo na mutatie].
    count = 0
    for number, raw in body:
        _check_width(number, raw, 8)
        date, account_text, amount_text, direction, name, other, _code, description, *rest = (
            cell.strip() for cell in raw
        )
        account = groups.get(account_text, number, _iban_account)
        _add_currency(account, "EUR", number)
        if direction.lower() not in ("debet", "credit"):
            raise StatementError.at(number, f"‘{direction}’ is niet ‘Debet’ of ‘Credit’.")
        amount = parse_amount(amount_text, number)
        saldo = rest[0] if rest else ""
        account.lines.append(
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
        count += 1
    return count


def _read_knab(columns, body, groups, source) -> int:
    if columns is None:  # pragma: no cover - Knab is only recognised by its header
        raise StatementError("Het Knab-bestand heeft geen kopregel; exporteer het opnieuw.")
    width = _width(columns, _REQUIRED[KNAB])
    count = 0
    for number, raw in body:
        _check_width(number, raw, width)
        cells = _Cells(columns, raw)
        account = groups.get(cells["rekeningnummer"], number, _iban_account)
        _add_currency(account, cells["valutacode"] or "EUR", number)
        direction = cells["creditdebet"].upper()
        if direction not in ("C", "D"):
            raise StatementError.at(
                number, f"‘{cells['creditdebet']}’ in de kolom CreditDebet is niet ‘C’ of ‘D’."
            )
        amount = parse_amount(cells["bedrag"], number)
        if amount < 0:
            raise StatementError.at(
                number,
                "het bedrag mag bij Knab geen minteken hebben (CreditDebet geeft de richting).",
            )
        booked = cells["boekdatum"] or cells["transactiedatum"]
        value = cells["valutadatum"]
        account.lines.append(
            DraftLine(
                line_number=number,
                booking_date=parse_date(booked, number, "DD-MM-YYYY", "YYYY-MM-DD"),
                value_date=parse_date(
                    value, number, "DD-MM-YYYY", "YYYY-MM-DD", what="de valutadatum"
                )
                if value
                else None,
                amount=-amount if direction == "D" else amount,
                counterparty_name=clean_text(cells["tegenrekeninghouder"]),
                counterparty_iban=counterparty_account(cells["tegenrekeningnummer"]),
                description=clean_text(cells["omschrijving"]),
                bank_reference=cells["referentie"],
            )
        )
        count += 1
    return count


def _read_volksbank(columns, body, groups, source) -> int:
    # Fixed positions; an optional header row (recognised as VOLKSBANK) has been skipped.
    decimal = _decimal_mark(source, 10, _delimiter(source))
    count = 0
    delimiter = _delimiter(source)
    for number, raw in body:
        _check_width(number, raw, 19)
        if len(raw) > 19:  # a separator inside the description, which is in '…', not "…"
            raw = [*raw[:17], delimiter.join(raw[17:-1]), raw[-1]]
        cells = [cell.strip() for cell in raw]
        account = groups.get(cells[1], number, _iban_account)
        _add_currency(account, cells[9] or cells[7] or "EUR", number)
        before = parse_amount(cells[8], number, decimal=decimal, what="het saldo vóór mutatie")
        amount = parse_amount(cells[10], number, decimal=decimal)
        description = cells[17]
        if len(description) >= 2 and description[0] == description[-1] == "'":
            description = description[1:-1]
        value = cells[12]
        account.lines.append(
            DraftLine(
                line_number=number,
                booking_date=parse_date(cells[0], number, "DD-MM-YYYY", "YYYY-MM-DD"),
                value_date=parse_date(
                    value, number, "DD-MM-YYYY", "YYYY-MM-DD", what="de valutadatum"
                )
                if value
                else None,
                amount=amount,
                counterparty_name=clean_text(cells[3]),
                counterparty_iban=counterparty_account(cells[2]),
                description=clean_text(description or cells[16]),
                bank_reference=cells[15],
                # "saldo vóór" + amount is the running balance after this line
                balance_after=before + amount,
            )
        )
        count += 1
    return count


_READERS = {
    ING: _read_ing,
    RABOBANK: _read_rabobank,
    ABN_AMRO: _read_abn_amro,
    BUNQ: _read_bunq,
    TRIODOS: _read_triodos,
    KNAB: _read_knab,
    VOLKSBANK: _read_volksbank,
}
