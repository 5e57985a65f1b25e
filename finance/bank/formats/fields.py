"""Strict readers for the small values every bank format contains: text, amounts, dates, IBANs.

Each reader takes the raw text and the source line number and either returns a normalised
value or raises ``StatementError`` with a Dutch message naming that line. They are strict on
purpose: a value we are unsure about (``12,3,4``, ``2023-02-30``, three decimals) stops the
import rather than being guessed, because a wrong amount in the books is worse than a
treasurer re-exporting a file.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from .records import StatementError

CENT = Decimal("0.01")

# Thousands groups must be exactly three digits, so "1.23,45" and "12,3,4" are refused.
_AMOUNT_COMMA = re.compile(r"([+-]?)(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?")
_AMOUNT_DOT = re.compile(r"([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?")
_AMOUNT_XML = re.compile(r"()(\d+)(?:\.(\d+))?")  # xs:decimal as ISO 20022 uses it: no sign
_AMOUNT_PATTERNS = {",": _AMOUNT_COMMA, ".": _AMOUNT_DOT, "xml": _AMOUNT_XML}


def clean_text(value: str | None) -> str:
    """Collapse runs of whitespace (banks pad fixed-width fields) and strip the ends."""
    if not value:
        return ""
    return " ".join(value.split())  # str.split() is several times faster than a regex here


def format_euro(amount: Decimal) -> str:
    """Dutch notation for messages: -1234.5 -> "-1.234,50"."""
    text = f"{amount:,.2f}"  # "-1,234.50"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def parse_amount(raw: str, line: int, *, decimal: str = ",", what: str = "het bedrag") -> Decimal:
    """Read a signed amount with at most two decimals.

    ``decimal`` is the file's decimal separator ("," or ".", the other one may appear as a
    thousands separator) or "xml" for ISO 20022 amounts. The result has exactly two decimals.
    """
    text = raw.strip()
    match = _AMOUNT_PATTERNS[decimal].fullmatch(text)
    if match is None:
        raise StatementError.at(line, f"{what} ‘{raw.strip()}’ is geen geldig bedrag.")
    sign, whole, fraction = match.groups()
    if fraction is not None and len(fraction) > 2:
        raise StatementError.at(
            line,
            f"{what} ‘{raw.strip()}’ heeft meer dan twee decimalen; dat kan geen eurobedrag zijn.",
        )
    whole = whole.replace("." if decimal == "," else ",", "")
    try:
        value = Decimal(f"{sign}{whole}.{fraction or '0'}")
    except InvalidOperation:  # pragma: no cover - the regex only lets digits through
        raise StatementError.at(line, f"{what} ‘{raw.strip()}’ is geen geldig bedrag.") from None
    return value.quantize(CENT)


_DATE_PATTERNS = {
    "YYYYMMDD": (re.compile(r"(\d{4})(\d{2})(\d{2})"), (1, 2, 3)),
    "YYYY-MM-DD": (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), (1, 2, 3)),
    "DD-MM-YYYY": (re.compile(r"(\d{2})-(\d{2})-(\d{4})"), (3, 2, 1)),
    "DD/MM/YYYY": (re.compile(r"(\d{2})/(\d{2})/(\d{4})"), (3, 2, 1)),
}


def parse_date(raw: str, line: int, *formats: str, what: str = "de datum") -> dt.date:
    """Read a date in one of the named layouts (see ``_DATE_PATTERNS``), tried in order."""
    text = raw.strip()
    if formats[0] == "YYYYMMDD" and len(text) == 8 and text.isdigit() and text.isascii():
        try:  # fast path for the most common layout (ING, ABN AMRO)
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            raise StatementError.at(line, f"{what} ‘{text}’ is geen geldige datum.") from None
    if formats[0] == "YYYY-MM-DD" and len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:  # fromisoformat is C-fast; it also accepts other ISO shapes, hence the checks
            return dt.date.fromisoformat(text)
        except ValueError:
            pass  # fall through to the strict patterns for the message
    for name in formats:
        pattern, (y, m, d) = _DATE_PATTERNS[name]
        match = pattern.fullmatch(text)
        if match is None:
            continue
        try:
            return dt.date(int(match.group(y)), int(match.group(m)), int(match.group(d)))
        except ValueError:
            break  # right shape, impossible date (31 februari): no other layout will help
    raise StatementError.at(line, f"{what} ‘{text}’ is geen geldige datum.")


def parse_yymmdd(raw: str, line: int, *, what: str = "de datum") -> dt.date:
    """SWIFT dates (YYMMDD); MT940 only covers the present, so the century is always 20."""
    if not re.fullmatch(r"\d{6}", raw):
        raise StatementError.at(line, f"{what} ‘{raw}’ is geen geldige datum.")
    try:
        return dt.date(2000 + int(raw[:2]), int(raw[2:4]), int(raw[4:6]))
    except ValueError:
        raise StatementError.at(line, f"{what} ‘{raw}’ is geen geldige datum.") from None


@lru_cache(maxsize=8192)
def _iban_or_reason(raw: str) -> tuple[str, str]:
    """(compact IBAN, "") when valid, else ("", Dutch reason). Cached: counterparties repeat."""
    try:
        return IBAN(raw).compact, ""
    except SchwiftyException as exc:
        kind = type(exc).__name__
        reason = {
            "InvalidChecksumDigits": "het controlegetal klopt niet",
            "InvalidLength": "de lengte klopt niet",
            "InvalidCountryCode": "onbekende landcode",
            "InvalidStructure": "de opbouw klopt niet",
            "InvalidBBANChecksum": "het controlegetal van het rekeningnummer klopt niet",
        }.get(kind, "het is geen geldige IBAN")
        return "", reason


def account_iban(raw: str, line: int | None) -> str:
    """The statement's own account: must be a valid IBAN, returned compact and upper case."""
    text = raw.strip().replace(" ", "").upper()
    iban, reason = _iban_or_reason(text) if text else ("", "het ontbreekt")
    if iban:
        return iban
    message = f"het rekeningnummer ‘{raw.strip()}’ van de rekening is geen geldige IBAN ({reason})."
    if line is None:
        raise StatementError(message[0].upper() + message[1:])
    raise StatementError.at(line, message)


def abn_amro_account(raw: str, line: int | None) -> str:
    """ABN AMRO exports may give the pre-IBAN account number (9 or 10 digits) instead.

    Its IBAN follows from it without guessing: NLkk + ABNA + the number padded to ten
    digits (that is how ABN AMRO converted its accounts). Anything else must be an IBAN.
    """
    digits = raw.strip().replace(".", "")
    if re.fullmatch(r"\d{9,10}", digits):
        return IBAN.generate("NL", bank_code="ABNA", account_code=digits.zfill(10)).compact
    return account_iban(raw, line)


_LOOKS_LIKE_IBAN = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{8,30}")


def counterparty_account(raw: str | None) -> str:
    """The other party's account as the bank gave it, normalised when it is a valid IBAN.

    Never fails: old Dutch account numbers ("P 1234567", 9 digits), foreign formats and
    IBANs with a typo in the bank's own data are kept as given, so no line is lost.
    """
    text = (raw or "").strip()
    if not text:
        return ""
    compact = text.replace(" ", "").upper()
    if _LOOKS_LIKE_IBAN.fullmatch(compact):
        iban, _ = _iban_or_reason(compact)
        if iban:
            return iban
    return text


def decode_text(data: bytes) -> str:
    """Decode a text export: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252.

    Dutch banks export either UTF-8 (newer downloads, often with a BOM for Excel) or
    Windows-1252 (older ones; é and € in descriptions). UTF-8 is tried first because a
    Windows-1252 file with accents is almost never valid UTF-8, while the reverse decodes
    into mojibake without error.
    """
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            encoding = "cp1252"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise StatementError.at(
            line,
            "het bestand heeft een onbekende tekencodering (geen UTF-8 of Windows-1252); "
            "exporteer het opnieuw vanuit de bank.",
        ) from None
