"""QR codes for thousands of letters: one URL prefix, codes of one length, made by XOR.

A QR code with a fixed version, error level and mask is an affine function of its data bits
over GF(2): the bit stream, the Reed-Solomon error correction (linear over GF(256), so over
GF(2) too), the placement in the matrix and the mask (a fixed XOR) are all linear or fixed.
So for a prefix and codes of one length, the matrix of any code is the matrix of one sample
code, XOR the change each differing bit makes. Those changes are computed once with segno
(eight per character position: ~130 encodings), after which a code's matrix costs a handful
of integer XORs instead of a full encoding (segno took 95 % of the letters' time).

`tests/initiatives/test_vouchers.py` checks the result against segno module for module.
"""

from functools import lru_cache

import segno

ERROR = "m"
MASK = 0  # a fixed mask skips segno's evaluation of all eight; every mask is valid


def _segno(data: bytes, version=None):
    return segno.make(
        data, error=ERROR, mask=MASK, micro=False, boost_error=False, mode="byte", version=version
    )


def _as_int(qr) -> int:
    return int("".join("1" if v else "0" for row in qr.matrix for v in row), 2)


class Template:
    """The QR matrices of `prefix + code` for every code as long as `sample`."""

    def __init__(self, prefix: str, sample: str):
        self.prefix = prefix.encode("ascii")
        self.sample = sample.encode("ascii")
        qr = _segno(self.prefix + self.sample)
        self.version = qr.version
        self.size = len(qr.matrix)
        self.base = _as_int(qr)
        start = len(self.prefix)
        # Per position in the code and per bit of its byte: how the matrix changes.
        self.bit_deltas = []
        for position in range(len(self.sample)):
            per_bit = []
            for bit in range(8):
                data = bytearray(self.prefix + self.sample)
                data[start + position] ^= 1 << bit
                per_bit.append(self.base ^ _as_int(_segno(bytes(data), version=self.version)))
            self.bit_deltas.append(per_bit)
        self._cache: dict[tuple[int, int], int] = {}

    def _delta(self, position: int, byte: int) -> int:
        key = (position, byte)
        delta = self._cache.get(key)
        if delta is None:
            delta, diff = 0, byte ^ self.sample[position]
            for bit in range(8):
                if diff >> bit & 1:
                    delta ^= self.bit_deltas[position][bit]
            self._cache[key] = delta
        return delta

    def matrix_bits(self, code: str) -> int:
        """The matrix as one integer, row by row, the top left module the highest bit."""
        data = code.encode("ascii")
        if len(data) != len(self.sample):
            raise ValueError("code of another length")
        bits = self.base
        for position, byte in enumerate(data):
            if byte != self.sample[position]:
                bits ^= self._delta(position, byte)
        return bits

    def rows(self, code: str) -> list[str]:
        """The matrix as rows of "0" and "1"."""
        n = self.size
        text = format(self.matrix_bits(code), f"0{n * n}b")
        return [text[r * n : (r + 1) * n] for r in range(n)]


@lru_cache(maxsize=8)
def template(prefix: str, length: int) -> Template:
    return Template(prefix, "A" * length)


def rows(url: str, code: str) -> list[str]:
    """The QR matrix of `url` (which ends with `code`) as rows of "0"/"1": through the
    template when the URL is ASCII and ends with the code, otherwise with segno directly."""
    if url.endswith(code) and url.isascii() and code:
        return template(url[: -len(code)], len(code)).rows(code)
    qr = segno.make(url, error=ERROR, mask=MASK, micro=False)
    return ["".join("1" if v else "0" for v in row) for row in qr.matrix]
