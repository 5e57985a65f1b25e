"""Reports as XLSX and PDF downloads, written row by row into a spooled temporary file.

A report's rows may be a generator (a whole year's cash book comes straight from a database
cursor), so memory stays flat whatever the length; the file spills to disk past
`SPOOL_LIMIT` and is streamed to the browser by a FileResponse.

Text cells that a spreadsheet would run as a formula are neutralised by the product's one
function for that (backoffice.core.exports.neutralise).
"""

import functools
import tempfile
from datetime import date
from decimal import Decimal
from typing import IO

from django.http import FileResponse
from django.utils.translation import gettext as _

from backoffice.core.exports import neutralise
from backoffice.core.money import format_euro
from finance.reports import pdf as pdf_writer
from finance.reports import xlsx as xlsx_writer
from finance.reports.figures import Report

SPOOL_LIMIT = 1024 * 1024
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _neutral(text: str) -> str:
    """Every text cell of an XLSX passes here: the one place that decides neutralising."""
    return neutralise(text)


# --- XLSX ------------------------------------------------------------------------------------

_XLSX_WIDTH = {"date": 12, "money": 15, "int": 10}


def _xlsx_cell(value, kind: str):
    if value is None:
        return None
    if isinstance(value, (Decimal, int, date)) and not isinstance(value, bool):
        return value
    return _neutral(str(value))


def write_xlsx(report: Report, *, group_name: str, out: IO[bytes]) -> None:
    columns = report.columns
    kinds = [c.kind for c in columns]
    widths = [
        _XLSX_WIDTH.get(c.kind, 45 if c.wide else 14 if index == 0 else 18)
        for index, c in enumerate(columns)
    ]
    sheet = xlsx_writer.XlsxWriter(out, sheet=_neutral(report.title), widths=widths)
    sheet.title(_neutral(report.title))
    sheet.row([_neutral(group_name), _neutral(report.subtitle)])
    sheet.row([])
    sheet.row([_neutral(c.label) for c in columns], bold=True)
    keys = [c.key for c in columns]
    for row in report.rows:
        sheet.row(
            [_xlsx_cell(row.get(key), kind) for key, kind in zip(keys, kinds, strict=True)],
            kinds=kinds,
            bold=row.get("_style") in ("total", "heading"),
        )
    if report.facts:
        sheet.row([])
        for label, value in report.facts:
            sheet.row([_neutral(str(label)), _xlsx_cell(value, "")])
    sheet.close()


def to_xlsx(report: Report, *, group_name: str) -> bytes:
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_LIMIT) as out:
        write_xlsx(report, group_name=group_name, out=out)
        out.seek(0)
        return out.read()


# --- PDF -------------------------------------------------------------------------------------

_PDF_WIDTH = {"date": 56.0, "money": 78.0, "int": 40.0}
NARROW_TEXT = 64.0


def _pdf_text(value, kind) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_euro(value)
    if isinstance(value, date):
        return _pdf_date(value)
    return str(value)


@functools.lru_cache(maxsize=512)
def _pdf_date(day: date) -> str:
    return day.strftime("%d-%m-%Y")  # a year's cash book repeats a few hundred dates


def _pdf_columns(report: Report, landscape: bool) -> list[pdf_writer.PdfColumn]:
    page_width = (pdf_writer.A4_LANDSCAPE if landscape else pdf_writer.A4_PORTRAIT)[0]
    room = page_width - 2 * pdf_writer.MARGIN
    fixed = [_PDF_WIDTH.get(c.kind, None if c.wide else NARROW_TEXT) for c in report.columns]
    wide = fixed.count(None)
    rest = room - sum(w for w in fixed if w is not None)
    if wide:
        fixed = [w if w is not None else rest / wide for w in fixed]
    scale = min(1.0, room / sum(fixed))
    return [
        pdf_writer.PdfColumn(c.label, w * scale, right=c.kind in ("money", "int"))
        for c, w in zip(report.columns, fixed, strict=True)
    ]


def write_pdf(report: Report, *, group_name: str, out: IO[bytes]) -> None:
    landscape = len(report.columns) > 4
    doc = pdf_writer.TablePdf(
        out,
        title=report.title,
        subtitle=report.subtitle,
        author=group_name,
        columns=_pdf_columns(report, landscape),
        landscape=landscape,
        page_label=_("Pagina %(n)s"),
    )
    columns = [(c.key, c.kind) for c in report.columns]
    for row in report.rows:
        doc.row(
            [_pdf_text(row.get(key), kind) for key, kind in columns],
            bold=row.get("_style") in ("total", "heading"),
        )
    doc.facts([f"{label}: {_pdf_text(value, '')}" for label, value in report.facts])
    doc.close()


def to_pdf(report: Report, *, group_name: str) -> bytes:
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_LIMIT) as out:
        write_pdf(report, group_name=group_name, out=out)
        out.seek(0)
        return out.read()


# --- the download ----------------------------------------------------------------------------


def export_response(report: Report, *, fmt: str, group_name: str) -> FileResponse:
    """The report as a download, written to a spooled file first, then streamed."""
    write, content_type = (
        (write_xlsx, XLSX_TYPE) if fmt == "xlsx" else (write_pdf, "application/pdf")
    )
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_LIMIT)
    try:
        write(report, group_name=group_name, out=out)
        out.seek(0)
    except BaseException:
        out.close()
        raise
    response = FileResponse(
        out,
        as_attachment=True,
        filename=f"{report.filename}.{fmt}",
        content_type=content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
