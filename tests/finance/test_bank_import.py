"""Importing bank files: all or nothing, idempotent, the group's own account only."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finance.bank import importing as bank_import
from finance.bank.formats import samples
from finance.bank.models import BankLine, ImportJob, Statement
from finance.ledger.models import Account

OTHER_IBAN = samples.nl_iban("RABO", 123456789)


@pytest.fixture
def bank(books, users):
    return bank_import.bank_account_create(
        user=users["treasurer"],
        iban=samples.ACCOUNT_IBAN,
        name="ING",
        holder="Hart voor de K-buurt",
        ledger_account=Account.objects.get(role="bank"),
    )


def run(data, user, filename="afschrift.xml"):
    return bank_import.import_statement(data=data, filename=filename, user=user)


def nothing_written():
    assert BankLine.objects.count() == 0
    assert Statement.objects.count() == 0


def test_bank_account_iban_is_validated_and_normalised(books, users):
    with pytest.raises(ValidationError) as exc:
        bank_import.bank_account_create(
            user=users["treasurer"],
            iban="NL00INGB0001234567",
            name="x",
            holder="x",
            ledger_account=Account.objects.get(role="bank"),
        )
    assert "geen geldige IBAN" in str(exc.value)
    spaced = " ".join(samples.ACCOUNT_IBAN[i : i + 4] for i in range(0, 18, 4)).lower()
    account = bank_import.bank_account_create(
        user=users["treasurer"],
        iban=spaced,
        name="ING",
        holder="K-buurt",
        ledger_account=Account.objects.get(role="bank"),
    )
    assert account.iban == samples.ACCOUNT_IBAN
    assert account.history.get().history_type == "+"


def test_camt_import_writes_statement_lines_file_and_history(bank, users, settings):
    data = samples.build_camt053(25, seed=3)
    result = run(data, users["treasurer"])
    statement = result.statement
    assert (result.new_count, result.known_count) == (25, 0)
    assert BankLine.objects.filter(statement=statement).count() == 25
    assert statement.sha256 == __import__("hashlib").sha256(data).hexdigest()
    assert statement.file.name.startswith("g_k_buurt/statements/") or "/statements/" in (
        statement.file.name
    )
    with statement.file.open("rb") as handle:
        assert handle.read() == data
    assert statement.opening_balance == Decimal("1000.00")
    assert not BankLine.history.exists()  # the import is recorded once, on the statement
    assert statement.history.get().history_user_id == users["treasurer"].pk


def test_same_file_twice_adds_nothing(bank, users):
    data = samples.build_camt053(10, seed=4)
    run(data, users["treasurer"])
    again = run(data, users["treasurer"])
    assert again.already_imported and again.new_count == 0
    assert BankLine.objects.count() == 10 and Statement.objects.count() == 1


def test_overlapping_csv_statements_add_only_new_lines(bank, users):
    lines = samples.sample_lines(30, seed=5)
    run(samples.ing_csv_document(lines[:20]), users["treasurer"], "jan.csv")
    opening = Decimal("1000.00") + sum((x.amount for x in lines[:10]), Decimal("0"))
    second = run(
        samples.ing_csv_document(lines[10:], opening_balance=opening), users["treasurer"], "feb.csv"
    )
    assert (second.new_count, second.known_count) == (10, 10)
    assert BankLine.objects.count() == 30


def test_statement_of_another_account_is_refused(bank, users):
    data = samples.camt053_document(samples.sample_lines(5), account_iban=OTHER_IBAN)
    with pytest.raises(ValidationError) as exc:
        run(data, users["treasurer"])
    assert OTHER_IBAN in str(exc.value) and "geen bankrekening van deze groep" in str(exc.value)
    nothing_written()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<Stmt><Id>&lol3;</Id></Stmt></BkToCstmrStmt></Document>
"""


def _malformed_csv():
    text = samples.build_csv(10_000, seed=7).decode("utf-8")
    rows = text.split("\r\n")
    cells = rows[9870].split(";")  # line 9,871 of the file (line 1 is the header)
    cells[6] = '"12,3x"'
    rows[9870] = ";".join(cells)
    return "\r\n".join(rows).encode("utf-8")


@pytest.mark.parametrize(
    "name, data, expected",
    [
        ("onbekend.txt", b"Hallo penningmeester,\nhier is geen bankbestand.\n", "formaat"),
        ("afgebroken.xml", samples.build_camt053(20, seed=1)[:-300], "Regel"),
        ("groot.csv", None, "Regel 9871"),
        ("bom.xml", BILLION_LAUGHS, ""),
        ("leeg.csv", b"", "leeg"),
    ],
    ids=["unknown-format", "truncated-xml", "malformed-amount-9871", "entity-expansion", "empty"],
)
def test_bad_files_are_refused_whole_with_a_clear_message(bank, users, name, data, expected):
    data = _malformed_csv() if data is None else data
    with pytest.raises(ValidationError) as exc:
        run(data, users["treasurer"], name)
    message = " ".join(exc.value.messages)
    assert expected in message, message
    nothing_written()


def test_balances_that_do_not_add_up_are_refused(bank, users):
    data = samples.build_camt053(5, seed=2).replace(b'<Amt Ccy="EUR">', b'<Amt Ccy="EUR">1', 3)
    with pytest.raises(ValidationError):
        run(data, users["treasurer"])
    nothing_written()


def test_only_the_treasurer_imports(bank, users):
    from django.core.exceptions import PermissionDenied

    for who in ("chair", "member", "audit", "support"):
        with pytest.raises(PermissionDenied):
            run(samples.build_camt053(3), users[who])
    nothing_written()


def test_inline_job_records_result(bank, users):
    job = bank_import.job_create(
        data=samples.build_camt053(12, seed=9), filename="x.xml", user=users["treasurer"]
    )
    bank_import.job_run(job=job, user=users["treasurer"])
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.done == job.total == 12
    assert "12 nieuwe regels" in job.message


def test_failed_job_says_why_and_writes_nothing(bank, users):
    job = bank_import.job_create(data=b"kapot", filename="x.csv", user=users["treasurer"])
    bank_import.job_run(job=job, user=users["treasurer"])
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.message
    nothing_written()


# --- order does not matter -----------------------------------------------------------------

POOL = samples.sample_lines(40, seed=11, start=dt.date(2026, 1, 5))


@st.composite
def two_windows(draw):
    a0 = draw(st.integers(0, 30))
    a1 = draw(st.integers(a0 + 1, 40))
    b0 = draw(st.integers(0, 30))
    b1 = draw(st.integers(b0 + 1, 40))
    fmt = draw(st.sampled_from(["camt", "csv"]))
    return (a0, a1), (b0, b1), fmt


def _doc(window, fmt):
    lo, hi = window
    opening = Decimal("500.00") + sum((x.amount for x in POOL[:lo]), Decimal("0"))
    part = POOL[lo:hi]
    if fmt == "camt":
        return samples.camt053_document(part, opening_balance=opening)
    return samples.ing_csv_document(part, opening_balance=opening)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(two_windows())
def test_import_order_does_not_change_the_result(bank, users, windows):
    from django.db import transaction

    a, b, fmt = windows
    files = [_doc(a, fmt), _doc(b, fmt)]
    results = []
    for order in (files, files[::-1]):
        sid = transaction.savepoint_create()
        for data in order:
            run(data, users["treasurer"], f"x.{'xml' if fmt == 'camt' else 'csv'}")
        results.append(sorted(BankLine.objects.values_list("dedup_key", "booking_date", "amount")))
        transaction.savepoint_rollback(sid)
    assert results[0] == results[1]
    expected = len(set(range(*a)) | set(range(*b)))
    assert len(results[0]) == expected
