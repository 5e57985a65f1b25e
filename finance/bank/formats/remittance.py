"""Reading counterparty and description out of the free-text fields Dutch banks fill.

MT940 ``:86:`` fields and ABN AMRO's TAB "omschrijving" pack the counterparty, the payment
reference and the description into one string. Three shapes occur in practice:

* slash-coded, SWIFT style, used by ING
  (``/EREF/…//CNTP/IBAN/BIC/naam/plaats///REMI/USTD//tekst/``),
  Rabobank (``/EREF/…//BENM//NAME/naam//REMI/tekst``) and ABN AMRO
  (``/TRTP/SEPA OVERBOEKING/IBAN/…/BIC/…/NAME/…/REMI/…/EREF/…``);
* ABN AMRO's older keyword style (``SEPA Overboeking  IBAN: … BIC: … Naam: … Omschrijving: …``);
* plain text, e.g. card payments (``BEA   NR:XX1234   02.01.23/10.00 ALBERT HEIJN 1234,PAS123``).

The reader is lenient by design: whatever it cannot split stays in the description, so no
information is lost; only amounts, dates and the account are checked strictly elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .fields import clean_text

# Only these codes start a new field, so a "/" inside a description does not split it.
_CODES = (
    "TRTP|IBAN|BIC|NAME|REMI|EREF|CNTP|BENM|ORDP|CSID|MARF|RTRN|ID|ADDR|ISDT|PREF|SVCL|"
    "ULTC|ULTD|ULTB|PURP|EXCH|CHGS|OAMT|NRTX|BUSP|PAYMENT|COUNTERPARTY"
)
_CODE = re.compile(rf"/({_CODES})/")
# Keywords of the "Naam: … Omschrijving: …" style, lower case; a colon after anything else
# (a time like 10:00) is part of the value. Matched by hand on str.split(":") because a regex
# alternation over every position was the slowest step of a 10,000-line ING import.
_KEYWORDS = (
    "iban",
    "bic",
    "naam",
    "omschrijving",
    "kenmerk",
    "machtiging",
    "incassant",
    "betalingskenm.",
    "betalingskenm",
    "valutadatum",
    "pasvolgnr",
    "transactie",
    "term",
    "datum/tijd",
    "id begunstigde",
    "crediteur id",
    "mandaat id",
)
_CARD = re.compile(r"\d{2}\.\d{2}\.\d{2}[/ ]\d{2}[.:]\d{2}\s+(?P<name>.+?)(?:,\s*PAS\d+|$)")


@dataclass(frozen=True, slots=True)
class Details:
    """What could be read from a description field; empty strings where nothing was found."""

    name: str = ""
    account: str = ""
    description: str = ""
    end_to_end_id: str = ""


def parse_details(text: str) -> Details:
    """Split a bank's combined description field; see the module docstring for the shapes."""
    text = text.strip()
    if (text.startswith("/") or "/TRTP/" in text) and _CODE.search(text):
        return _slash_coded(text)
    if ":" in text:
        fields = _keyword_fields(text)
        if fields is not None:
            return _keyword_style(text, fields)
    card = _CARD.search(text)
    return Details(
        name=clean_text(card.group("name")) if card else "", description=clean_text(text)
    )


def _slash_coded(text: str) -> Details:
    fields: dict[str, str] = {}
    matches = list(_CODE.finditer(text))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        # First occurrence wins: NAME also appears as a sub-field of ULTD/ULTC (ultimate party).
        fields.setdefault(match.group(1), text[match.end() : end])

    name = fields.get("NAME", "")
    account = fields.get("IBAN", "")
    if "CNTP" in fields:  # ING: CNTP/IBAN/BIC/naam/plaats
        parts = fields["CNTP"].split("/")
        account = account or parts[0]
        name = name or (parts[2] if len(parts) > 2 else "")
    remittance = fields.get("REMI", "")
    # ING: USTD//free text/  or  STRD/CUR/structured reference/
    for prefix in ("USTD//", "STRD/CUR/", "STRD/ISO/", "USTD/", "STRD/"):
        if remittance.startswith(prefix):
            remittance = remittance[len(prefix) :]
            break
    description = remittance or fields.get("TRTP", "")
    end_to_end = clean_text(fields.get("EREF", "").strip("/"))
    if end_to_end.upper() == "NOTPROVIDED":
        end_to_end = ""
    return Details(
        name=clean_text(name.strip("/")),
        account=clean_text(account.strip("/")).replace(" ", ""),
        description=clean_text(description.strip("/")),
        end_to_end_id=end_to_end,
    )


_SINGLE_WORD_KEYWORDS = frozenset(k for k in _KEYWORDS if " " not in k)
_TWO_WORD_KEYWORDS = frozenset(k for k in _KEYWORDS if " " in k)


def _ends_with_keyword(piece: str) -> str | None:
    """The keyword that ends ``piece`` (the text before a colon), if any."""
    words = piece.lower().rsplit(None, 2)
    if not words:
        return None
    last = words[-1].rsplit("/", 1)[-1]  # "…PAS123/Naam" counts too
    if last in _SINGLE_WORD_KEYWORDS:
        return last
    if len(words) >= 2:
        pair = f"{words[-2]} {words[-1]}"
        if pair in _TWO_WORD_KEYWORDS:
            return pair
    return None


def _keyword_fields(text: str) -> dict[str, str] | None:
    """{keyword: value} for "Naam: x Omschrijving: y" text; None when no keyword occurs."""
    pieces = text.split(":")
    fields: dict[str, str] = {}
    key: str | None = None
    buffer: list[str] = []
    for index, piece in enumerate(pieces):
        keyword = _ends_with_keyword(piece) if index < len(pieces) - 1 else None
        if keyword is None:
            buffer.append(piece)  # the colon after it belongs to the value
            continue
        stripped = piece.rstrip()
        cut = len(stripped) - len(keyword)  # keep the value's own case, drop the keyword
        buffer.append(stripped[:cut])
        if key is not None:
            fields.setdefault(key, clean_text(":".join(buffer)))
        key, buffer = keyword.rstrip("."), []
    if key is None:
        return None
    fields.setdefault(key, clean_text(":".join(buffer)))
    return fields


def _keyword_style(text: str, fields: dict[str, str]) -> Details:
    # Without an "Omschrijving:" part (card payments) the whole text is the description.
    description = fields.get("omschrijving") or clean_text(text)
    kenmerk = fields.get("kenmerk", "")
    return Details(
        name=fields.get("naam", ""),
        account=fields.get("iban", "").replace(" ", ""),
        description=description,
        end_to_end_id="" if kenmerk.upper() == "NOTPROVIDED" else kenmerk,
    )
