"""Strict readers for the small values every bank format contains: text, amounts, dates, IBANs.

Each reader takes the raw text and the source line number and either returns a normalised
value or raises ``StatementError`` with a Dutch message naming that line. They are strict on
purpose: a value we are unsure about (``12,3,4``, ``2023-02-30``, three decimals) stops the
import rather than being guessed, because a wrong amount in the books is worse than a
treasurer re-exporting a file.
"""

from __future__ import annotations

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
    """Read a signed amount, exact to the cent.

    ``decimal`` is the file's decimal separator ("," or ".", the other one may appear as a
    thousands separator) or "xml" for ISO 20022 amounts. More than two decimals are
    accepted only when the extra ones are zeros ("18.150" is € 18,15 exactly); anything
    that would need rounding is refused. The result has exactly two decimals.
    """
    text = raw.strip()
    match = _AMOUNT_PATTERNS[decimal].fullmatch(text)
    if match is None:
        raise StatementError.at(line, f"{what} ‘{text}’ is geen geldig bedrag.")
    sign, whole, fraction = match.groups()
    if fraction is not None and len(fraction) > 2:
        if fraction[2:].strip("0"):
            raise StatementError.at(
                line,
                f"{what} ‘{text}’ heeft meer dan twee decimalen; dat kan geen eurobedrag zijn.",
            )
        fraction = fraction[:2]
    whole = whole.replace("." if decimal == "," else ",", "")
    try:
        value = Decimal(f"{sign}{whole}.{fraction or '0'}")
    except InvalidOperation:  # pragma: no cover - the regex only lets digits through
        raise StatementError.at(line, f"{what} ‘{text}’ is geen geldig bedrag.") from None
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


# Dutch bank codes (the letters 5-8 of an IBAN, the first four of the BIC) and their names.
BANK_NAMES = {
    "ABNA": "ABN AMRO",
    "INGB": "ING",
    "RABO": "Rabobank",
    "SNSB": "SNS",
    "ASNB": "ASN Bank",
    "RBRB": "RegioBank",
    "KNAB": "Knab",
    "TRIO": "Triodos Bank",
    "BUNQ": "bunq",
}
VOLKSBANK = frozenset({"SNSB", "ASNB", "RBRB"})  # de Volksbank: one layout for three banks
_LOCAL_NUMBER = re.compile(r"\d{1,10}")


def local_account_number(raw: str) -> str | None:
    """The digits of an old-style Dutch account number ("41.23.45.678", "0412345678").

    None when ``raw`` is not one (an IBAN, or anything else).
    """
    digits = raw.strip().replace(".", "").replace(" ", "")
    return digits if _LOCAL_NUMBER.fullmatch(digits) else None


def dutch_bank_code(bic: str) -> str:
    """The bank code of a Dutch BIC ("ABNANL2A" -> "ABNA"), or "" for any other text."""
    text = bic.strip().upper()
    return text[:4] if re.fullmatch(r"[A-Z]{4}NL[A-Z0-9]{2}([A-Z0-9]{3})?", text) else ""


def abn_amro_iban(digits: str) -> str:
    """The IBAN of an ABN AMRO account number (9 or 10 digits).

    It follows without guessing: NLkk + ABNA + the number padded to ten digits (that is
    how ABN AMRO converted its accounts). Only call this when the file says it is from
    ABN AMRO: other banks' numbers of the same length belong to other IBANs.
    """
    return IBAN.generate("NL", bank_code="ABNA", account_code=digits.zfill(10)).compact


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
