"""The canonical serialisation a report's SHA-256 checksum is over (docs/reporting-checksum.md).

JSON (RFC 8259) with object keys sorted by code point, no whitespace between tokens, UTF-8
without escaping non-ASCII characters, and no floating-point numbers: money is a string with
exactly two decimals ("1234.50"), counts are integers or null. Anyone can recompute the
checksum from the downloaded `content`:

    sha256(json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
           .encode("utf-8"))
"""

import hashlib
import json
from decimal import Decimal


def _refuse_floats(value):
    if isinstance(value, float):
        raise TypeError("Een rapportage bevat geen kommagetallen (float); gebruik Decimal-tekst.")
    if isinstance(value, Decimal):
        raise TypeError("Geldbedragen staan als tekst met twee decimalen in een rapportage.")
    if isinstance(value, dict):
        for item in value.values():
            _refuse_floats(item)
    elif isinstance(value, list):
        for item in value:
            _refuse_floats(item)


def canonical_text(content: dict) -> str:
    _refuse_floats(content)
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def money_text(amount: Decimal) -> str:
    if not isinstance(amount, Decimal):
        raise TypeError(f"Geldbedrag is geen Decimal maar {type(amount).__name__}.")
    return f"{amount.quantize(Decimal('0.01')):.2f}"
