"""Reading counterparty and description out of the free-text fields Dutch banks fill.

MT940 ``:86:`` fields and ABN AMRO's TAB "omschrijving" pack the counterparty, the payment
reference and the description into one string. Three shapes occur in practice:

* slash-coded, SWIFT style, used by ING (``/EREF/…//CNTP/IBAN/BIC/naam/plaats///REMI/USTD//tekst/``),
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
_KEYWORD = re.compile(
    r"\b(IBAN|BIC|Naam|Omschrijving|Kenmerk|Machtiging|Incassant|Betalingskenm\.?|Valutadatum|"
    r"Pasvolgnr|Transactie|Term|Datum/Tijd|ID begunstigde|Crediteur ID|Mandaat ID)\s*:\s*",
    re.IGNORECASE,
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
    if _CODE.search(text) and (text.startswith("/") or "/TRTP/" in text):
        return _slash_coded(text)
    if _KEYWORD.search(text):
        return _keyword_style(text)
    card = _CARD.search(text)
    return Details(name=clean_text(card.group("name")) if card else "", description=clean_text(text))


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


def _keyword_style(text: str) -> Details:
    matches = list(_KEYWORD.finditer(text))
    fields: dict[str, str] = {}
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        fields.setdefault(match.group(1).lower().rstrip("."), clean_text(text[match.end() : end]))
    # Without an "Omschrijving:" part (card payments) the whole text is the description.
    description = fields.get("omschrijving") or clean_text(text)
    return Details(
        name=fields.get("naam", ""),
        account=fields.get("iban", "").replace(" ", ""),
        description=description,
        end_to_end_id=fields.get("kenmerk", "") if fields.get("kenmerk", "").upper() != "NOTPROVIDED" else "",
    )
