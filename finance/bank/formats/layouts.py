"""The bank layouts this package recognises, each tested with a fixture of its own.

A layout is a format as one bank writes it; some banks have more than one variant of a
format (ING's CSV in Dutch and in English, ABN AMRO's MT940 before and after it moved card
payments to fixed slots). ``tests/finance/bank/test_bank_formats.py`` parses a fixture for every
entry here and checks that it is recognised as that format (and bank, where the file says
which bank it is from), so this list cannot claim more than the parsers do.

The count that is reported is ``len(format_bank_pairs())``: the number of (format, bank)
combinations; ``len(LAYOUTS)`` counts the variants too.
"""

from __future__ import annotations

from dataclasses import dataclass

from .csv_banks import ABN_AMRO, BUNQ, ING, KNAB, RABOBANK, TRIODOS, VOLKSBANK
from .detect import CAMT053, MT940


@dataclass(frozen=True, slots=True)
class Layout:
    format: str
    bank: str
    variant: str


LAYOUTS: tuple[Layout, ...] = (
    Layout(CAMT053, "ING", "camt.053.001.02, IBAN, batch with details, reversal"),
    Layout(CAMT053, "Rabobank", "camt.053.001.08, two statements of one account"),
    Layout(CAMT053, "Rabobank", "camt.053.001.08, statements of two accounts"),
    Layout(CAMT053, "ABN AMRO", "old account number in Othr/Id, bank in Svcr"),
    Layout(CAMT053, "Triodos Bank", "IBAN in Othr/Id, no closing balance"),
    Layout(MT940, "ING", "IBAN with currency, structured :86:"),
    Layout(MT940, "ING", "old account number in :25:, PREF/MARF codes"),
    Layout(MT940, "Rabobank", "counterparty on the second :61: line"),
    Layout(MT940, "ABN AMRO", "old account number, BEA in free text"),
    Layout(MT940, "ABN AMRO", "card payments and keywords in 32-character slots"),
    Layout(MT940, "SNS", "SWIFT envelope, old account number, de Volksbank :86:"),
    Layout(MT940, "ASN Bank", "IBAN, de Volksbank :86:"),
    Layout(MT940, "Knab", "old account number, no bank in the file"),
    Layout(ING, "ING", "Dutch headers, comma separated, Windows-1252"),
    Layout(ING, "ING", "Dutch headers, semicolon separated, BOM, running balance"),
    Layout(ING, "ING", "English headers"),
    Layout(RABOBANK, "Rabobank", "2018 layout"),
    Layout(ABN_AMRO, "ABN AMRO", "TXT, one account"),
    Layout(ABN_AMRO, "ABN AMRO", "TXT, two accounts, 2024 card layout"),
    Layout(BUNQ, "bunq", "English headers, comma separated, decimal point"),
    Layout(BUNQ, "bunq", "English headers, semicolon separated, decimal comma"),
    Layout(BUNQ, "bunq", "Dutch headers"),
    Layout(TRIODOS, "Triodos Bank", "no header, Windows-1252"),
    Layout(KNAB, "Knab", "KNAB EXPORT title line and header"),
    Layout(VOLKSBANK, "ASN Bank", "nineteen columns, no header"),
    Layout(VOLKSBANK, "SNS", "nineteen columns, no header"),
    Layout(VOLKSBANK, "RegioBank", "nineteen columns, no header"),
)


def format_bank_pairs() -> set[tuple[str, str]]:
    """The distinct (format, bank) combinations that are recognised."""
    return {(layout.format, layout.bank) for layout in LAYOUTS}
