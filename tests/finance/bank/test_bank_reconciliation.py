"""Reconciliation: automatic and manual matching, booking to a category, guards, pages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction

from finance.bank import importing as bank_import
from finance.bank import reconciliation
from finance.bank.formats import samples
from finance.bank.models import BankLine, Statement
from finance.grants import services as grant_services
from finance.grants.models import Tranche
from finance.ledger.models import Account, JournalEntry
from tests.conftest import group_path
from tests.finance.conftest import journal

GEMEENTE = samples.COUNTERPARTIES[0][1]


@pytest.fixture
def bank(books, users):
    return bank_import.bank_account_create(
        user=users["treasurer"],
        iban=samples.ACCOUNT_IBAN,
        name="ING",
        holder="K-buurt",
        ledger_account=Account.objects.get(role="bank"),
    )


def line(day, amount, description, iban="", ref=""):
    return samples.SampleLine(day, day, Decimal(amount), "Tegenpartij", iban, description, ref)


def load(users, lines):
    return bank_import.import_statement(
        data=samples.camt053_document(lines), filename="s.xml", user=users["treasurer"]
    )


def test_tranche_draft_and_category_booking(bank, users):
    treasurer = users["treasurer"]
    grant = grant_services.grant_create(
        user=treasurer,
        funder="Stadsdeel",
        reference="SZO-2026-7",
        title="Buurtbudget",
        amount=Decimal("5000.00"),
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
    )
    tranche = grant_services.tranche_create(
        grant=grant, user=treasurer, expected_on=dt.date(2026, 2, 1), amount=Decimal("3000.00")
    )
    draft = journal(
        users["secretary"],
        day=dt.date(2026, 2, 10),
        lines=[("4300", "75.00", "0"), ("1100", "0", "75.00")],
        post=False,
        description="Zaalhuur",
    )
    load(
        users,
        [
            line(dt.date(2026, 2, 3), "3000.00", "Subsidie SZO-2026-7 termijn 1", GEMEENTE, "R1"),
            line(dt.date(2026, 2, 11), "-75.00", "Huur zaal februari", "", "R2"),
            line(dt.date(2026, 2, 12), "-9.50", "Kosten betaalrekening", "", "R3"),
        ],
    )
    # when: automatic matching runs
    assert reconciliation.auto_match(user=treasurer) == 1  # only the certain one
    tranche.refresh_from_db()
    assert tranche.received_entry.is_posted
    assert BankLine.objects.get(bank_reference="R1").entry == tranche.received_entry
    # the draft is only a suggestion (amount and date, no IBAN or reference)
    zaal = BankLine.objects.get(bank_reference="R2")
    [suggestion] = reconciliation.suggestions(line=zaal)
    assert suggestion.item.kind == "boeking" and suggestion.item.pk == draft.pk
    reconciliation.match_line(line=zaal, user=treasurer, kind="boeking", pk=draft.pk)
    draft.refresh_from_db()
    assert draft.is_posted and BankLine.objects.get(pk=zaal.pk).entry == draft
    # booking straight to a category creates and posts an entry
    costs = BankLine.objects.get(bank_reference="R3")
    entry = reconciliation.book_line(
        line=costs, user=treasurer, category=Account.objects.get(code="4900")
    )
    assert entry.is_posted and entry.kind == JournalEntry.Kind.EXPENSE
    assert BankLine.objects.filter(reconciled_at__isnull=True).count() == 0
    assert BankLine.history.get(id=costs.pk).history_user_id == treasurer.pk
    assert Tranche.history.filter(id=tranche.pk).first().received_entry_id


def test_wrong_amount_is_refused_and_nothing_changes(bank, users):
    draft = journal(
        users["treasurer"], post=False, lines=[("4100", "10.00", "0"), ("1100", "0", "10.00")]
    )
    load(users, [line(dt.date(2026, 3, 1), "-11.00", "x", ref="Q")])
    bank_line = BankLine.objects.get()
    with pytest.raises(Exception, match="verschilt"):
        reconciliation.match_line(
            line=bank_line, user=users["treasurer"], kind="boeking", pk=draft.pk
        )
    draft.refresh_from_db()
    assert not draft.is_posted and not BankLine.objects.get().is_reconciled


def test_database_keeps_imported_lines_as_the_bank_said(bank, users):
    load(users, [line(dt.date(2026, 3, 1), "-11.00", "x", ref="Q")])
    with pytest.raises(Exception, match="ingelezen"), transaction.atomic():
        BankLine.objects.update(amount=Decimal("-1.00"))


def test_bank_pages_for_treasurer_and_readers(
    bank, users, client_as, group_a, settings, django_assert_max_num_queries
):
    settings.BANK_IMPORT_INLINE = True
    client = client_as("treasurer")
    upload = SimpleUploadedFile("jan.xml", samples.build_camt053(30, seed=8))
    response = client.post(group_path(group_a, "financien/bank/inlezen/"), {"file": upload})
    assert response.status_code == 302
    job_page = client.get(response["Location"]).content.decode()
    assert "30 nieuwe regels ingelezen" in job_page
    statement = Statement.objects.get()
    page = client_as("audit").get(
        group_path(group_a, f"financien/bank/afschriften/{statement.pk}/")
    )
    assert statement.sha256 in page.content.decode()
    download = client_as("audit").get(
        group_path(group_a, f"financien/bank/afschriften/{statement.pk}/bestand/")
    )
    assert b"".join(download.streaming_content) == samples.build_camt053(30, seed=8)
    # flat: the best suggestion per line costs the open items once (4 queries, each with its
    # search_path), whatever the number of lines
    with django_assert_max_num_queries(22):
        listing = client.get(group_path(group_a, "financien/bank/regels/"))
    assert listing.status_code == 200 and "dagen" in listing.content.decode()
    dashboard = client.get(group_path(group_a, "financien/")).content.decode()
    assert "bank/dashboard/" in dashboard  # the block is loaded by htmx
    block = client.get(group_path(group_a, "financien/bank/dashboard/")).content.decode()
    assert "30 bankregels nog niet gekoppeld" in block
    assert client_as("chair").get(group_path(group_a, "financien/bank/inlezen/")).status_code == 403


def test_failed_upload_page_names_the_line(bank, users, client_as, group_a, settings):
    settings.BANK_IMPORT_INLINE = True
    data = samples.build_csv(20, seed=3).replace(b'"Af";"', b'"Af";"1x', 1)
    client = client_as("treasurer")
    response = client.post(
        group_path(group_a, "financien/bank/inlezen/"), {"file": SimpleUploadedFile("a.csv", data)}
    )
    page = client.get(response["Location"]).content.decode()
    assert "niet ingelezen" in page and "Regel" in page
    assert BankLine.objects.count() == 0


def test_import_command(bank, users, group_a, tmp_path, capsys):
    path = tmp_path / "afschrift.xml"
    path.write_bytes(samples.build_camt053(7, seed=4))
    call_command("import_statement", "--group", group_a.slug, str(path))
    assert "7 nieuwe regels" in capsys.readouterr().out
    from django.core.management.base import CommandError

    path.write_bytes(b"")
    with pytest.raises(CommandError, match="leeg"):
        call_command("import_statement", "--group", group_a.slug, str(path))
