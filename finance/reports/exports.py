"""Reports to XLSX (openpyxl) and PDF (reportlab).

Text cells that a spreadsheet would run as a formula are neutralised by the product's one
function for that (backoffice.core.exports.neutralise).
"""

from datetime import date
from decimal import Decimal
from io import BytesIO
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from backoffice.core.exports import neutralise
from backoffice.core.money import format_euro
from finance.reports.figures import Report


def _cell(value):
    if value is None:
        return None
    if isinstance(value, (Decimal, int, date)):
        return value
    return neutralise(str(value))


def to_xlsx(report: Report, *, group_name: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = neutralise(report.title)[:31]
    ws.append([neutralise(report.title)])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([neutralise(group_name), neutralise(report.subtitle)])
    ws.append([])
    ws.append([neutralise(c.label) for c in report.columns])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for row in report.rows:
        ws.append([_cell(row.get(c.key)) for c in report.columns])
        for cell, column in zip(ws[ws.max_row], report.columns, strict=True):
            if column.kind == "money":
                cell.number_format = "#,##0.00;-#,##0.00"
            elif column.kind == "date":
                cell.number_format = "dd-mm-yyyy"
            if row.get("_style") in ("total", "heading"):
                cell.font = Font(bold=True)
    if report.facts:
        ws.append([])
        for label, value in report.facts:
            ws.append([neutralise(str(label)), _cell(value)])
            if isinstance(value, Decimal):
                ws.cell(ws.max_row, 2).number_format = "#,##0.00;-#,##0.00"
    for index, _column in enumerate(report.columns, start=1):
        ws.column_dimensions[ws.cell(4, index).column_letter].width = 18 if index > 1 else 14
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _pdf_text(value, kind) -> str:
    if value is None:
        return ""
    if kind == "money" or isinstance(value, Decimal):
        return format_euro(value)
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def to_pdf(report: Report, *, group_name: str) -> bytes:
    out = BytesIO()
    wide = len(report.columns) > 4
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4) if wide else A4,
        title=report.title,
        author=group_name,
        leftMargin=36,
        rightMargin=36,
    )
    styles = getSampleStyleSheet()
    cell = styles["BodyText"]
    cell.fontSize = 8
    cell.leading = 10
    story = [
        Paragraph(escape(report.title), styles["Title"]),
        Paragraph(escape(f"{group_name} — {report.subtitle}"), styles["Normal"]),
        Spacer(1, 12),
    ]
    data = [[Paragraph(f"<b>{escape(c.label)}</b>", cell) for c in report.columns]]
    styles_cmds = [
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef0")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    for r, row in enumerate(report.rows, start=1):
        data.append(
            [
                Paragraph(escape(_pdf_text(row.get(c.key), c.kind)), cell)
                if c.kind not in ("money",)
                else _pdf_text(row.get(c.key), c.kind)
                for c in report.columns
            ]
        )
        if row.get("_style") in ("total", "heading"):
            styles_cmds.append(("FONTNAME", (0, r), (-1, r), "Helvetica-Bold"))
    for i, column in enumerate(report.columns):
        if column.kind == "money":
            styles_cmds.append(("ALIGN", (i, 1), (i, -1), "RIGHT"))
    styles_cmds.append(("FONTSIZE", (0, 1), (-1, -1), 8))
    table = Table(data, repeatRows=1)
    table.setStyle(TableStyle(styles_cmds))
    story.append(table)
    if report.facts:
        story.append(Spacer(1, 12))
        for label, value in report.facts:
            story.append(Paragraph(escape(f"{label}: {_pdf_text(value, '')}"), styles["Normal"]))
    doc.build(story)
    return out.getvalue()
