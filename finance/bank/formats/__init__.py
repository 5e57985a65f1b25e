"""Bank statement files -> normalised, validated records. Pure parsing: no models, no database.

Entry points::

    parse_statement(data: bytes, *, filename: str = "") -> ParsedStatement
    detect_format(data: bytes, *, filename: str = "") -> str     # one of FORMATS

Formats: CAMT.053 (camt.053.001.02 and later), MT940 (ING, Rabobank, ABN AMRO), and the CSV
downloads of ING, Rabobank, ABN AMRO (TAB), bunq and Triodos; see ``camt``, ``mt940`` and
``csv_banks`` for the details of each. The encoding (UTF-8, UTF-8 with BOM, Windows-1252) is
detected too.

Contract: a file is accepted whole or refused with ``StatementError`` — a Dutch message for
the treasurer plus the line number when one line is at fault. Amounts are ``Decimal`` with two
decimals, negative for money out; balances the file states are checked against the lines.
Each line has a ``dedup_key`` (see ``dedup``) so that the import service can skip what it
already has. Building a payment file for the bank is in ``sepa``.
"""

from __future__ import annotations

from . import camt, csv_banks, mt940
from .detect import FORMATS, detect_format
from .records import ParsedLine, ParsedStatement, StatementError

__all__ = [
    "FORMATS",
    "ParsedLine",
    "ParsedStatement",
    "StatementError",
    "detect_format",
    "parse_statement",
]


def parse_statement(data: bytes, *, filename: str = "") -> ParsedStatement:
    """Detect the format of ``data`` and parse it; raises ``StatementError`` on any problem."""
    fmt = detect_format(data, filename=filename)
    if fmt == camt.FORMAT:
        return camt.parse(data)
    if fmt == mt940.FORMAT:
        return mt940.parse(data)
    return csv_banks.parse(data, fmt)
