"""Bank statement files -> normalised, validated records. Pure parsing: no models, no database.

Entry points::

    parse_statement(data: bytes | BinaryIO, *, filename: str = "") -> ParsedStatement
    detect_format(data: bytes, *, filename: str = "") -> str     # one of FORMATS

``data`` is the file's bytes or a seekable binary file (an upload on disk): the file is read
in chunks and never held in memory whole (see ``source``).

Formats: CAMT.053 (camt.053.001.02 and later), MT940 (ING, Rabobank, ABN AMRO, de Volksbank,
Triodos, Knab), and the CSV downloads of ING (Dutch and English), Rabobank, ABN AMRO (TAB),
bunq (English and Dutch), Triodos, Knab and de Volksbank (ASN, SNS, RegioBank); see
``camt``, ``mt940`` and ``csv_banks`` for the details of each, and ``layouts`` for the list
of bank layouts that are recognised and tested. The encoding (UTF-8, UTF-8 with BOM,
UTF-16, Windows-1252) is detected too.

Contract: a file is accepted whole or refused with ``StatementError`` — a Dutch message for
the treasurer plus the line number when one line is at fault. Amounts are ``Decimal`` with two
decimals, negative for money out; balances the file states are checked against the lines,
and where a file states none the statement carries a notice saying so. A file may hold
several accounts; each gets its own part. Each line has a ``dedup_key`` (see ``dedup``) so
that the import service can skip what it already has. Building a payment file for the bank
is in ``sepa``.
"""

from __future__ import annotations

from typing import BinaryIO

from . import camt, csv_banks, mt940
from .detect import FORMATS, detect_format
from .records import AccountStatement, BatchPart, ParsedLine, ParsedStatement, StatementError
from .source import Source
from .statement import rekeyed

__all__ = [
    "FORMATS",
    "AccountStatement",
    "BatchPart",
    "ParsedLine",
    "ParsedStatement",
    "StatementError",
    "detect_format",
    "parse_statement",
    "rekeyed",
]


def parse_statement(data: bytes | BinaryIO, *, filename: str = "") -> ParsedStatement:
    """Detect the format of the file and parse it; raises ``StatementError`` on any problem."""
    source = Source(data)
    fmt = detect_format(source, filename=filename)
    if fmt == camt.FORMAT:
        return camt.parse(source)
    if fmt == mt940.FORMAT:
        return mt940.parse(source)
    return csv_banks.parse(source, fmt)
