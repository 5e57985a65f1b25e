"""A streaming PDF writer for tables: each page goes to the file as soon as it is full.

Written from the PDF 1.4 description (ISO 32000-1): the standard Helvetica fonts (not
embedded, WinAnsiEncoding), one compressed content stream per page, the page tree and the
cross-reference table at the end. ReportLab keeps every page in memory until the end and,
without its C accelerator, needed 4 s of Python for a 27,000-line cash book; this writes the
same table in a fraction of that (docs/adr/0016-streamed-exports-and-day-totals.md).
ReportLab is still used for what it knows best here: the fonts' character widths.

Characters outside Windows-1252 (which the standard fonts cannot show) print as their base
letter where they have one ("Ayşe" as "Ayse", "Łukasz" as "Lukasz"), otherwise as "?".
"""

import re
import unicodedata
import zlib
from dataclasses import dataclass
from typing import IO

from reportlab.pdfbase.pdfmetrics import getFont

A4_PORTRAIT = (595.28, 841.89)
A4_LANDSCAPE = (841.89, 595.28)
MARGIN = 36.0
FONT_SIZE = 8.0
LEADING = 10.0
PAD = 2.0
REGULAR, BOLD = "F1", "F2"
_WIDTHS = {
    REGULAR: getFont("Helvetica").widths,
    BOLD: getFont("Helvetica-Bold").widths,
}
_PAGES_OBJ, _CATALOG_OBJ, _FONT_OBJS, _INFO_OBJ = 2, 1, (3, 4), 5


# Letters without a decomposition to a Windows-1252 base letter.
_BASE = str.maketrans({"ı": "i", "İ": "I", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ħ": "h"})


def _fallback(char: str) -> bytes:
    base = "".join(
        c
        for c in unicodedata.normalize("NFKD", char.translate(_BASE))
        if not unicodedata.combining(c)
    )
    return base.encode("cp1252", errors="replace") or b"?"


def _char(char: str) -> bytes:
    try:
        return char.encode("cp1252")
    except UnicodeEncodeError:
        return _fallback(char)


def _encode(text: str) -> bytes:
    try:
        return text.encode("cp1252")
    except UnicodeEncodeError:
        return b"".join(map(_char, text))


_SPECIAL = re.compile(rb"[\\()\r\n]")


def _literal(data: bytes) -> bytes:
    """A PDF string literal: backslash and parentheses escaped, line breaks as spaces."""
    if _SPECIAL.search(data):
        data = data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        data = data.replace(b"\r", b" ").replace(b"\n", b" ")
    return b"(" + data + b")"


def width(data: bytes, font: str = REGULAR, size: float = FONT_SIZE) -> float:
    return sum(map(_WIDTHS[font].__getitem__, data)) * size / 1000


def wrap(data: bytes, limit: float, font: str = REGULAR, size: float = FONT_SIZE) -> list[bytes]:
    """Greedy word wrap to `limit` points; a word longer than a line is cut."""
    if width(data, font, size) <= limit:
        return [data]
    lines: list[bytes] = []
    current = b""
    for word in data.split():
        candidate = current + b" " + word if current else word
        if width(candidate, font, size) <= limit:
            current = candidate
            continue
        if current:
            lines.append(current)
        while width(word, font, size) > limit:
            cut = _fitting(word, limit, font, size)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines or [b""]


def _fitting(word: bytes, limit: float, font: str, size: float) -> int:
    """How many leading characters of `word` fit in `limit` (at least one)."""
    widths, used = _WIDTHS[font], 0.0
    for index, char in enumerate(word):
        used += widths[char] * size / 1000
        if used > limit:
            return max(index, 1)
    return len(word)


@dataclass(frozen=True)
class PdfColumn:
    label: str
    width: float
    right: bool = False  # right-aligned (amounts)


class TablePdf:
    """A document of one table with a repeated header row, then a few lines of facts.

    Usage: `doc = TablePdf(out, ...)`, `doc.row([...], bold=...)` for each row,
    `doc.facts([...])`, `doc.close()`. `out` is a binary file; nothing is kept per row.
    """

    def __init__(
        self,
        out: IO[bytes],
        *,
        title: str,
        subtitle: str,
        author: str,
        columns: list[PdfColumn],
        landscape: bool,
        page_label: str = "%(n)s",
    ):
        self._out = out
        self._offsets: dict[int, int] = {}
        self._next_obj = 6
        self._page_objs: list[int] = []
        self.page_width, self.page_height = A4_LANDSCAPE if landscape else A4_PORTRAIT
        self._title, self._subtitle, self._author = title, subtitle, author
        self._page_label = page_label
        self._footer = _encode(f"{title} — {author}")
        self._columns = columns
        self._xs = []
        x = MARGIN
        for column in columns:
            self._xs.append(x)
            x += column.width
        self._table_right = x
        # per column: left text position, right edge for amounts, room for text
        self._right = [c.right for c in columns]
        self._left = [x + PAD for x in self._xs]
        self._left_text = [b"%.2f" % x for x in self._left]
        self._edge = [x + c.width - PAD for x, c in zip(self._xs, columns, strict=True)]
        self._room = [c.width - 2 * PAD for c in columns]
        self._labels = [_encode(c.label) for c in columns]
        self._write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        self._ops: list[bytes] = []
        self._rules: list[bytes] = []
        self._y = 0.0
        self._start_page(first=True)

    # -- low level ---------------------------------------------------------------------------

    def _write(self, data: bytes) -> None:
        self._out.write(data)

    def _object(self, number: int, body: bytes) -> None:
        self._offsets[number] = self._out.tell()
        self._write(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    def _new_obj(self) -> int:
        number = self._next_obj
        self._next_obj += 1
        return number

    def _font(self, font: str, size: float) -> None:
        if (font, size) != self._current_font:
            self._ops.append(b"/%s %.1f Tf\n" % (font.encode(), size))
            self._current_font = (font, size)

    def _text(self, x: float, y: float, data: bytes, font: str, size: float = FONT_SIZE) -> None:
        self._font(font, size)
        self._ops.append(b"1 0 0 1 %.2f %.2f Tm %s Tj\n" % (x, y, _literal(data)))

    # -- pages -------------------------------------------------------------------------------

    def _start_page(self, *, first: bool = False) -> None:
        self._ops = [b"BT\n"]
        self._current_font = None  # each page's content starts without a font
        self._rules = []
        self._y = self.page_height - MARGIN
        if first:
            self._y -= 16
            self._text(MARGIN, self._y, _encode(self._title), BOLD, 16)
            self._y -= 16
            self._text(MARGIN, self._y, _encode(f"{self._author} — {self._subtitle}"), REGULAR, 9)
            self._y -= 14
        self._header()

    def _header(self) -> None:
        height = LEADING + 2 * PAD
        top = self._y
        self._background = b"0.91 0.93 0.94 rg %.2f %.2f %.2f %.2f re f 0 g\n" % (
            MARGIN,
            top - height,
            self._table_right - MARGIN,
            height,
        )
        baseline = top - PAD - FONT_SIZE
        for x, column, label in zip(self._xs, self._columns, self._labels, strict=True):
            self._cell(x, baseline, column, label, BOLD)
        self._y = top - height
        self._rules.append(
            b"%.2f %.2f m %.2f %.2f l\n" % (MARGIN, self._y, self._table_right, self._y)
        )

    def _end_page(self) -> None:
        self._ops.append(b"0.4 g\n")
        number = len(self._page_objs) + 1
        self._text(MARGIN, MARGIN / 2, self._footer, REGULAR, 7)
        label = _encode(self._page_label % {"n": number})
        self._text(
            self.page_width - MARGIN - width(label, REGULAR, 7), MARGIN / 2, label, REGULAR, 7
        )
        self._ops.append(b"ET\n")
        content = (
            self._background
            + b"0.6 G 0.25 w\n"
            + b"".join(self._rules)
            + b"S\n0 g\n"
            + b"".join(self._ops)
        )
        stream_obj = self._new_obj()
        packed = zlib.compress(content, 6)
        self._object(
            stream_obj,
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed)
            + packed
            + b"\nendstream",
        )
        page_obj = self._new_obj()
        self._object(
            page_obj,
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] "
            b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> /Contents %d 0 R >>"
            % (_PAGES_OBJ, self.page_width, self.page_height, *_FONT_OBJS, stream_obj),
        )
        self._page_objs.append(page_obj)

    def _cell(self, x: float, baseline: float, column: PdfColumn, data: bytes, font: str) -> None:
        if column.right:
            x = x + column.width - PAD - width(data, font)
        else:
            x = x + PAD
        self._text(x, baseline, data, font)

    # -- content -----------------------------------------------------------------------------

    def row(self, cells: list[str], *, bold: bool = False) -> None:
        """One table row; text wraps inside its column, amounts stay on one line."""
        font = BOLD if bold else REGULAR
        widths = _WIDTHS[font]
        encoded = [_encode(text) if text else b"" for text in cells]
        wrapped: dict[int, list[bytes]] = {}
        for index, data in enumerate(encoded):
            if data and not self._right[index] and width(data, font) > self._room[index]:
                wrapped[index] = wrap(data, self._room[index], font)
        lines = max((len(parts) for parts in wrapped.values()), default=1)
        height = lines * LEADING + 2 * PAD
        if self._y - height < MARGIN:
            self._end_page()
            self._start_page()
        baseline = self._y - PAD - FONT_SIZE
        y = b"%.2f" % baseline
        self._font(font, FONT_SIZE)
        ops = self._ops
        for index, data in enumerate(encoded):
            if not data:
                continue
            if index in wrapped:
                for n, part in enumerate(wrapped[index]):
                    self._text(self._left[index], baseline - n * LEADING, part, font)
            elif self._right[index]:
                x = self._edge[index] - sum(map(widths.__getitem__, data)) * FONT_SIZE / 1000
                ops.append(b"1 0 0 1 %.2f %s Tm %s Tj\n" % (x, y, _literal(data)))
            else:
                ops.append(
                    b"1 0 0 1 %s %s Tm %s Tj\n" % (self._left_text[index], y, _literal(data))
                )
        self._y -= height
        self._rules.append(
            b"%.2f %.2f m %.2f %.2f l\n" % (MARGIN, self._y, self._table_right, self._y)
        )

    def facts(self, lines: list[str]) -> None:
        """Lines of text under the table (totals, checks), 9 pt."""
        self._y -= 8
        for text in lines:
            for data in wrap(_encode(text), self.page_width - 2 * MARGIN, REGULAR, 9):
                if self._y - 12 < MARGIN:
                    self._end_page()
                    self._start_page()
                self._y -= 12
                self._text(MARGIN, self._y, data, REGULAR, 9)

    def close(self) -> None:
        self._end_page()
        fonts = (b"Helvetica", b"Helvetica-Bold")
        for number, name in zip(_FONT_OBJS, fonts, strict=True):
            self._object(
                number,
                b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>"
                % name,
            )
        kids = b" ".join(b"%d 0 R" % n for n in self._page_objs)
        self._object(
            _PAGES_OBJ, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(self._page_objs))
        )
        self._object(_CATALOG_OBJ, b"<< /Type /Catalog /Pages %d 0 R >>" % _PAGES_OBJ)
        self._object(
            _INFO_OBJ,
            b"<< /Title %s /Author %s /Producer (Buurtkas) >>"
            % (_literal(_encode(self._title)), _literal(_encode(self._author))),
        )
        xref_at = self._out.tell()
        size = self._next_obj
        entries = [b"0000000000 65535 f \n"]
        for number in range(1, size):
            entries.append(b"%010d 00000 n \n" % self._offsets[number])
        self._write(b"xref\n0 %d\n" % size + b"".join(entries))
        self._write(
            b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (size, _CATALOG_OBJ, _INFO_OBJ, xref_at)
        )
