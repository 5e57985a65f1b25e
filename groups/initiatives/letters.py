"""Printable letters (PDF), one A4 page per household, streamed page by page.

A minimal PDF 1.4 writer (standard Helvetica, WinAnsi text, the QR code drawn as filled
rectangles straight from its matrix, made by `groups.initiatives.qr` with a fixed version,
error level and mask): each page is written and forgotten, so 10,000 letters take as little
memory as ten. The code is printed here and nowhere else.
"""

import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from groups.initiatives import qr

A4 = (595, 842)


@dataclass(frozen=True)
class Letter:
    address: list[str]
    heading: str
    lines: list[str]  # the body text, one line each
    code: str
    code_label: str
    qr_url: str


def _text(value: str) -> bytes:
    data = value.encode("cp1252", "replace")
    return data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


_RUN = re.compile(r"1+")


def _qr(url: str, code: str, x: float, y: float, size: float) -> bytes:
    """The QR code as filled rectangles, one per run of dark modules in a row, drawn in
    module units (one `cm` scales them): no image, no PNG."""
    matrix = qr.rows(url, code)
    n = len(matrix)
    module = size / (n + 8)
    ops = [b"q 0 g %.4f 0 0 %.4f %.2f %.2f cm" % (module, module, x + 4 * module, y + 4 * module)]
    append = ops.append
    for r, row in enumerate(matrix):
        top = n - 1 - r
        for run in _RUN.finditer(row):
            append(b"%d %d %d 1 re" % (run.start(), top, run.end() - run.start()))
    append(b"f Q")
    return b"\n".join(ops)


def _page(letter: Letter) -> bytes:
    out = [b"BT /F1 11 Tf 60 760 Td 14 TL"]
    for line in letter.address:
        out.append(b"(%s) Tj T*" % _text(line))
    out.append(b"ET BT /F2 16 Tf 60 650 Td (%s) Tj ET" % _text(letter.heading))
    out.append(b"BT /F1 11 Tf 60 620 Td 15 TL")
    for line in letter.lines:
        out.append(b"(%s) Tj T*" % _text(line))
    out.append(b"ET")
    out.append(b"BT /F1 11 Tf 60 330 Td (%s) Tj ET" % _text(letter.code_label))
    out.append(b"BT /F2 22 Tf 60 300 Td (%s) Tj ET" % _text(letter.code))
    out.append(_qr(letter.qr_url, letter.code, 380, 250, 150))
    return zlib.compress(b"\n".join(out))


def letters_pdf(letters: Iterable[Letter]) -> Iterator[bytes]:
    """The PDF as a stream of chunks."""
    offsets: dict[int, int] = {}
    position = 0

    def emit(number: int, body: bytes) -> bytes:
        nonlocal position
        offsets[number] = position
        chunk = b"%d 0 obj\n" % number + body + b"\nendobj\n"
        position += len(chunk)
        return chunk

    head = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    position = len(head)
    yield head
    yield emit(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    for number, font in ((3, b"Helvetica"), (4, b"Helvetica-Bold")):
        yield emit(
            number,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>" % font,
        )
    kids = []
    number = 5
    for letter in letters:
        stream = _page(letter)
        yield emit(
            number,
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
            + stream
            + b"\nendstream",
        )
        yield emit(
            number + 1,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] " % A4
            + b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>" % number,
        )
        kids.append(number + 1)
        number += 2
    yield emit(
        2,
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % k for k in kids), len(kids)),
    )
    xref = position
    rows = [b"xref\n0 %d\n" % number, b"0000000000 65535 f \n"]
    rows += [b"%010d 00000 n \n" % offsets[i] for i in range(1, number)]
    yield b"".join(rows)
    yield b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (number, xref)
