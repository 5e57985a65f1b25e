"""Recognising which bank format a file is, from its content.

The file name is never trusted over the content (treasurers rename files, banks use ``.txt``
for three different formats); it is only used to make the "unknown format" message
friendlier. Detection looks at the start of the file only, except for CSVs, whose header
row decides.
"""

from __future__ import annotations

import codecs
import re

from . import csv_banks
from .records import StatementError
from .source import Source

CAMT053 = "camt.053"
MT940 = "mt940"
FORMATS = (CAMT053, MT940, *csv_banks.FORMATS)

_MT940_TAG = re.compile(r"^:(20|25|28C?|60[FM]|61|62[FM]):", re.MULTILINE)
_CAMT = re.compile(rb"urn:iso:std:iso:20022:tech:xsd:camt\.(\d{3})\.001\.\d{2}")

_ADVICE = "Exporteer het afschrift als CAMT.053, MT940 of CSV vanuit de bank."


def detect_format(data: bytes | Source, *, filename: str = "") -> str:
    """The format of the file: one of ``FORMATS``; raises ``StatementError`` when unknown."""
    source = data if isinstance(data, Source) else Source(data)
    head = source.head[:8192]
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if head.startswith(bom):
            head = head[len(bom) :]
            break
    stripped = head.lstrip()
    if not stripped:
        raise StatementError("Het bestand is leeg.")
    if stripped.startswith(b"%PDF"):
        raise StatementError(f"Dit is een PDF-afschrift; dat kan niet worden ingelezen. {_ADVICE}")
    if stripped.startswith(b"PK\x03\x04"):
        raise StatementError(
            f"Dit is een Excel- of ZIP-bestand; dat kan niet worden ingelezen. {_ADVICE}"
        )
    if stripped.startswith(b"<"):
        camt = _CAMT.search(head)
        if camt is None:
            raise StatementError(
                f"Dit XML-bestand is geen bankafschrift in CAMT.053-formaat. {_ADVICE}"
            )
        if camt.group(1) != b"053":
            raise StatementError(
                f"Dit is een CAMT.{camt.group(1).decode()}-bestand (een tussentijds overzicht of "
                f"een melding), geen dagafschrift. {_ADVICE}"
            )
        return CAMT053

    sample = "\n".join(line for _number, line in source.text_head(120))[:8192]
    tags = {match.group(1) for match in _MT940_TAG.finditer(sample)}
    if "20" in tags and ("25" in tags or "60F" in tags or "61" in tags):
        return MT940
    found = csv_banks.sniff(source)
    if found is not None:
        return found
    named = f" ‘{filename}’" if filename else ""
    raise StatementError(f"Het formaat van het bestand{named} is niet herkend. {_ADVICE}")
