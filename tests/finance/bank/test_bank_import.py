"""Importing bank files: all or nothing, idempotent, the group's own account only."""

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finance.bank import importing as bank_import
from finance.bank.formats import samples
from finance.bank.models import BankAccount, BankLine, BankLinePart, ImportJob, Statement
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


# --- issue 14: bank files from real exports ----------------------------------------------

FILES = Path(__file__).parent / "bank_files"


def read(name: str) -> bytes:
    return (FILES / name).read_bytes()


def add_account(users, iban: str, name: str = "Rekening") -> BankAccount:
    return bank_import.bank_account_create(
        user=users["treasurer"],
        iban=iban,
        name=name,
        holder="Hart voor de K-buurt",
        ledger_account=Account.objects.get(role="bank"),
    )


def test_old_ing_account_number_lands_on_the_groups_ing_account(bank, users):
    result = run(read("mt940_ing_local_account.sta"), users["treasurer"], "ing.sta")

    assert result.statement.bank_account == bank
    assert BankLine.objects.filter(bank_account=bank).count() == 3
    # keys made with the IBAN: the same lines exported with an IBAN are recognised
    again = read("mt940_ing_local_account.sta").replace(
        b":25:0006543210", b":25:NL67INGB0006543210EUR"
    )
    assert run(again, users["treasurer"], "ing-iban.sta").new_count == 0


def test_old_account_number_without_a_matching_account_is_refused_not_converted(bank, users):
    with pytest.raises(ValidationError) as exc:
        run(read("mt940_sns_local_account.sta"), users["treasurer"], "sns.sta")

    message = " ".join(exc.value.messages)
    assert "0912345678" in message and "geen bankrekening van deze groep" in message
    assert "ABNA" not in message
    nothing_written()


def test_old_account_number_that_fits_two_accounts_is_refused(books, users):
    # two accounts with number 2034567890 at different banks; the Knab file names no bank
    add_account(users, samples.nl_iban("KNAB", 2034567890), "Knab")
    add_account(users, samples.nl_iban("ABNA", 2034567890), "ABN AMRO")

    with pytest.raises(ValidationError) as exc:
        run(read("mt940_knab_local_account.sta"), users["treasurer"], "knab.sta")

    assert "meer dan één rekening" in " ".join(exc.value.messages)
    nothing_written()


def test_sns_file_with_old_number_and_knab_file_without_bank_find_their_accounts(books, users):
    sns = add_account(users, samples.nl_iban("SNSB", 912345678), "SNS")
    knab = add_account(users, samples.nl_iban("KNAB", 2034567890), "Knab")

    run(read("mt940_sns_local_account.sta"), users["treasurer"], "sns.sta")
    run(read("mt940_knab_local_account.sta"), users["treasurer"], "knab.sta")

    assert sns.lines.count() == 2 and knab.lines.count() == 1
    assert sns.lines.get(amount=Decimal("-45.00")).counterparty_iban == "NL63BUNQ2017432188"


def test_file_with_two_accounts_goes_into_both_of_the_groups_accounts(books, users):
    first = add_account(users, "NL83ABNA0412345678", "Lopend")
    second = add_account(users, "NL23ABNA0598765432", "Spaar")

    result = run(read("abnamro_two_accounts.tab"), users["treasurer"], "TXT240315.TAB")

    assert [s.bank_account for s in result.statements] == [first, second]
    assert (first.lines.count(), second.lines.count()) == (2, 2)
    assert [s.closing_balance for s in result.statements] == [Decimal("1010.66"), Decimal("663.60")]
    assert len({s.sha256 for s in result.statements}) == 1
    assert "Per rekening" in result.message
    again = run(read("abnamro_two_accounts.tab"), users["treasurer"], "TXT240315.TAB")
    assert again.already_imported and BankLine.objects.count() == 4


def test_file_with_an_account_of_someone_else_writes_nothing_at_all(books, users):
    add_account(users, "NL81RABO0312345678", "Rabo")  # the second account is not the group's

    with pytest.raises(ValidationError) as exc:
        run(read("camt053_rabobank_two_accounts.xml"), users["treasurer"])

    message = " ".join(exc.value.messages)
    assert "NL74RABO0398765432" in message and "niets ingelezen" in message
    nothing_written()


def test_batch_details_reversal_and_notices_are_stored(books, users):
    rabo = add_account(users, "NL81RABO0312345678", "Rabo")
    savings = add_account(users, "NL74RABO0398765432", "Rabo spaar")
    triodos = add_account(users, "NL18TRIO0391234567", "Triodos")

    run(read("camt053_rabobank_two_accounts.xml"), users["treasurer"])
    result = run(read("camt053_othr_id_no_closing.xml"), users["treasurer"])

    batch = rabo.lines.get()
    assert [(p.position, p.counterparty_name, p.amount) for p in batch.parts.all()] == [
        (1, "J. de Vries", Decimal("-125.00")),
        (2, "P. Jansen", Decimal("-100.00")),
        (3, "Bakkerij Van Dam", Decimal("-75.00")),
    ]
    assert list(savings.lines.order_by("line_number").values_list("is_reversal", flat=True)) == [
        False,
        True,
    ]
    statement = result.statement
    assert statement.bank_account == triodos and statement.closing_balance is None
    assert "geen eindsaldo" in statement.notes and "geen eindsaldo" in result.message
    assert triodos.lines.get(amount=Decimal("-18.15"))


def test_database_keeps_reversals_and_batch_parts_as_the_bank_said(books, users):
    from django.db import IntegrityError, transaction

    add_account(users, "NL81RABO0312345678", "Rabo")
    add_account(users, "NL74RABO0398765432", "Rabo spaar")
    run(read("camt053_rabobank_two_accounts.xml"), users["treasurer"])

    with pytest.raises(IntegrityError, match="kan niet worden gewijzigd"), transaction.atomic():
        BankLine.objects.filter(is_reversal=True).update(is_reversal=False)
    with pytest.raises(IntegrityError, match="kan niet worden gewijzigd"), transaction.atomic():
        BankLinePart.objects.update(amount=Decimal("-1.00"))


def test_camt_then_csv_of_the_same_transactions_asks_before_adding(bank, users):
    lines = samples.sample_lines(40, seed=31)
    run(samples.camt053_document(lines), users["treasurer"], "jaar.xml")
    csv = samples.ing_csv_document(lines)

    with pytest.raises(bank_import.OverlapFound) as exc:
        run(csv, users["treasurer"], "jaar.csv")
    assert exc.value.details["count"] == 40
    assert "40 regels" in exc.value.messages[0] and "camt.053" in exc.value.messages[0]
    assert BankLine.objects.count() == 40 and Statement.objects.count() == 1

    skipped = bank_import.import_statement(
        data=csv, filename="jaar.csv", user=users["treasurer"], overlap="skip"
    )
    assert (skipped.new_count, skipped.skipped_count) == (0, 40)
    assert BankLine.objects.count() == 40
    assert "40 regels zijn overgeslagen" in skipped.statement.notes
    assert skipped.statement.history.get().history_user_id == users["treasurer"].pk


def test_overlap_pairs_each_existing_line_once_and_can_be_added_anyway(bank, users):
    lines = samples.sample_lines(10, seed=32)
    run(samples.camt053_document(lines[:6]), users["treasurer"], "a.xml")  # lines 0-5

    csv = samples.ing_csv_document(lines)
    with pytest.raises(bank_import.OverlapFound) as exc:
        run(csv, users["treasurer"], "b.csv")
    added = bank_import.import_statement(
        data=csv, filename="b.csv", user=users["treasurer"], overlap="add"
    )

    assert exc.value.details["count"] == 6
    assert added.new_count == 10 and BankLine.objects.count() == 16
    assert "6 regels zijn toch toegevoegd" in added.statement.notes


def test_same_party_is_judged_by_iban_or_else_by_name():
    same = bank_import.same_counterparty

    assert same("NL91ABNA0417164300", "x", "NL91 ABNA 0417 1643 00", "y")
    assert not same("NL91ABNA0417164300", "Hornbach", "NL63BUNQ2017432188", "Hornbach")
    assert same("", "ALBERT HEIJN 1234 AMSTERDAM", "", "Albert Heijn 1234")
    assert not same("", "Albert Heijn 1234", "", "Gamma Amsterdam Noord")
    assert same("", "", "NL91ABNA0417164300", "Hornbach")  # nothing says they differ


def test_nul_in_a_csv_description_is_a_clear_message_and_writes_nothing(bank, users):
    data = samples.build_csv(5, seed=2).replace(b"Omschrijving: ", b"Omschrijving: \x00", 1)

    with pytest.raises(ValidationError) as exc:
        run(data, users["treasurer"], "nul.csv")

    assert "NUL-teken" in " ".join(exc.value.messages)
    nothing_written()


def test_a_statement_above_twenty_megabytes_is_accepted(bank, users):
    # a real year of a busy account is 35 MB; padding after the document keeps the test fast
    data = samples.build_camt053(20, seed=41) + b"\n" * (25 * 1024 * 1024)

    job = bank_import.job_create(
        data=io.BytesIO(data), filename="jaar.xml", user=users["treasurer"]
    )
    bank_import.job_run(job=job, user=users["treasurer"])

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.message
    assert BankLine.objects.count() == 20
    too_big = io.BytesIO(b" " * (bank_import.MAX_BYTES + 1))
    with pytest.raises(ValidationError, match="groter dan 64 MB"):
        bank_import.job_create(data=too_big, filename="x.xml", user=users["treasurer"])


# --- the import page and the command --------------------------------------------------------


def test_import_page_asks_about_overlap_and_follows_the_choice(
    bank, users, client_as, group_a, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import group_path

    settings.BANK_IMPORT_INLINE = True
    lines = samples.sample_lines(12, seed=51)
    run(samples.camt053_document(lines), users["treasurer"], "maart.xml")
    client = client_as("treasurer")

    # given: the same transactions as an ING CSV
    response = client.post(
        group_path(group_a, "financien/bank/inlezen/"),
        {"file": SimpleUploadedFile("maart.csv", samples.ing_csv_document(lines))},
    )
    job_url = response["Location"]
    page = client.get(job_url).content.decode()

    # then: nothing is added yet and the page asks, in plain Dutch, with examples
    assert "Staan deze regels er al?" in page and "12 regels in dit bestand" in page
    assert 'type="radio"' in page and "maart.xml" in page and "<legend>" in page
    assert 'hx-trigger="every 1s"' not in page  # it waits for the treasurer, not the server
    assert BankLine.objects.count() == 12
    job = ImportJob.objects.get(original_name="maart.csv")
    assert job.status == ImportJob.Status.ASK

    # when: skipping the doubles
    answer = client.post(job_url + "keuze/", {"choice": "skip"})
    assert answer.status_code == 302
    page = client.get(job_url).content.decode()
    assert "12 regels stonden er al uit een bestand in een ander formaat" in page
    assert BankLine.objects.count() == 12
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.overlap_choice == "skip"
    assert client.post(job_url + "keuze/", {"choice": "add"}).status_code == 302
    assert BankLine.objects.count() == 12  # a finished job asks nothing any more


def test_cancelled_overlap_question_writes_nothing_and_removes_the_upload(
    bank, users, client_as, group_a, settings, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import group_path

    settings.BANK_IMPORT_INLINE = True
    lines = samples.sample_lines(5, seed=52)
    run(samples.camt053_document(lines), users["treasurer"], "a.xml")
    client = client_as("treasurer")
    response = client.post(
        group_path(group_a, "financien/bank/inlezen/"),
        {"file": SimpleUploadedFile("a.csv", samples.ing_csv_document(lines))},
    )
    job = ImportJob.objects.get(original_name="a.csv")
    assert default_storage.exists(job.file)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"] + "keuze/", {"choice": "cancel"})

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "Niet ingelezen" in job.message
    assert not default_storage.exists(job.file)
    assert BankLine.objects.count() == 5


def test_only_the_treasurer_answers_an_overlap_question(bank, users):
    from django.core.exceptions import PermissionDenied

    lines = samples.sample_lines(5, seed=53)
    run(samples.camt053_document(lines), users["treasurer"], "a.xml")
    job = bank_import.job_create(
        data=samples.ing_csv_document(lines), filename="a.csv", user=users["treasurer"]
    )
    bank_import.job_run(job=job, user=users["treasurer"])

    with pytest.raises(PermissionDenied):
        bank_import.job_answer(job=job, user=users["chair"], choice="add")
    with pytest.raises(ValidationError):
        bank_import.job_answer(job=job, user=users["treasurer"], choice="misschien")


def test_command_asks_about_overlap_and_takes_a_flag(bank, users, group_a, tmp_path, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    lines = samples.sample_lines(8, seed=54)
    (tmp_path / "a.xml").write_bytes(samples.camt053_document(lines))
    (tmp_path / "a.csv").write_bytes(samples.ing_csv_document(lines))
    call_command("import_statement", "--group", group_a.slug, str(tmp_path / "a.xml"))

    with pytest.raises(CommandError, match="--overlap skip"):
        call_command("import_statement", "--group", group_a.slug, str(tmp_path / "a.csv"))
    call_command(
        "import_statement", "--group", group_a.slug, "--overlap", "skip", str(tmp_path / "a.csv")
    )

    assert "8 regels stonden er al" in capsys.readouterr().out
    assert BankLine.objects.count() == 8


def test_command_refuses_a_too_big_file_before_reading_it(bank, users, group_a, tmp_path):
    import tracemalloc

    from django.core.management import call_command
    from django.core.management.base import CommandError

    big = tmp_path / "jaar.xml"
    with big.open("wb") as handle:  # sparse: 200 MB on paper, nothing on disk
        handle.truncate(200 * 1024 * 1024)

    tracemalloc.start()
    try:
        with pytest.raises(CommandError, match="groter dan 64 MB"):
            call_command("import_statement", "--group", group_a.slug, str(big))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert peak < 5 * 1024 * 1024
    nothing_written()


def test_nul_in_a_query_string_is_a_clear_400_never_a_server_error(world, client_as):
    from tests.conftest import group_path
    from tests.tenants.test_isolation import ALL

    client = client_as("treasurer")
    client.raise_request_exception = False
    query = "?status=%00&q=%00&pagina=%00&alle=%00&jaar=%00"
    paths = [
        "/" + reverse(name, kwargs={"group_slug": world.group_a.slug}).lstrip("/")
        for name, _callback, converters in ALL
        if not converters
    ]
    for path in [*paths, "/", "/api/", group_path(world.group_a, "financien/declaraties/")]:
        response = client.get(path + query)
        assert response.status_code == 400, path
    page = client.get(group_path(world.group_a, "financien/declaraties/") + query)
    assert "ongeldig teken" in page.content.decode()
    assert client.get("/api/groups/?search=%00")["Content-Type"] == "application/problem+json"


def test_line_and_statement_pages_show_batch_parts_reversal_and_notes(
    books, users, client_as, group_a
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import group_path

    rabo = add_account(users, "NL81RABO0312345678", "Rabo")
    savings = add_account(users, "NL74RABO0398765432", "Rabo spaar")
    add_account(users, "NL18TRIO0391234567", "Triodos")
    run(read("camt053_rabobank_two_accounts.xml"), users["treasurer"])
    notes = run(read("camt053_othr_id_no_closing.xml"), users["treasurer"]).statement
    client = client_as("audit")

    reversal = savings.lines.get(is_reversal=True)
    with CaptureQueriesContext(connection) as plain:
        reversal_page = client.get(group_path(group_a, f"financien/bank/regels/{reversal.pk}/"))
    batch_line = rabo.lines.get()
    with CaptureQueriesContext(connection) as parts:
        batch = client.get(group_path(group_a, f"financien/bank/regels/{batch_line.pk}/"))
    listing = client.get(group_path(group_a, "financien/bank/regels/"))
    statement = client.get(group_path(group_a, f"financien/bank/afschriften/{notes.pk}/"))

    text = batch.content.decode()
    assert "Verzamelboeking: de betalingen erin" in text
    assert "P. Jansen" in text and "Voorschot boodschappen buurtmaaltijd" in text
    assert "De bank meldt deze regel als terugboeking" in reversal_page.content.decode()
    assert "terugboeking</span>" in listing.content.decode()
    assert "geen eindsaldo (CLBD)" in statement.content.decode()
    assert len(parts) <= len(plain) + 1  # three parts, one query
