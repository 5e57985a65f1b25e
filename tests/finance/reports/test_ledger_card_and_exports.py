"""The cash book and ledger card page from the day totals, and every download streamed.

Pages are found without reading the lines before them; a download holds the whole year, row
by row, and says the same as the pages. XLSX and PDF are read back here from their formats:
the XLSX with openpyxl and its raw XML, the PDF through its cross-reference table and
decompressed page streams.
"""

import re
import zipfile
import zlib
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tenants.utils import tenant_context
from openpyxl import load_workbook

from finance.ledger import services as ledger_services
from finance.ledger.models import FinancialYear
from finance.ledger.postings import EntryInput, LineInput
from finance.reports import exports
from finance.reports import figures as reports
from finance.reports.figures import Column, Report
from tests.finance.conftest import acc, expense, journal

BANK = "1100"


def _entries(n: int, *, start: date, per_day: int = 7, description: str = "Uitgave {i}"):
    """n posted expenses paid from the bank, `per_day` on each day, amounts 1.01, 1.02, …"""
    specs = [
        EntryInput(
            date=start + timedelta(days=i // per_day),
            description=description.format(i=i),
            kind="uitgave",
            lines=[
                LineInput(account=acc("4100"), debit=Decimal(101 + i) / 100),
                LineInput(account=acc(BANK), credit=Decimal(101 + i) / 100),
            ],
        )
        for i in range(n)
    ]
    return specs


@pytest.fixture
def busy_books(books, users):
    """An opening balance from 2025, 250 bank lines in 2026 (7 a day), a draft and a line on
    another account: the cash book of 2026 has three pages."""
    t = users["treasurer"]
    journal(t, day=date(2025, 12, 1), lines=[(BANK, "1000.00", "0"), ("0500", "0", "1000.00")])
    ledger_services.entries_create(entries=_entries(250, start=date(2026, 1, 3)), user=t, post=True)
    expense(users["secretary"], "99.00", day=date(2026, 1, 3))  # a draft: not in the books
    journal(t, day=date(2026, 1, 4), lines=[("4300", "5.00", "0"), ("1000", "0", "5.00")])
    return FinancialYear.objects.get(year=2026)


def _expected_rows(year):
    """The cash book recomputed the slow, obvious way."""
    balance = Decimal("1000.00")
    rows = []
    for i in range(250):
        amount = Decimal(101 + i) / 100
        balance -= amount
        rows.append((date(2026, 1, 3) + timedelta(days=i // 7), amount, balance))
    return rows


def _page_rows(report):
    return [
        (r["date"], r["credit"], r["balance"]) for r in report.rows if r.get("_style") != "heading"
    ]


def test_cash_book_pages_continue_the_running_balance_across_day_boundaries(busy_books):
    year = busy_books
    expected = _expected_rows(year)
    pages = [reports.cash_book(account=acc(BANK), year=year, page=p) for p in (1, 2, 3)]
    # page 1 opens with last year's balance; 100 lines a page; page 2 starts inside a day
    assert pages[0].rows[0]["description"] == "Beginsaldo"
    assert pages[0].rows[0]["balance"] == Decimal("1000.00")
    assert [len(_page_rows(p)) for p in pages] == [100, 100, 50]
    assert expected[99][0] == expected[100][0]  # lines 100 and 101 share a day
    assert _page_rows(pages[0]) + _page_rows(pages[1]) + _page_rows(pages[2]) == expected
    assert pages[2].page.paginator.num_pages == 3
    assert dict(pages[1].facts)["Eindsaldo"] == expected[-1][2]
    # a page past the end shows the last one, nonsense shows the first
    assert _page_rows(reports.cash_book(account=acc(BANK), year=year, page=9)) == expected[200:]
    assert _page_rows(reports.cash_book(account=acc(BANK), year=year, page="x")) == expected[:100]


def test_the_download_holds_every_line_and_agrees_with_the_pages(busy_books):
    year = busy_books
    report = reports.cash_book(account=acc(BANK), year=year, page=None)
    assert not isinstance(report.rows, list)  # read from the cursor as it is written
    rows = list(report.rows)
    assert rows[0]["description"] == "Beginsaldo"
    assert _page_rows(Report("x", "", "", [], rows=rows)) == _expected_rows(year)
    assert rows[1]["number"] == "2026-0001" and rows[-1]["number"] == "2026-0250"
    assert rows[1]["_entry_id"] is not None


def test_ledger_card_of_another_account_ignores_the_bank_lines(busy_books):
    card = reports.general_ledger(account=acc("4300"), year=busy_books)
    assert [(r["debit"], r["balance"]) for r in card.rows] == [
        (None, Decimal("0.00")),
        (Decimal("5.00"), Decimal("5.00")),
    ]
    assert card.page.paginator.num_pages == 1


def _xlsx_sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        assert archive.namelist()[0] == "[Content_Types].xml"
        return archive.read("xl/worksheets/sheet1.xml").decode()


def test_xlsx_download_of_the_cash_book_reads_back_exactly(busy_books):
    report = reports.cash_book(account=acc(BANK), year=busy_books, page=None)
    data = exports.to_xlsx(report, group_name="Hart voor de K-buurt")
    ws = load_workbook(BytesIO(data)).active
    assert ws.title == "Kasboek"
    assert ws["A1"].value == "Kasboek" and ws["A1"].font.b and ws["A1"].font.sz == 14
    assert [c.value for c in ws[4]] == [
        "Datum",
        "Boeking",
        "Omschrijving",
        "Debet (erbij)",
        "Credit (eraf)",
        "Saldo",
    ]
    assert all(c.font.b for c in ws[4])
    assert ws["C5"].value == "Beginsaldo" and ws["F5"].font.b
    assert ws["A6"].value.date() == date(2026, 1, 3) and ws["A6"].number_format == "dd-mm-yyyy"
    assert ws["B6"].value == "2026-0001" and ws["D6"].value is None
    assert ws["E6"].number_format == "#,##0.00;-#,##0.00"
    assert ws.max_row == 4 + 1 + 250 + 2  # header rows, opening, lines, blank, closing fact
    # money is the Decimal's own digits in the file, not a float's
    xml = _xlsx_sheet_xml(data)
    last = _expected_rows(busy_books)[-1][2]
    assert f'<c r="F255" s="2"><v>{last}</v></c>' in xml
    assert f'<c r="B257" s="2"><v>{last}</v></c>' in xml  # Eindsaldo


def test_xlsx_text_is_neutralised_and_cleaned():
    report = Report(
        "test",
        "Test: [jaar]/2026?",
        "=ondertitel",
        [
            Column("text", "Tekst"),
            Column("amount", "Bedrag", "money"),
            Column("n", "Aantal", "int"),
        ],
        rows=[
            {"text": '=HYPERLINK("http://x")', "amount": Decimal("-1234.56"), "n": 3},
            {"text": "+31 6", "amount": None, "n": None},
            {"text": "nul\x00byte & <tag>\r", "amount": Decimal("0.10"), "n": 0},
            {"_style": "total", "text": "Totaal", "amount": Decimal("-1234.46"), "n": 3},
        ],
        facts=[("@feit", Decimal("5.00")), ("In evenwicht", "ja")],
    )
    data = exports.to_xlsx(report, group_name="-groep")
    ws = load_workbook(BytesIO(data)).active
    assert ws.title == "Test   jaar  2026"
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(t.startswith(("=", "+", "-", "@", "\t", "\r")) for t in texts), texts
    assert ws["A5"].value == '\'=HYPERLINK("http://x")' and ws["A6"].value == "'+31 6"
    assert ws["A2"].value == "'-groep" and ws["B2"].value == "'=ondertitel"
    assert ws["A7"].value == "nulbyte & <tag>\r"  # NUL dropped, CR kept
    assert ws["A8"].font.b and ws["B8"].font.b and ws["B8"].number_format == "#,##0.00;-#,##0.00"
    assert ws["A10"].value == "'@feit" and ws["B11"].value == "ja"
    xml = _xlsx_sheet_xml(data)
    assert '<c r="B5" s="2"><v>-1234.56</v></c>' in xml and '<c r="C5"><v>3</v></c>' in xml
    assert '<c r="B10" s="2"><v>5.00</v></c>' in xml
    assert "<f>" not in xml  # nothing is ever written as a formula


def _pdf_objects(data: bytes) -> dict[int, bytes]:
    """Objects by number, found through the cross-reference table (proves its offsets)."""
    start = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", data).group(1))
    assert data[start:].startswith(b"xref\n0 ")
    count = int(data[start:].split(b"\n")[1].split()[1])
    objects = {}
    for number in range(1, count):
        entry = data[start:].split(b"\n")[2 + number]
        offset = int(entry.split()[0])
        assert data[offset:].startswith(b"%d 0 obj\n" % number), number
        objects[number] = data[offset : data.index(b"\nendobj\n", offset)]
    return objects


def _pdf_pages(data: bytes) -> list[list[bytes]]:
    """The strings shown on each page, in page order."""
    objects = _pdf_objects(data)
    kids = re.search(rb"/Type /Pages /Kids \[([^\]]*)\] /Count (\d+)", objects[2])
    numbers = [int(n) for n in re.findall(rb"(\d+) 0 R", kids.group(1))]
    assert len(numbers) == int(kids.group(2))
    pages = []
    for number in numbers:
        contents = int(re.search(rb"/Contents (\d+) 0 R", objects[number]).group(1))
        stream = objects[contents]
        length = int(re.search(rb"/Length (\d+)", stream).group(1))
        body = stream[stream.index(b"stream\n") + 7 :][:length]
        text = zlib.decompress(body)
        strings = re.findall(rb"\(((?:[^\\()]|\\.)*)\) Tj", text)
        pages.append([re.sub(rb"\\(.)", rb"\1", s) for s in strings])
    return pages


def test_pdf_download_of_the_cash_book_has_every_line_on_numbered_pages(busy_books):
    report = reports.cash_book(account=acc(BANK), year=busy_books, page=None)
    data = exports.to_pdf(report, group_name="Hart voor de K-buurt")
    assert data.startswith(b"%PDF-1.4") and data.endswith(b"%%EOF\n")
    pages = _pdf_pages(data)
    assert len(pages) > 3
    for number, strings in enumerate(pages, start=1):
        assert b"Datum" in strings and b"Saldo" in strings  # the header on every page
        assert b"Pagina %d" % number in strings
    shown = [s for page in pages for s in page]
    assert shown[0] == b"Kasboek"
    numbers = [s for s in shown if re.fullmatch(rb"2026-\d{4}", s)]
    assert numbers == [b"2026-%04d" % n for n in range(1, 251)]
    last = _expected_rows(busy_books)[-1][2]
    assert b"Eindsaldo: \x80 " + f"{last:.2f}".replace(".", ",").encode() in shown


def test_pdf_wraps_long_text_and_replaces_what_its_fonts_cannot_show():
    """Turkish and Polish names are common in the neighbourhoods: not question marks."""
    long = "Boodschappen voor het buurtfeest bij de speeltuin " * 4
    report = Report(
        "test",
        "Verantwoording (2026)",
        "sub",
        [Column("text", "Omschrijving", wide=True), Column("amount", "Bedrag", "money")],
        rows=[
            {"text": long.strip(), "amount": Decimal("1234.56")},
            {"text": "Şükrü Kaya\\", "amount": None},
            {"text": "Łukasz, Ayşe en 😀", "amount": None},
            {"_style": "total", "text": "Totaal", "amount": Decimal("1234.56")},
        ],
    )
    pages = _pdf_pages(exports.to_pdf(report, group_name="Groep (Noord)"))
    shown = pages[0]
    assert shown[:2] == [b"Verantwoording (2026)", b"Groep (Noord) \x97 sub"]
    wrapped = [s for s in shown if s.startswith(b"Boodschappen") or b"speeltuin" in s]
    assert len(wrapped) > 1
    assert b" ".join(wrapped).split() == long.encode().split()
    assert b"\x80 1.234,56" in shown and b"S\xfckr\xfc Kaya\\" in shown
    # letters the fonts lack print as their base letter; what has none as "?"
    assert b"Lukasz, Ayse en ?" in shown


@pytest.mark.parametrize("fmt, magic", [("xlsx", b"PK"), ("pdf", b"%PDF")])
def test_downloads_are_streamed_files_with_their_length(busy_books, client_as, group_a, fmt, magic):
    url = reverse("finance:report", kwargs={"group_slug": group_a.slug, "kind": "kasboek"})
    response = client_as("treasurer").get(url + f"?jaar=2026&rekening={BANK}&formaat={fmt}")
    assert response.status_code == 200 and response.streaming
    body = b"".join(response.streaming_content)
    assert body.startswith(magic) and int(response["Content-Length"]) == len(body)
    assert response["Content-Disposition"] == f'attachment; filename="kasboek-{BANK}-2026.{fmt}"'
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    "query",
    [
        "?jaar=2026&rekening=1100",
        "?jaar=2026&rekening=1100&pagina=3",
        "?jaar=2026&rekening=4100&pagina=2",
        "?jaar=2026&rekening=1100&formaat=xlsx",
        "?jaar=2026&rekening=1100&formaat=pdf",
    ],
)
def test_ledger_pages_and_downloads_keep_their_query_count_as_the_books_grow(
    world, users, client_as, django_assert_max_num_queries, query
):
    t = users["treasurer"]
    url = reverse("finance:report", kwargs={"group_slug": world.group_a.slug, "kind": "kasboek"})
    if "4100" in query:
        url = url.replace("kasboek", "grootboek")
    client = client_as("treasurer")
    counts = []
    for n in (210, 600):
        with tenant_context(world.group_a):
            ledger_services.entries_create(
                entries=_entries(n, start=date(2026, 2, 1), per_day=9), user=t, post=True
            )
        client.get(url + query)  # warm up
        with django_assert_max_num_queries(40), CaptureQueriesContext(connection) as ctx:
            response = client.get(url + query)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_cash_book_page_shows_formatted_cells_and_links_to_entries(busy_books, client_as, group_a):
    from finance.ledger.models import JournalEntry

    url = reverse("finance:report", kwargs={"group_slug": group_a.slug, "kind": "kasboek"})
    html = client_as("treasurer").get(url + f"?jaar=2026&rekening={BANK}&pagina=2").content
    html = html.decode()
    entry = JournalEntry.objects.get(year__year=2026, number=101)
    assert f'<a href="/g/{group_a.slug}/financien/boekingen/{entry.pk}/">2026-0101</a>' in html
    balance = _expected_rows(busy_books)[100][2]
    assert f'<td class="num">€ {balance:.2f}</td>'.replace(".", ",") in html
    assert "<td>03-01-2026</td>" not in html and "<td>17-01-2026</td>" in html  # page 2's days
    assert "Beginsaldo" not in html and "Pagina 2 van 3" in html


@pytest.mark.parametrize(
    "amount, text",
    [
        ("0.00", "€ 0,00"),
        ("-0.01", "-€ 0,01"),
        ("5", "€ 5,00"),
        ("1234.50", "€ 1.234,50"),
        ("-1234567.89", "-€ 1.234.567,89"),
        ("999999999999.99", "€ 999.999.999.999,99"),
    ],
)
def test_amounts_are_shown_in_dutch_notation(amount, text):
    from backoffice.core.money import format_euro

    assert format_euro(Decimal(amount)) == text
