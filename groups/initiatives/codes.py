"""Codes residents type from paper: vouchers and voting codes.

16 characters in four groups of four (K7QM-3XHT-9RWC-PDFA): 15 random characters from an
alphabet of 31 without look-alikes (no 0/O, 1/I/L) — 74 bits — and one check character. The
check is a weighted sum modulo 31 (a prime), so every single mistyped character and every
swap of two neighbours is told apart from a wrong code before anything is looked up.

Only an HMAC of the code is stored (keyed with VOUCHER_CODE_KEY, by default derived from
SECRET_KEY), so a copy of the database does not give away a single usable code.
"""

import hashlib
import hmac
import secrets

from django.conf import settings

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BASE = len(ALPHABET)  # 31, prime
RANDOM_LENGTH = 15
VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
# What people type for a character that is not in the alphabet.
LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


class CodeError(ValueError):
    """`kind` is "format" (not a code at all) or "typo" (the check character does not fit)."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def _check(body: str) -> str:
    return ALPHABET[sum((i + 1) * VALUE[ch] for i, ch in enumerate(body)) % BASE]


_SPACE = BASE**RANDOM_LENGTH


def new_code() -> str:
    # One uniform draw below 31**15 written in base 31: the same 74 bits as fifteen
    # `secrets.choice` calls, at a tenth of the cost (10,000 letters at once).
    number = secrets.randbelow(_SPACE)
    digits = []
    for _ in range(RANDOM_LENGTH):
        number, digit = divmod(number, BASE)
        digits.append(ALPHABET[digit])
    body = "".join(digits)
    raw = body + _check(body)
    return f"{raw[0:4]}-{raw[4:8]}-{raw[8:12]}-{raw[12:16]}"


def normalise(text: str) -> str:
    """The code as stored for hashing (16 characters), or CodeError."""
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if len(raw) != RANDOM_LENGTH + 1 or any(ch not in VALUE for ch in raw):
        raise CodeError("format")
    if _check(raw[:-1]) != raw[-1]:
        raise CodeError("typo")
    return raw


def prefix(text: str) -> str:
    """The first group as typed, for rate limits per code prefix."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())[:4]


def _key() -> bytes:
    key = getattr(settings, "VOUCHER_CODE_KEY", "") or ("voucher-codes:" + settings.SECRET_KEY)
    return key.encode()


def code_hash(raw: str) -> str:
    return hmac.new(_key(), raw.encode(), hashlib.sha256).hexdigest()


def code_hashes(raws: list[str]) -> list[str]:
    """`code_hash` for many codes: the keyed state is made once and copied per code."""
    keyed = hmac.new(_key(), digestmod=hashlib.sha256)
    result = []
    for raw in raws:
        h = keyed.copy()
        h.update(raw.encode())
        result.append(h.hexdigest())
    return result
