"""Does the bank's counterparty look like the name an open item carries?

A booking typed in the expense form has no IBAN and no reference, only a description
("Verf en kwasten Gamma"); the bank line names the counterparty ("GAMMA 123 AMSTERDAM").
`name_similarity` compares the first two significant words of the counterparty's name (the
merchant or person; what follows is usually a branch or a place) with every significant word
of the item, word by word with rapidfuzz's `ratio` (0–100, so "Heijn" and "Hein" still agree),
and returns the best agreement. Words that say nothing about who it is (legal forms, articles,
places, payment channels, numbers, words shorter than three letters) are left out on both
sides. At `NAME_MIN` or above the names agree.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz

NAME_MIN = 85.0  # word agreement (rapidfuzz ratio) from which two names are "the same"
KEY_WORDS = 2  # how many leading words of the counterparty's name identify it

# Words that identify nobody: legal forms, articles and prepositions, payment channels and
# place names that many counterparties share.
NOISE = frozenset(
    """
    bv nv vof cv stichting vereniging ver coop cooperatie ua holding
    de het een van der den ter ten en of voor bij via aan op in
    bea gea betaalpas pas ideal sepa incasso overboeking periodieke ccv sumup zettle
    amsterdam rotterdam utrecht haag noord zuid oost west zuidoost nieuw centrum
    """.split()
)
_WORD = re.compile(r"[a-z0-9]+")


def _plain(text: str) -> str:
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=20_000)
def significant_words(text: str) -> tuple[str, ...]:
    """The words of `text` that could identify someone, in order, without accents."""
    return tuple(
        w for w in _WORD.findall(_plain(text)) if len(w) >= 3 and not w.isdigit() and w not in NOISE
    )


def name_similarity(counterparty: str, other: str) -> float:
    """0–100: how well the counterparty's leading words agree with a word of `other`."""
    keys = significant_words(counterparty)[:KEY_WORDS]
    words = significant_words(other)
    if not keys or not words:
        return 0.0
    return max(fuzz.ratio(key, word) for key in keys for word in words)


def names_agree(counterparty: str, other: str) -> bool:
    return name_similarity(counterparty, other) >= NAME_MIN
