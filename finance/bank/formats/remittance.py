"""Reading counterparty and description out of the free-text fields Dutch banks fill.

MT940 ``:86:`` fields and ABN AMRO's TAB "omschrijving" pack the counterparty, the payment
reference and the description into one string. Three shapes occur in practice:

* slash-coded, SWIFT style, used by ING
  (``/EREF/…//CNTP/IBAN/BIC/naam/plaats///REMI/USTD//tekst/``),
  Rabobank (``/EREF/…//BENM//NAME/naam//REMI/tekst``) and ABN AMRO
  (``/TRTP/SEPA OVERBOEKING/IBAN/…/BIC/…/NAME/…/REMI/…/EREF/…``);
* ABN AMRO's older keyword style (``SEPA Overboeking  IBAN: … BIC: … Naam: … Omschrijving: …``);
* plain text, e.g. card payments: ABN AMRO's older ``BEA   NR:XX1234   02.01.23/10.00
  ALBERT HEIJN 1234,PAS123`` and its current ``BEA, Betaalpas   ALBERT HEIJN 1234,PAS123
  NR:XX1234, 02.01.23/10:00   AMSTERDAM`` (merchant first, the city last).

ABN AMRO builds the keyword style from fixed slots of 32 characters: a value that fills its
slot exactly is followed by the next keyword without a space (``…Buurthuis ZuidOmschrijving:``).
Those glued keywords are recognised by ABN AMRO's own spelling (capitals as it writes them),
so a lower-case "naam:" inside a description is not taken for one. ``Voor:`` (the party a
payment is made for) is one of them; it is kept at the end of the description.

English ING exports use the same style with English keywords (``Name: … Description: …``).

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
    # ING's English export
    "name",
    "description",
    "reference",
    "value date",
    "mandate id",
    "creditor id",
)
# ABN AMRO's keywords as it spells them; only these are recognised when glued to the value
# before them (a full 32-character slot) or, for "Voor", at all.
_ABN_KEYWORDS = (
    "Omschrijving",
    "Betalingskenm.",
    "Machtiging",
    "Incassant",
    "Kenmerk",
    "Naam",
    "IBAN",
    "BIC",
    "Voor",
)
_ENGLISH = {"name": "naam", "description": "omschrijving", "reference": "kenmerk"}
# Card payments. Current ABN AMRO layout: kind, means of payment, merchant, ",PAS123".
_CARD_NOW = re.compile(
    r"^\s*(?:BEA|GEA|ECOM)\s*,\s*(?:Betaalpas|Apple Pay|Google Pay|Garmin Pay|Fitbit Pay|"
    r"Samsung Pay|Betaalpas contactloos|[A-Za-z]+ Pay)\s+(?P<name>.+?)\s*,\s*PAS\s?\d+",
    re.IGNORECASE,
)
# Older layout: "BEA   NR:XX1234   11.01.24/10.15 ALBERT HEIJN 1234,PAS123".
_CARD = re.compile(r"\d{2}\.\d{2}\.\d{2}[/ ]\d{2}[.:]\d{2}\s+(?P<name>.+?)(?:,\s*PAS\d+|$)")


@dataclass(frozen=True, slots=True)
class Details:
    """What could be read from a description field; empty strings where nothing was found."""

    name: str = ""
    account: str = ""
    description: str = ""
    end_to_end_id: str = ""
    is_return: bool = False  # a returned payment (SEPA /RTRN/ reason code)
    batch_count: int | None = None  # a batch: the number of transactions it holds


def parse_details(text: str) -> Details:
    """Split a bank's combined description field; see the module docstring for the shapes."""
    text = text.strip()
    if (text.startswith("/") or "/TRTP/" in text) and _CODE.search(text):
        return _slash_coded(text)
    card = _CARD_NOW.search(text)
    if card is not None:
        return Details(name=clean_text(card.group("name")), description=clean_text(text))
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
    count = clean_text(fields.get("NRTX", "").strip("/"))
    batch_count = int(count) if count.isdigit() else None
    description = clean_text(description.strip("/"))
    if batch_count is not None and not remittance:
        description = f"Verzamelboeking van {batch_count} transacties"
    return Details(
        name=clean_text(name.strip("/")),
        account=clean_text(account.strip("/")).replace(" ", ""),
        description=description,
        end_to_end_id=end_to_end,
        is_return="RTRN" in fields,
        batch_count=batch_count,
    )


_SINGLE_WORD_KEYWORDS = frozenset(k for k in _KEYWORDS if " " not in k)
_TWO_WORD_KEYWORDS = frozenset(k for k in _KEYWORDS if " " in k)


def _ends_with_keyword(piece: str) -> tuple[str, int] | None:
    """(keyword, its length in ``piece``) when a keyword ends ``piece`` (text before a colon)."""
    words = piece.rsplit(None, 2)
    if not words:
        return None
    original = words[-1]
    last = original.lower().rsplit("/", 1)[-1]  # "…PAS123/Naam" counts too
    if last in _SINGLE_WORD_KEYWORDS:
        return last, len(last)
    if len(words) >= 2:
        pair = f"{words[-2].lower()} {last}"
        if pair in _TWO_WORD_KEYWORDS:
            return pair, len(pair)
    for keyword in _ABN_KEYWORDS:  # ABN AMRO's own spelling, glued to a full slot or "Voor"
        if original.endswith(keyword) and (keyword == "Voor" or len(original) > len(keyword)):
            return keyword.lower(), len(keyword)
    return None


def _keyword_fields(text: str) -> dict[str, str] | None:
    """{keyword: value} for "Naam: x Omschrijving: y" text; None when no keyword occurs."""
    pieces = text.split(":")
    fields: dict[str, str] = {}
    key: str | None = None
    buffer: list[str] = []
    for index, piece in enumerate(pieces):
        found = _ends_with_keyword(piece) if index < len(pieces) - 1 else None
        if found is None:
            buffer.append(piece)  # the colon after it belongs to the value
            continue
        keyword, length = found
        stripped = piece.rstrip()
        buffer.append(stripped[: len(stripped) - length])  # keep the value's case
        if key is not None:
            fields.setdefault(key, clean_text(":".join(buffer)))
        key, buffer = keyword.rstrip("."), []
    if key is None:
        return None
    fields.setdefault(key, clean_text(":".join(buffer)))
    return fields


def _keyword_style(text: str, fields: dict[str, str]) -> Details:
    for english, dutch in _ENGLISH.items():
        if english in fields:
            fields.setdefault(dutch, fields[english])
    # Without an "Omschrijving:" part (card payments) the whole text is the description.
    description = fields.get("omschrijving") or clean_text(text)
    if fields.get("voor") and "omschrijving" in fields:
        description = f"{description} (voor {fields['voor']})"
    kenmerk = fields.get("kenmerk", "")
    return Details(
        name=fields.get("naam", ""),
        account=fields.get("iban", "").replace(" ", ""),
        description=description,
        end_to_end_id="" if kenmerk.upper() == "NOTPROVIDED" else kenmerk,
    )
