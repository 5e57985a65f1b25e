"""A streaming XLSX writer: rows go straight into the zip, whatever the report's length.

Written from the SpreadsheetML description (ECMA-376 part 1): one worksheet, inline strings
(no shared-string table to keep in memory), a fixed set of cell styles. openpyxl's write-only
mode spends ~100 µs of Python per row (2.6 s for a 27,000-line cash book before any query,
1.5 s with lxml); this spends a few, so a year's cash book leaves well within 2 s
(docs/adr/0016-streamed-exports-and-day-totals.md).

Money is written as the Decimal's own digits (`<v>1234.56</v>`), never through a float.
"""

import re
import zipfile
from datetime import date
from decimal import Decimal
from typing import IO

# cell styles, indexes into cellXfs below
TEXT, BOLD, MONEY, MONEY_BOLD, DATE, DATE_BOLD, TITLE = range(7)
MONEY_FORMAT = "#,##0.00;-#,##0.00"
DATE_FORMAT = "dd-mm-yyyy"
EXCEL_EPOCH = date(1899, 12, 30)

# XML 1.0 forbids these characters even escaped; a stray NUL from a bank file must not make
# the whole workbook unreadable.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_OFFICE_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTENT_TYPES = (
    _HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE_TYPE}.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    f'ContentType="{_OFFICE_TYPE}.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_OFFICE_TYPE}.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    _HEAD + f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL_TYPE}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    _HEAD + f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL_TYPE}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL_TYPE}/styles" Target="styles.xml"/>'
    "</Relationships>"
)


def _xf(number_format: int, font: int) -> str:
    applied = (' applyNumberFormat="1"' if number_format else "") + (
        ' applyFont="1"' if font else ""
    )
    ids = f'numFmtId="{number_format}" fontId="{font}" fillId="0" borderId="0" xfId="0"'
    return f"<xf {ids}{applied}/>"


# In the order of TEXT, BOLD, MONEY, MONEY_BOLD, DATE, DATE_BOLD, TITLE.
_CELL_FORMATS = [(0, 0), (0, 1), (164, 0), (164, 1), (165, 0), (165, 1), (0, 2)]
_STYLES = (
    _HEAD + f'<styleSheet xmlns="{_MAIN}">'
    f'<numFmts count="2"><numFmt numFmtId="164" formatCode="{MONEY_FORMAT}"/>'
    f'<numFmt numFmtId="165" formatCode="{DATE_FORMAT}"/></numFmts>'
    '<fonts count="3">'
    '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font>'
    "</fonts>"
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    f'<cellXfs count="{len(_CELL_FORMATS)}">'
    + "".join(_xf(n, f) for n, f in _CELL_FORMATS)
    + "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


_NEEDS_ESCAPE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff&<>\r]")
_ESCAPES = {i: None for i in [*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF]}
# A literal CR would be read back as LF: keep it exactly as a character reference.
_ESCAPES.update({ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord("\r"): "&#13;"})


def _escape(text: str) -> str:
    return text.translate(_ESCAPES) if _NEEDS_ESCAPE.search(text) else text


def _column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_name(title: str) -> str:
    name = _SHEET_NAME_FORBIDDEN.sub(" ", _ILLEGAL.sub("", title)).strip().strip("'")[:31]
    return name or "Blad1"


def _style(index: int) -> str:
    return f' s="{index}"' if index else ""


_STYLES_BY_KIND = {"text": "", "int": "", "money": _style(MONEY), "date": _style(DATE)}
_BOLD_STYLES = {
    "text": _style(BOLD),
    "int": _style(BOLD),
    "money": _style(MONEY_BOLD),
    "date": _style(DATE_BOLD),
}


def _kind_of(value) -> str:
    if isinstance(value, Decimal):
        return "money"
    if isinstance(value, bool):
        return "text"
    if isinstance(value, int):
        return "int"
    if isinstance(value, date):
        return "date"
    if isinstance(value, str):
        return "text"
    raise TypeError(f"Geen celwaarde voor XLSX: {type(value).__name__}")


class XlsxWriter:
    """Write one worksheet row by row into `out` (a binary, seekable file).

    None leaves a cell empty. Strings are written as given (inline, never as a formula):
    neutralising what a spreadsheet would run on re-entry is the caller's job.
    """

    FLUSH_EVERY = 500

    def __init__(self, out: IO[bytes], *, sheet: str, widths: list[float]):
        self._zip = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=5)
        name = _escape(sheet_name(sheet)).replace('"', "&quot;")
        workbook = (
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            f'<sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        )
        for part, text in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _ROOT_RELS),
            ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
            ("xl/styles.xml", _STYLES),
        ):
            self._zip.writestr(part, text)
        self._stream = self._zip.open("xl/worksheets/sheet1.xml", "w")
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
            for i, w in enumerate(widths, start=1)
        )
        self._buffer = [
            f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
            f"{'<cols>' + cols + '</cols>' if cols else ''}<sheetData>"
        ]
        self._letters = [_column_letter(i) for i in range(1, 27)]
        self.row_number = 0

    def row(self, values: list, *, kinds: list[str] | None = None, bold: bool = False) -> None:
        """One row. `kinds` gives each column's kind (text, money, date, int); without it
        the kind follows the value. A bold row keeps its columns' number formats."""
        self.row_number += 1
        r = self.row_number
        parts = [f'<row r="{r}">']
        letters = self._letters
        while len(letters) < len(values):
            letters.append(_column_letter(len(letters) + 1))
        styles = _BOLD_STYLES if bold else _STYLES_BY_KIND
        for index, value in enumerate(values):
            if value is None:
                continue
            kind = kinds[index] if kinds else _kind_of(value)
            if kind == "money" and not isinstance(value, Decimal):
                kind = "text"  # a label in a money column, e.g. "ja"
            if kind == "text" or isinstance(value, str):
                parts.append(
                    f'<c r="{letters[index]}{r}" t="inlineStr"{styles["text"]}><is>'
                    f'<t xml:space="preserve">{_escape(str(value))}</t></is></c>'
                )
            elif kind == "money":
                parts.append(f'<c r="{letters[index]}{r}"{styles[kind]}><v>{value:f}</v></c>')
            elif kind == "date":
                serial = (value - EXCEL_EPOCH).days
                parts.append(f'<c r="{letters[index]}{r}"{styles[kind]}><v>{serial}</v></c>')
            else:
                parts.append(f'<c r="{letters[index]}{r}"{styles["int"]}><v>{int(value)}</v></c>')
        parts.append("</row>")
        self._buffer.append("".join(parts))
        if len(self._buffer) >= self.FLUSH_EVERY:
            self._flush()

    def title(self, text: str) -> None:
        self.row_number += 1
        self._buffer.append(
            f'<row r="{self.row_number}"><c r="A{self.row_number}" t="inlineStr" s="{TITLE}">'
            f'<is><t xml:space="preserve">{_escape(text)}</t></is></c></row>'
        )

    def _flush(self) -> None:
        self._stream.write("".join(self._buffer).encode("utf-8"))
        self._buffer = []

    def close(self) -> None:
        self._buffer.append("</sheetData></worksheet>")
        self._flush()
        self._stream.close()
        self._zip.close()
