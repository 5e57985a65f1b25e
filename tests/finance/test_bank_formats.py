"""Bank statement parsing: every format, encodings, refusals with Dutch messages, dedup keys.

Pure tests: no database. The fixtures in ``bank_files/`` are written by hand from the banks'
published layouts; big files come from ``finance.bank_formats.samples``.
"""

from __future__ import annotations

import datetime as dt
import random
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import mt940 as mt940_package
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finance.bank.formats import FORMATS, StatementError, detect_format, parse_statement, samples
from finance.bank.formats.sepa import Payment, PaymentFileError, build_credit_transfer

FILES = Path(__file__).parent / "bank_files"
D = Decimal


def read(name: str) -> bytes:
    return (FILES / name).read_bytes()


def parse(name: str):
    return parse_statement(read(name), filename=name)


def refused(data: bytes) -> StatementError:
    with pytest.raises(StatementError) as caught:
        parse_statement(data)
    return caught.value


# --- every format parses to the expected lines and balances ------------------------------

EXPECTED = {
    # file: (format, account, opening, closing, number of lines, sum of lines)
    "camt053_ing_v02.xml": (
        "camt.053",
        "NL67INGB0006543210",
        D("1250.00"),
        D("3215.63"),
        5,
        D("1965.63"),
    ),
    "camt053_rabobank_v08.xml": (
        "camt.053",
        "NL81RABO0312345678",
        D("500.00"),
        D("409.50"),
        3,
        D("-90.50"),
    ),
    "mt940_ing.sta": ("mt940", "NL67INGB0006543210", D("3215.63"), D("4235.66"), 3, D("1020.03")),
    "mt940_rabobank.swi": ("mt940", "NL81RABO0312345678", D("500.00"), D("409.50"), 3, D("-90.50")),
    "mt940_abnamro.sta": (
        "mt940",
        "NL83ABNA0412345678",
        D("1234.56"),
        D("1642.41"),
        3,
        D("407.85"),
    ),
    "ing_semicolon_bom.csv": (
        "csv-ing",
        "NL67INGB0006543210",
        D("4235.66"),
        D("5529.89"),
        5,
        D("1294.23"),
    ),
    "ing_comma_cp1252.csv": ("csv-ing", "NL67INGB0006543210", None, None, 3, D("717.50")),
    "rabobank.csv": (
        "csv-rabobank",
        "NL81RABO0312345678",
        D("500.00"),
        D("1659.50"),
        4,
        D("1159.50"),
    ),
    "abnamro.tab": (
        "tab-abnamro",
        "NL83ABNA0412345678",
        D("1234.56"),
        D("1642.41"),
        3,
        D("407.85"),
    ),
    "bunq_comma.csv": ("csv-bunq", "NL86BUNQ2034567891", None, None, 4, D("1385.01")),
    "bunq_semicolon.csv": ("csv-bunq", "NL86BUNQ2034567891", None, None, 3, D("1397.51")),
    "triodos_cp1252.csv": (
        "csv-triodos",
        "NL18TRIO0391234567",
        D("500.00"),
        D("1474.90"),
        3,
        D("974.90"),
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_fixture_parses_to_its_account_balances_and_lines(name):
    fmt, iban, opening, closing, count, total = EXPECTED[name]

    statement = parse(name)

    assert detect_format(read(name)) == fmt
    assert statement.format == fmt
    assert statement.account_iban == iban
    assert statement.currency == "EUR"
    assert statement.opening_balance == opening
    assert statement.closing_balance == closing
    assert len(statement.lines) == count
    assert sum(line.amount for line in statement.lines) == total
    for line in statement.lines:
        assert isinstance(line.amount, Decimal) and line.amount.as_tuple().exponent == -2
        assert len(line.dedup_key) == 64
    assert len({line.dedup_key for line in statement.lines}) == count
    assert statement.sha256 == __import__("hashlib").sha256(read(name)).hexdigest()


def test_fixture_set_covers_every_format():
    assert {fmt for fmt, *_ in EXPECTED.values()} == set(FORMATS)


def test_camt_v02_reads_parties_references_batches_reversals_and_skips_pending():
    statement = parse("camt053_ing_v02.xml")

    subsidy, hornbach, card, batch, reversal = statement.lines
    assert (subsidy.line_number, subsidy.booking_date, subsidy.amount) == (
        35,
        dt.date(2024, 1, 15),
        D("2500.00"),
    )
    assert subsidy.counterparty_name == "Gemeente Amsterdam"
    assert subsidy.counterparty_iban == "NL73BNGH0285177779"
    assert subsidy.description == "Subsidie buurtbudget 2024 eerste termijn"
    assert subsidy.bank_reference == "ING-2024-0115-0001"
    assert (hornbach.amount, hornbach.counterparty_name) == (
        D("-184.37"),
        "Hornbach Bouwmarkt Amsterdam",
    )
    assert card.value_date == dt.date(2024, 1, 14)
    assert card.description.startswith("Betaalpas Albert Heijn 1234")  # AddtlNtryInf fallback
    assert (batch.amount, batch.description) == (D("-350.00"), "Verzamelboeking van 2 transacties")
    assert (reversal.amount, reversal.description) == (
        D("62.15"),
        "RETOUR-0003",
    )  # RvslInd + CRDT = money in
    assert "ING-2024-0116-0001" not in {line.bank_reference for line in statement.lines}  # PDNG
    assert (statement.opening_date, statement.closing_date) == (
        dt.date(2024, 1, 15),
        dt.date(2024, 1, 15),
    )


def test_camt_v08_reads_new_shapes_and_chains_two_statements():
    statement = parse("camt053_rabobank_v08.xml")

    cafe, printer, rent = statement.lines
    assert cafe.counterparty_name == "Café De Meeuw"  # Dbtr/Pty/Nm
    assert cafe.booking_date == dt.date(2024, 3, 1)  # from BookgDt/DtTm
    assert cafe.bank_reference == "MEEUW-0301"  # EndToEndId when there is no AcctSvcrRef
    assert printer.bank_reference == "2"  # NtryRef when the EndToEndId is NOTPROVIDED
    assert rent.counterparty_iban == "NL80RABO0118431250"
    assert (statement.opening_date, statement.closing_date) == (
        dt.date(2024, 2, 29),
        dt.date(2024, 3, 4),
    )


def test_mt940_ing_joins_wrapped_86_and_reads_bank_references():
    statement = parse("mt940_ing.sta")

    subsidy, hornbach, gamma = statement.lines
    assert (subsidy.line_number, subsidy.bank_reference) == (8, "24020100012345")
    assert subsidy.counterparty_name == "Gemeente Amsterdam"  # wrapped mid-word at 65
    assert subsidy.description == "Subsidie buurtbudget 2024 tweede termijn"
    assert hornbach.counterparty_iban == "NL91ABNA0417164300"
    assert hornbach.description == "Factuur 2024-0042 verf en kwasten"
    assert (gamma.amount, gamma.counterparty_name) == (D("-45.60"), "Gamma Amsterdam Noord")


def test_mt940_rabobank_reads_counterparty_account_from_61_and_names_from_benm_ordp():
    statement = parse("mt940_rabobank.swi")

    cafe, printer, rent = statement.lines
    assert (cafe.counterparty_iban, cafe.counterparty_name) == (
        "NL88ASNB0707531255",
        "Cafe De Meeuw",
    )
    assert (printer.counterparty_name, printer.description) == (
        "Drukkerij De Buurt",
        "Flyers wijkraadpleging",
    )
    assert (rent.line_number, rent.counterparty_name, rent.bank_reference) == (
        21,
        "Ymere",
        "YMERE-HUUR-0324",
    )


def test_mt940_abnamro_turns_old_account_number_into_iban_and_reads_all_86_styles():
    statement = parse("mt940_abnamro.sta")

    card, subsidy, claim = statement.lines
    assert card.counterparty_name == "ALBERT HEIJN 1234"
    assert (subsidy.counterparty_name, subsidy.counterparty_iban) == (
        "GEMEENTE AMSTERDAM",
        "NL73BNGH0285177779",
    )
    assert subsidy.description == "SUBSIDIE BUURTBUDGET 2024"
    assert (claim.counterparty_name, claim.counterparty_iban) == (
        "J. de Vries",
        "NL63BUNQ2017432188",
    )
    assert claim.description == "Declaratie bonnetjes straatfeest"


@pytest.mark.parametrize("name", ["mt940_ing.sta", "mt940_rabobank.swi", "mt940_abnamro.sta"])
def test_mt940_agrees_with_the_mt940_package_on_dates_and_amounts(name):
    theirs = mt940_package.models.Transactions()
    theirs.parse(read(name).decode("ascii"))

    ours = parse(name)

    assert [(line.booking_date, line.amount) for line in ours.lines] == [
        (t.data["date"], t.data["amount"].amount) for t in theirs
    ]


def test_ing_csv_newest_first_with_running_balance_and_notes():
    statement = parse("ing_semicolon_bom.csv")

    first = statement.lines[0]
    assert (first.line_number, first.booking_date, first.amount) == (
        2,
        dt.date(2024, 2, 6),
        D("2500.00"),
    )
    assert first.description == "Subsidie buurtbudget 2024 derde termijn"
    assert statement.lines[1].description == "Koffie bewonersavond € 2,50 p.p."
    assert statement.lines[-1].amount == D("-1184.37")
    assert (statement.opening_date, statement.closing_date) == (
        dt.date(2024, 2, 2),
        dt.date(2024, 2, 6),
    )


def test_rabobank_csv_signed_amounts_thousands_and_volgnr_as_reference():
    statement = parse("rabobank.csv")

    printer, subsidy = statement.lines[1], statement.lines[3]
    assert printer.description == "Flyers wijkraadpleging oplage 500"
    assert printer.bank_reference == "000000000000000102"
    assert subsidy.amount == D("1250.00")


def test_counterparty_old_account_number_is_kept_not_refused():
    statement = parse("ing_comma_cp1252.csv")

    assert statement.lines[2].counterparty_iban == "123456789"


# --- encodings ---------------------------------------------------------------------------


def test_cp1252_files_keep_accents_and_euro_sign():
    triodos = parse("triodos_cp1252.csv")
    ing = parse("ing_comma_cp1252.csv")

    assert triodos.lines[1].counterparty_name == "Café De Meeuw"
    assert triodos.lines[1].description == "Koffie en thee — € 45 bewonersavond"
    assert ing.lines[0].description == "Koffie bewonersavond € 2,50 p.p."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_same_file_in_every_encoding_gives_the_same_statement(encoding):
    text = read("ing_semicolon_bom.csv").decode("utf-8-sig")
    reference = parse_statement(text.encode("utf-8"))

    statement = parse_statement(text.encode(encoding))

    assert statement.lines == reference.lines
    assert statement.closing_balance == reference.closing_balance


def test_undecodable_bytes_are_refused_with_line():
    header = b'"Date","Interest Date","Amount","Account","Counterparty","Name","Description"'
    data = header + b"\r\n\x81\x8d\x8f\r\n"

    error = refused(data)

    assert error.line_number == 2
    assert "tekencodering" in error.message_nl


# --- refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n", b"\xef\xbb\xbf"])
def test_empty_file_is_refused(data):
    assert refused(data).message_nl == "Het bestand is leeg."


def test_unknown_format_is_refused_naming_the_file():
    with pytest.raises(StatementError) as caught:
        parse_statement(b"Boodschappenlijst\nmelk\nbrood\n", filename="lijstje.txt")

    assert "Het formaat van het bestand ‘lijstje.txt’ is niet herkend" in caught.value.message_nl
    assert caught.value.line_number is None


def test_pdf_is_refused_with_advice():
    assert "PDF" in refused(b"%PDF-1.7\n...").message_nl


def test_other_camt_message_is_refused():
    data = read("camt053_ing_v02.xml").replace(b"camt.053.001.02", b"camt.052.001.02")

    assert "CAMT.052" in refused(data).message_nl


def test_truncated_xml_is_refused_with_line():
    data = read("camt053_ing_v02.xml")[:2500]

    error = refused(data)

    assert "onvolledig of beschadigd" in error.message_nl
    assert error.line_number == data.count(b"\n") + 1
    assert error.message_nl.startswith(f"Regel {error.line_number}: ")


def test_truncated_mt940_without_closing_balance_is_refused():
    text = read("mt940_ing.sta").decode()
    data = text[: text.index(":62F:")].encode()

    error = refused(data)

    assert "geen eindsaldo (:62F:)" in error.message_nl


def test_ten_thousand_line_csv_with_bad_amount_on_line_9871_is_refused_whole():
    lines = samples.build_csv(10_000).decode().split("\r\n")
    cells = lines[9870].split(";")
    cells[6] = '"12,3,4"'
    lines[9870] = ";".join(cells)

    error = refused("\r\n".join(lines).encode())

    assert error.message_nl == "Regel 9871: het bedrag ‘12,3,4’ is geen geldig bedrag."
    assert error.line_number == 9871


def test_amount_with_three_decimals_is_refused():
    data = read("bunq_comma.csv").replace(b'"-89.99"', b'"-89.999"')

    error = refused(data)

    assert error.line_number == 5
    assert "meer dan twee decimalen" in error.message_nl


def test_camt_amount_with_three_decimals_is_refused():
    data = read("camt053_ing_v02.xml").replace(b">184.37<", b">184.375<")

    error = refused(data)

    assert error.message_nl == (
        "Regel 54: het bedrag ‘184.375’ heeft meer dan twee decimalen; "
        "dat kan geen eurobedrag zijn."
    )


@pytest.mark.parametrize(
    ("name", "old", "new", "line", "shown"),
    [
        (
            "rabobank.csv",
            b'"2024-03-04","2024-03-04"',
            b'"2024-02-30","2024-03-04"',
            4,
            "2024-02-30",
        ),
        ("abnamro.tab", b"20240112\t1672", b"2024011\t1672", 3, "2024011"),
        ("triodos_cp1252.csv", b"07-06-2024", b"7 juni 24", 3, "7 juni 24"),
        ("mt940_ing.sta", b":61:2402020202D184", b":61:2402300230D184", 13, "240230"),
    ],
)
def test_malformed_date_is_refused_with_line(name, old, new, line, shown):
    error = refused(read(name).replace(old, new))

    assert error.line_number == line
    assert error.message_nl.startswith(f"Regel {line}: ")
    assert f"‘{shown}’ is geen geldige datum" in error.message_nl


def test_lines_of_two_accounts_in_one_csv_give_one_part_per_account():
    data = read("ing_comma_cp1252.csv").replace(
        b'"Gemeente Amsterdam","NL67INGB0006543210"', b'"Gemeente Amsterdam","NL36INGB0007654321"'
    )

    statement = parse_statement(data)

    first, second = statement.accounts
    assert (first.account_iban, second.account_iban) == ("NL67INGB0006543210", "NL36INGB0007654321")
    assert [line.line_number for line in second.lines] == [3]
    assert [line.line_number for line in first.lines] == [2, 4]
    with pytest.raises(StatementError) as caught:
        statement.account_iban  # noqa: B018 - one account asked of a file with two
    assert "meerdere rekeningen" in caught.value.message_nl


def test_two_accounts_in_one_camt_file_give_one_part_per_account():
    data = read("camt053_rabobank_v08.xml")
    second = data.rindex(b"<IBAN>NL81RABO0312345678</IBAN>")
    data = data[:second] + b"<IBAN>NL36INGB0007654321</IBAN>" + data[second + 31 :]

    statement = parse_statement(data)

    assert [(part.account_iban, len(part.lines)) for part in statement.accounts] == [
        ("NL81RABO0312345678", 2),
        ("NL36INGB0007654321", 1),
    ]


def test_two_accounts_in_one_mt940_file_give_one_part_per_account():
    text = read("mt940_rabobank.swi").decode()
    second = text.rindex(":25:NL81RABO0312345678 EUR")
    data = (text[:second] + ":25:NL36INGB0007654321EUR" + text[second + 26 :]).encode()

    statement = parse_statement(data)

    rabo, ing = statement.accounts
    assert (rabo.account_iban, rabo.opening_balance, rabo.closing_balance) == (
        "NL81RABO0312345678",
        D("500.00"),
        D("454.50"),
    )
    assert (ing.account_iban, ing.line_number, ing.opening_balance) == (
        "NL36INGB0007654321",
        18,
        D("454.50"),
    )


def test_xml_that_is_not_a_bank_statement_is_refused():
    error = refused(b'<?xml version="1.0"?><html><body>Afschrift</body></html>')

    assert "geen bankafschrift in CAMT.053-formaat" in error.message_nl


def test_invalid_account_iban_is_refused():
    data = read("camt053_ing_v02.xml").replace(
        b"NL67INGB0006543210</IBAN>", b"NL67INGB0006543211</IBAN>"
    )

    error = refused(data)

    assert "‘NL67INGB0006543211’ van de rekening is geen geldige IBAN" in error.message_nl
    assert error.line_number == 8  # the <Stmt> the account belongs to


def test_invalid_counterparty_iban_is_kept_as_given():
    data = read("bunq_comma.csv").replace(b'"NL73BNGH0285177779"', b'"NL73BNGH0285177770"')

    statement = parse_statement(data)

    assert statement.lines[2].counterparty_iban == "NL73BNGH0285177770"


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("camt053_ing_v02.xml", b">3215.63<", b">3215.64<"),
        ("mt940_ing.sta", b":62F:C240202EUR4235,66", b":62F:C240202EUR4235,76"),
        (
            "mt940_rabobank.swi",
            b":62F:C240304EUR000000000409,50",
            b":62F:C240304EUR000000000409,05",
        ),
    ],
)
def test_closing_balance_that_does_not_add_up_is_refused(name, old, new):
    error = refused(read(name).replace(old, new))

    assert error.message_nl.startswith("De saldi kloppen niet")
    assert "Het bestand is onvolledig of beschadigd." in error.message_nl


def test_mt940_statements_that_do_not_chain_are_refused():
    data = (
        read("mt940_rabobank.swi")
        .replace(
            b":60F:C240301EUR000000000454,50\n:61:240304D000000000045,00",
            b":60F:C240301EUR000000000554,50\n:61:240304D000000000045,00",
        )
        .replace(b":62F:C240304EUR000000000409,50", b":62F:C240304EUR000000000509,50")
    )

    error = refused(data)

    assert error.line_number == 17  # the :20: of the second statement
    assert "sluit niet aan" in error.message_nl


def test_wrong_running_balance_in_csv_is_refused_at_that_line():
    data = read("ing_semicolon_bom.csv").replace(b'"3042,39"', b'"3042,93"')

    error = refused(data)

    assert error.line_number in (3, 4)
    assert "het saldo na mutatie" in error.message_nl


def test_empty_running_balance_column_is_not_checked_but_a_gap_is_refused():
    text = read("ing_semicolon_bom.csv").decode("utf-8-sig")
    for balance in ("5529,89", "3029,89", "3042,39", "3091,29", "3051,29"):
        text = text.replace(f'"{balance}"', '""')
    gap = read("ing_semicolon_bom.csv").replace(b'"3042,39"', b'""')

    statement = parse_statement(text.encode())
    error = refused(gap)

    assert statement.opening_balance is None and statement.closing_balance is None
    assert (error.line_number, "het saldo na mutatie ontbreekt" in error.message_nl) == (4, True)


def test_abn_amro_line_whose_balances_do_not_add_up_is_refused():
    data = read("abnamro.tab").replace(b"1672,41\t20240111\t500,00", b"1672,41\t20240111\t499,00")

    error = refused(data)

    assert error.line_number == 2
    assert "is niet het eindsaldo" in error.message_nl


def test_repeated_bank_reference_in_one_file_is_refused():
    data = read("camt053_ing_v02.xml").replace(b"ING-2024-0115-0002", b"ING-2024-0115-0001")

    error = refused(data)

    assert error.line_number == 54
    assert "staat ook op regel 35" in error.message_nl


def test_ing_af_bij_must_be_af_or_bij():
    data = read("ing_semicolon_bom.csv").replace(b'"GT";"Af"', b'"GT";"Uit"')

    error = refused(data)

    assert (error.line_number, error.message_nl[:9]) == (3, "Regel 3: ")


# --- XML attacks ---------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE Document [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt>
<Acct><Id><IBAN>NL67INGB0006543210</IBAN></Id></Acct><Ntry><AddtlNtryInf>&lol3;</AddtlNtryInf></Ntry>
</Stmt></BkToCstmrStmt></Document>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt>
<Acct><Id><IBAN>NL67INGB0006543210</IBAN></Id></Acct><Ntry><AddtlNtryInf>&xxe;</AddtlNtryInf></Ntry>
</Stmt></BkToCstmrStmt></Document>
"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE Document SYSTEM "http://example.invalid/evil.dtd">
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt/></Document>
"""


def test_entity_expansion_is_refused():
    error = refused(BILLION_LAUGHS)

    assert "billion laughs" in error.message_nl
    assert error.line_number == 3


def test_external_entity_is_refused():
    error = refused(EXTERNAL_ENTITY)

    assert "externe entiteit" in error.message_nl
    assert error.line_number == 2


def test_external_dtd_is_refused():
    assert "XXE" in refused(EXTERNAL_DTD).message_nl


def test_undeclared_entity_after_the_prolog_is_a_broken_file():
    data = read("camt053_ing_v02.xml").replace(b"Factuur 2024-0015", b"Factuur &xxe;")

    assert "onvolledig of beschadigd" in refused(data).message_nl


# --- dedup keys ----------------------------------------------------------------------------


def test_identical_transactions_in_one_file_get_different_keys():
    coffee_1, coffee_2 = parse("bunq_comma.csv").lines[:2]

    assert (coffee_1.booking_date, coffee_1.amount, coffee_1.description) == (
        coffee_2.booking_date,
        coffee_2.amount,
        coffee_2.description,
    )
    assert coffee_1.dedup_key != coffee_2.dedup_key


def test_keys_are_stable_across_overlapping_exports():
    full = parse("rabobank.csv")
    text = read("rabobank.csv").decode().splitlines(keepends=True)
    shorter = parse_statement("".join(text[:1] + text[2:4]).encode())  # lines 3 and 4 only

    assert {line.dedup_key for line in shorter.lines} < {line.dedup_key for line in full.lines}


def test_reference_key_ignores_content_and_fallback_key_does_not():
    original = parse("camt053_ing_v02.xml").lines[1]
    renamed = parse_statement(
        read("camt053_ing_v02.xml").replace(b"Factuur 2024-0015", b"Factuur 2024-0016")
    ).lines[1]
    fallback = parse("camt053_rabobank_v08.xml").lines[1]
    fallback_renamed = parse_statement(
        read("camt053_rabobank_v08.xml").replace(b"Flyers wijkraadpleging", b"Flyers buurtfeest")
    ).lines[1]

    assert original.dedup_key == renamed.dedup_key  # AcctSvcrRef decides
    assert fallback.dedup_key != fallback_renamed.dedup_key


# --- generated files and properties ------------------------------------------------------


def test_samples_are_deterministic_and_parse():
    assert samples.build_csv(30, seed=3) == samples.build_csv(30, seed=3)
    assert samples.build_camt053(30, seed=3) == samples.build_camt053(30, seed=3)
    assert samples.build_csv(30, seed=3) != samples.build_csv(30, seed=4)
    csv_statement = parse_statement(samples.build_csv(30, seed=3))
    camt_statement = parse_statement(samples.build_camt053(30, seed=3))
    assert sorted(line.amount for line in csv_statement.lines) == sorted(
        line.amount for line in camt_statement.lines
    )
    assert csv_statement.closing_balance == camt_statement.closing_balance


def test_camt_line_numbers_point_at_each_ntry_element():
    data = samples.build_camt053(20)
    source = data.decode().splitlines()

    statement = parse_statement(data)

    assert all(source[line.line_number - 1].startswith("<Ntry>") for line in statement.lines)


names = st.sampled_from([name for name, _ in samples.COUNTERPARTIES])
texts = (
    st.text(
        alphabet=st.characters(codec="cp1252", categories=("L", "N", "Zs", "Pd", "Sc")),
        min_size=1,
        max_size=40,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)
cents = st.integers(min_value=-5_000_000, max_value=5_000_000).filter(lambda c: c != 0)


@st.composite
def sample_lines(draw):
    rows = draw(
        st.lists(st.tuples(names, cents, texts, st.integers(0, 20)), min_size=1, max_size=15)
    )
    lookup = dict(samples.COUNTERPARTIES)
    return [
        samples.SampleLine(
            booking_date=dt.date(2024, 5, 1) + dt.timedelta(days=day),
            value_date=dt.date(2024, 5, 1) + dt.timedelta(days=day),
            amount=Decimal(c) / 100,
            name=name,
            iban=lookup[name],
            description=text,
            reference=f"R{index:05d}",
        )
        for index, (name, c, text, day) in enumerate(sorted(rows, key=lambda row: row[3]))
    ]


FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(lines=sample_lines(), version=st.sampled_from(["02", "04", "08"]))
def test_generated_camt_round_trips(lines, version):
    statement = parse_statement(samples.camt053_document(lines, version=version))

    assert [
        (
            line.booking_date,
            line.amount,
            line.counterparty_name,
            line.counterparty_iban,
            line.description,
            line.bank_reference,
        )
        for line in statement.lines
    ] == [(s.booking_date, s.amount, s.name, s.iban, s.description, s.reference) for s in lines]
    assert statement.closing_balance == D("1000.00") + sum(s.amount for s in lines)


@FAST
@given(lines=sample_lines(), encoding=st.sampled_from(["utf-8", "cp1252"]))
def test_generated_ing_csv_round_trips(lines, encoding):
    statement = parse_statement(samples.ing_csv_document(lines, encoding=encoding))

    assert sorted(
        (line.booking_date, line.amount, line.counterparty_iban, line.description)
        for line in statement.lines
    ) == sorted((s.booking_date, s.amount, s.iban, s.description) for s in lines)
    assert statement.opening_balance == D("1000.00")


@FAST
@given(lines=sample_lines(), seed=st.integers(0, 2**32), duplicate=st.booleans())
def test_shuffling_lines_keeps_the_set_of_dedup_keys(lines, seed, duplicate):
    if duplicate:  # identical transactions: the occurrence index must keep them apart
        lines = [*lines, lines[0]]
    shuffled = list(lines)
    random.Random(seed).shuffle(shuffled)

    def keys(rows):
        statement = parse_statement(samples.camt053_document(rows, with_references=False))
        return [line.dedup_key for line in statement.lines]

    assert sorted(keys(lines)) == sorted(keys(shuffled))
    assert len(set(keys(lines))) == len(lines)


# --- SEPA credit transfer ----------------------------------------------------------------

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


def claims() -> list[Payment]:
    return [
        Payment(
            "J. de Vries",
            "NL63BUNQ2017432188",
            D("125.00"),
            "Declaratie bonnetjes straatfeest",
            "DECL-2024-001",
        ),
        Payment(
            "Café De Meeuw",
            "NL88ASNB0707531255",
            D("12.5"),
            "Koffie bewonersavond €",
            "DECL-2024-002",
        ),
        Payment(
            "Bakkerij Van Dam",
            "NL41SNSB0938479561",
            D("1225.35"),
            "Taarten buurtfeest",
            "DECL-2024-003",
        ),
    ]


def test_credit_transfer_contains_every_payment_and_the_sums():
    xml = build_credit_transfer(
        debtor_name="Hart voor de K-buurt",
        debtor_iban="NL67INGB0006543210",
        debtor_bic="INGBNL2A",
        payments=claims(),
        execution_date=dt.date(2024, 5, 1),
    )

    root = ET.fromstring(xml)
    assert root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", namespaces=NS) == "3"
    assert root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=NS) == "1362.85"
    payment_info = root.find("p:CstmrCdtTrfInitn/p:PmtInf", NS)
    assert payment_info.findtext("p:ReqdExctnDt", namespaces=NS) == "2024-05-01"
    assert payment_info.findtext("p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == "NL67INGB0006543210"
    transfers = payment_info.findall("p:CdtTrfTxInf", NS)
    assert [t.findtext("p:Amt/p:InstdAmt", namespaces=NS) for t in transfers] == [
        "125.00",
        "12.50",
        "1225.35",
    ]
    assert [t.findtext("p:PmtId/p:EndToEndId", namespaces=NS) for t in transfers] == [
        "DECL-2024-001",
        "DECL-2024-002",
        "DECL-2024-003",
    ]
    assert (
        transfers[1].findtext("p:Cdtr/p:Nm", namespaces=NS) == "Cafe De Meeuw"
    )  # SEPA character set


def test_credit_transfer_without_bic_is_valid():
    xml = build_credit_transfer(
        debtor_name="Hart voor de K-buurt",
        debtor_iban="NL67INGB0006543210",
        payments=claims()[:1],
        execution_date=dt.date(2024, 5, 1),
    )

    assert b"<CtrlSum>125.00</CtrlSum>" in xml


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"iban": "NL63BUNQ2017432189"},
            "De IBAN ‘NL63BUNQ2017432189’ van J. de Vries is ongeldig.",
        ),
        ({"amount": D("0.00")}, "moet groter dan nul zijn"),
        ({"amount": D("-5.00")}, "moet groter dan nul zijn"),
        ({"amount": D("10.005")}, "meer dan twee decimalen"),
        ({"amount": 10.5}, "moet een Decimal zijn"),
        ({"description": "x" * 141}, "langer dan 140 tekens"),
        ({"end_to_end_id": ""}, "1 tot 35 tekens"),
    ],
)
def test_credit_transfer_refuses_bad_payments(change, message):
    payment = Payment(
        **{field: change.get(field, getattr(claims()[0], field)) for field in Payment.__slots__}
    )

    with pytest.raises(PaymentFileError) as caught:
        build_credit_transfer(
            debtor_name="Hart voor de K-buurt",
            debtor_iban="NL67INGB0006543210",
            payments=[payment],
            execution_date=dt.date(2024, 5, 1),
        )

    assert message in caught.value.message_nl


def test_credit_transfer_refuses_invalid_debtor_iban():
    with pytest.raises(PaymentFileError, match="van de groep is ongeldig"):
        build_credit_transfer(
            debtor_name="Hart voor de K-buurt",
            debtor_iban="NL00INGB0006543210",
            payments=claims(),
            execution_date=dt.date(2024, 5, 1),
        )
