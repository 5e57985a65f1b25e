"""Reading an uploaded bank file in pieces: the parsers never hold the whole file in memory.

A busy account's year is 50,000 lines (35 MB of CAMT.053). The file comes as bytes (tests,
small uploads) or as a seekable binary file (an upload kept on disk); ``Source`` reads it
in chunks of a megabyte, once to learn its size, SHA-256 and text encoding, and again for
each parsing pass.

Text formats (CSV, MT940) are read line by line (``Source.lines``) with three rules that
hold for every bank:

* line breaks may be LF, CR LF, CR, or CR CR LF (a CR LF file that went through a tool that
  turned LF into CR LF once more): each counts as one break, so line numbers in messages
  are the ones a text editor shows;
* a NUL character never belongs in a bank file: it refuses the file, naming the line
  (PostgreSQL cannot store it, and it usually means a damaged download);
* a line longer than ``MAX_LINE`` characters refuses the file: no bank writes such lines,
  and it keeps memory bounded on hostile input.

The encoding is UTF-8 (with or without BOM), UTF-16 with BOM, or else Windows-1252; see
``encoding``.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
from collections.abc import Iterator
from typing import BinaryIO

from .records import StatementError

CHUNK = 1 << 20
MAX_LINE = 100_000
HEAD = 64 * 1024

# The five bytes Windows-1252 leaves undefined: a file containing one is not cp1252 either.
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
# One line break: LF, CR LF, CR CR LF (a CR LF file converted once more), or a lone CR.
_BREAK = re.compile(r"\r*\n|\r")

_NUL = (
    "de regel bevat een NUL-teken (een onzichtbaar stuurteken dat niet in een bankbestand "
    "hoort); het bestand is beschadigd. Download het afschrift opnieuw."
)
_ENCODING = (
    "het bestand heeft een onbekende tekencodering (geen UTF-8 of Windows-1252); "
    "exporteer het opnieuw vanuit de bank."
)


class Source:
    """A bank file as bytes or as a seekable binary file, read in chunks.

    ``size`` and ``sha256`` are of the raw bytes; ``head`` is the first 64 KiB (for
    recognising the format); ``encoding`` is the text encoding a text export has.
    """

    def __init__(self, data: bytes | bytearray | BinaryIO) -> None:
        if isinstance(data, bytes | bytearray | memoryview):
            self._stream: BinaryIO = io.BytesIO(data)  # shares the buffer, no copy
        else:
            self._stream = data
        self._scan()

    def _scan(self) -> None:
        digest = hashlib.sha256()
        size = 0
        head = b""
        utf8 = codecs.getincrementaldecoder("utf-8")()
        utf8_ok = True
        undefined_line: int | None = None
        newlines = 0
        for chunk in self.chunks():
            digest.update(chunk)
            if len(head) < HEAD:
                head += chunk[: HEAD - len(head)]
            if utf8_ok:
                try:
                    utf8.decode(chunk)
                except UnicodeDecodeError:
                    utf8_ok = False
            if undefined_line is None:
                found = _CP1252_UNDEFINED.search(chunk)
                if found is not None:
                    undefined_line = newlines + chunk.count(b"\n", 0, found.start()) + 1
            newlines += chunk.count(b"\n")
            size += len(chunk)
        if utf8_ok:
            try:
                utf8.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8_ok = False
        self.size = size
        self.sha256 = digest.hexdigest()
        self.head = head
        if head.startswith(codecs.BOM_UTF8):
            self.encoding = "utf-8-sig"
        elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            self.encoding = "utf-16"
        elif utf8_ok:
            self.encoding = "utf-8"
        else:
            self.encoding = "cp1252"
        self._undefined_line = undefined_line if self.encoding == "cp1252" else None

    def chunks(self, size: int = CHUNK) -> Iterator[bytes]:
        """The raw bytes from the start, ``size`` at a time."""
        self._stream.seek(0)
        while chunk := self._stream.read(size):
            yield chunk

    def check_encoding(self) -> None:
        """Refuse a file that is neither UTF-8 nor Windows-1252, naming the first bad line."""
        if self._undefined_line is not None:
            raise StatementError.at(self._undefined_line, _ENCODING)

    def lines(self) -> Iterator[tuple[int, str]]:
        """(line number, text without line break) for every line of a text export."""
        self.check_encoding()
        decoder = codecs.getincrementaldecoder(self.encoding)()
        number = 0
        buffer = ""
        chunks = self.chunks()
        while True:
            chunk = next(chunks, None)
            final = chunk is None
            try:
                buffer += decoder.decode(chunk or b"", final=final)
            except UnicodeDecodeError:
                raise StatementError.at(number + buffer.count("\n") + 1, _ENCODING) from None
            # Trailing CRs may be the start of a CR LF in the next chunk: keep them back.
            end = len(buffer) if final else len(buffer.rstrip("\r"))
            position = 0
            for match in _BREAK.finditer(buffer, 0, end):
                number += 1
                yield number, self._checked(number, buffer[position : match.start()])
                position = match.end()
            buffer = buffer[position:]
            if final:
                if buffer:
                    number += 1
                    yield number, self._checked(number, buffer)
                return
            if len(buffer) > MAX_LINE + 2:
                self._checked(number + 1, buffer)

    @staticmethod
    def _checked(number: int, line: str) -> str:
        if len(line) > MAX_LINE:
            raise StatementError.at(
                number,
                "de regel is langer dan 100.000 tekens; zo'n regel staat in geen "
                "bankafschrift. Kies het afschrift zelf, zoals de bank het geeft.",
            )
        if "\x00" in line:
            raise StatementError.at(number, _NUL)
        return line

    def text_head(self, max_lines: int = 40) -> list[tuple[int, str]]:
        """The first lines of a text export (for recognising its layout)."""
        found = []
        lines = self.lines()
        try:
            for item in lines:
                found.append(item)
                if len(found) >= max_lines:
                    break
        finally:
            lines.close()
        return found
