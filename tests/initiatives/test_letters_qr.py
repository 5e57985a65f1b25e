"""The letters' QR codes: made by XOR from a template, equal to segno's module for module,
and drawn in the PDF as exactly those modules."""

import re
import zlib

import segno

from groups.initiatives import codes, letters, qr

PREFIX = "https://buurtkas.example/g/kbuurt/initiatieven/voucher/?code="


def _segno_rows(url, **options):
    return ["".join("1" if v else "0" for v in row) for row in segno.make(url, **options).matrix]


def test_template_matrices_equal_segno_for_many_codes():
    template = qr.template(PREFIX, 19)
    for _n in range(60):
        code = codes.new_code()
        assert template.rows(code) == _segno_rows(
            PREFIX + code,
            error="m",
            mask=0,
            micro=False,
            boost_error=False,
            mode="byte",
            version=template.version,
        ), code


def test_a_url_that_does_not_fit_the_template_falls_back_to_segno():
    url = "https://buurtkas.example/stemmen/?code=é"
    assert qr.rows(url, "x") == _segno_rows(url, error="m", mask=0, micro=False)


def test_the_pdf_draws_exactly_the_dark_modules():
    code = codes.new_code()
    url = PREFIX + code
    ops = letters._qr(url, code, 380, 250, 150).decode()
    expected = qr.rows(url, code)
    n = len(expected)
    drawn = [["0"] * n for _ in range(n)]
    for col, top, width in re.findall(r"^(\d+) (\d+) (\d+) 1 re$", ops, re.M):
        for c in range(int(col), int(col) + int(width)):
            drawn[n - 1 - int(top)][c] = "1"
    assert ["".join(row) for row in drawn] == expected
    page = letters.Letter(
        address=["Aan de bewoners van", "Dijkgraafplein 1", "1069 AB"],
        heading="Jouw buurtvoucher",
        lines=["Kies een plan."],
        code=code,
        code_label="Jouw code:",
        qr_url=url,
    )
    content = zlib.decompress(letters._page(page))
    assert code.encode() in content and b" cm" in content
