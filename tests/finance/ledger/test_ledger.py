"""The ledger's rules, through the services and through PostgreSQL itself."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from finance.closing import services as closing_services
from finance.closing.models import PeriodEvent
from finance.ledger import chain as ledger_chain
from finance.ledger import postings
from finance.ledger import services as ledger_services
from finance.ledger.models import FinancialYear, JournalEntry, JournalLine, LedgerState
from finance.ledger.postings import LineInput
from tests.finance.conftest import acc, expense, journal, raw


def test_default_chart_is_cloned_into_a_new_group(books):
    assert acc("1100").rgs_code == "BLimBanRba"
    assert acc("1000").is_cash and acc("1100").is_cash
    assert acc("4300").name == "Huur ruimte"
    assert LedgerState.objects.get().last_sequence == 0


def test_guard_triggers_live_in_the_group_schema(books):
    rows = raw(
        """SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                  WHERE n.nspname = %s AND p.proname LIKE 'finance_%%' ORDER BY 1""",
        [connection.schema_name],
    )
    assert {
        "finance_account_guard",
        "finance_entry_balanced",
        "finance_entry_guard",
        "finance_line_guard",
        "finance_year_guard",
    } <= {r[0] for r in rows}


def test_treasurer_expense_is_posted_with_number_history_and_chain(books, users):
    entry = expense(users["treasurer"], "12.50")
    entry.refresh_from_db()
    assert entry.status == JournalEntry.Status.POSTED
    assert entry.number == 1 and entry.sequence == 1
    assert entry.prev_hash == "0" * 64 and len(entry.hash) == 64
    lines = list(entry.lines.order_by("line_no"))
    assert [(x.account.code, x.debit, x.credit) for x in lines] == [
        ("4000", Decimal("12.50"), Decimal("0.00")),
        ("1100", Decimal("0.00"), Decimal("12.50")),
    ]
    # history: created as draft, then posted, by the treasurer
    types = list(
        entry.history.order_by("history_id").values_list(
            "history_type", "status", "history_user_id"
        )
    )
    assert types == [
        ("+", "concept", users["treasurer"].pk),
        ("~", "geboekt", users["treasurer"].pk),
    ]
    assert JournalLine.history.filter(entry_id=entry.pk).count() == 2
    assert ledger_chain.verify_chain() is None


def test_numbers_are_gap_free_per_year_and_restart_each_year(books, users):
    t = users["treasurer"]
    numbers = [
        expense(t, day=date(2025, 12, 30)).number,
        expense(t, day=date(2026, 1, 2)).number,
        expense(t, day=date(2025, 12, 31)).number,
        expense(t, day=date(2026, 1, 3)).number,
    ]
    assert numbers == [1, 1, 2, 2]
    assert FinancialYear.objects.get(year=2025).last_number == 2


def test_secretary_records_a_draft_that_only_the_treasurer_may_post(books, users):
    entry = expense(users["secretary"], "20.00")
    assert entry.status == JournalEntry.Status.DRAFT and entry.number is None
    with pytest.raises(PermissionDenied, match="Alleen de penningmeester"):
        ledger_services.entry_post(entry=entry, user=users["chair"])
    ledger_services.entry_post(entry=entry, user=users["treasurer"])
    entry.refresh_from_db()
    assert entry.is_posted and entry.posted_by_id == users["treasurer"].pk


@pytest.mark.parametrize("who", ["member", "audit"])
def test_non_board_cannot_record(books, users, who):
    with pytest.raises(PermissionDenied):
        expense(users[who])
    assert not JournalEntry.objects.exists()


@pytest.mark.parametrize(
    "lines, message",
    [
        ([("4100", "10.00", "0"), ("1000", "0", "9.99")], "niet in evenwicht"),
        ([("4100", "10.00", "0")], "minstens twee regels"),
        ([("4100", "0", "0"), ("1000", "0", "0")], "groter dan nul"),
        ([("4100", "-5.00", "0"), ("1000", "0", "-5.00")], "niet negatief"),
        ([("4100", "10.005", "0"), ("1000", "0", "10.005")], "twee cijfers achter de komma"),
        ([("4100", "10.00", "10.00"), ("1000", "10.00", "10.00")], "óf een debetbedrag"),
    ],
)
def test_bad_entries_are_refused_in_dutch_and_nothing_is_written(books, users, lines, message):
    with pytest.raises(ValidationError, match=message):
        journal(users["treasurer"], lines=lines)
    assert not JournalEntry.objects.exists() and not JournalLine.objects.exists()
    assert LedgerState.objects.get().last_sequence == 0


def test_expense_with_three_decimals_is_refused_not_rounded(books, users):
    with pytest.raises(ValidationError, match="twee cijfers"):
        expense(users["treasurer"], "3.333")
    with pytest.raises(ValidationError, match="groter zijn dan nul"):
        expense(users["treasurer"], "0")
    assert not JournalEntry.objects.exists()


def test_posted_entry_cannot_be_changed_through_the_orm(books, users):
    entry = expense(users["treasurer"])
    entry.description = "Iets anders"
    with pytest.raises(DatabaseError, match="kan niet meer worden gewijzigd"), transaction.atomic():
        entry.save()
    line = entry.lines.first()
    line.debit = Decimal("99.00")
    with (
        pytest.raises(DatabaseError, match="Regels van een geboekte boeking"),
        transaction.atomic(),
    ):
        line.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        JournalEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(ValidationError, match="al geboekt"):
        ledger_services.entry_update_draft(
            entry=entry,
            date=entry.date,
            description="x",
            user=users["treasurer"],
            lines=[
                LineInput(account=acc("4000"), debit=Decimal(1)),
                LineInput(account=acc("1100"), credit=Decimal(1)),
            ],
        )
    entry.refresh_from_db()
    assert entry.description == "Koffie" and ledger_chain.verify_chain() is None


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE finance_journalentry SET description = 'x' WHERE id = %s",
        "UPDATE finance_journalentry SET date = date + 1 WHERE id = %s",
        "DELETE FROM finance_journalentry WHERE id = %s",
        "UPDATE finance_journalline SET debit = debit + 1 WHERE entry_id = %s",
        "DELETE FROM finance_journalline WHERE entry_id = %s",
        "INSERT INTO finance_journalline "
        "(entry_id, line_no, account_id, debit, credit, description) "
        "SELECT %s, 9, id, 1, 0, '' FROM finance_account WHERE code = '4000'",
    ],
)
def test_posted_entry_cannot_be_changed_through_raw_sql(books, users, sql):
    entry = expense(users["treasurer"])
    with pytest.raises(DatabaseError, match="geboekt"), transaction.atomic():
        raw(sql, [entry.pk])


def test_database_refuses_to_post_an_unbalanced_entry(books, users):
    draft = journal(users["treasurer"], post=False)
    raw("UPDATE finance_journalline SET debit = 11 WHERE entry_id = %s AND line_no = 1", [draft.pk])
    with pytest.raises(DatabaseError, match="niet in evenwicht"), transaction.atomic():
        raw(
            "UPDATE finance_journalentry SET status = 'geboekt', number = 1, sequence = 1, "
            "posted_at = now(), hash = 'x' WHERE id = %s",
            [draft.pk],
        )
        raw("SET CONSTRAINTS ALL IMMEDIATE")
    # and the service says it in Dutch before the database has to
    with pytest.raises(ValidationError, match="niet in evenwicht"):
        ledger_services.entry_post(entry=draft, user=users["treasurer"])


def test_reversal_is_a_new_posted_mirror_entry(books, users):
    t = users["treasurer"]
    entry = expense(t, "40.00")
    reversal = ledger_services.entry_reverse(
        entry=entry, user=t, date=date(2026, 3, 5), reason="dubbel"
    )
    assert reversal.is_posted and reversal.reverses_id == entry.pk and reversal.number == 2
    assert [(x.account.code, x.debit, x.credit) for x in reversal.lines.order_by("line_no")] == [
        ("4000", Decimal("0.00"), Decimal("40.00")),
        ("1100", Decimal("40.00"), Decimal("0.00")),
    ]
    with pytest.raises(ValidationError, match="al gecorrigeerd"):
        ledger_services.entry_reverse(entry=entry, user=t)
    assert ledger_chain.verify_chain() is None


def test_closed_year_refuses_postings_also_backdated_and_in_the_database(books, users):
    t = users["treasurer"]
    expense(t, day=date(2025, 6, 1))
    draft = expense(users["secretary"], day=date(2025, 7, 1))
    with pytest.raises(ValidationError, match="conceptboeking"):
        closing_services.year_close(year=FinancialYear.objects.get(year=2025), user=t)
    ledger_services.entry_delete_draft(entry=draft, user=t)
    year = closing_services.year_close(year=FinancialYear.objects.get(year=2025), user=t)
    assert PeriodEvent.objects.filter(year=year, kind="gesloten", actor_id=t.pk).exists()
    assert year.history.first().status == "gesloten"
    with pytest.raises(ValidationError, match="Boekjaar 2025 is afgesloten"):
        expense(t, day=date(2025, 3, 1))
    with pytest.raises(ValidationError, match="afgesloten"):
        expense(users["secretary"], day=date(2025, 3, 1))
    # the database refuses too: posting a draft dated in the closed year behind the service's back
    open_draft = expense(users["secretary"], day=date(2026, 1, 5))
    with pytest.raises(DatabaseError, match="afgesloten"), transaction.atomic():
        raw(
            "UPDATE finance_journalentry SET date = '2025-03-01', year_id = %s WHERE id = %s",
            [year.pk, open_draft.pk],
        )
        raw(
            "UPDATE finance_journalentry SET status = 'geboekt', number = 9, sequence = 9, "
            "posted_at = now(), hash = 'x' WHERE id = %s",
            [open_draft.pk],
        )


def test_reopening_needs_treasurer_and_chair_as_two_people(books, users):
    t, chair = users["treasurer"], users["chair"]
    expense(t, day=date(2025, 6, 1))
    year = closing_services.year_close(year=FinancialYear.objects.get(year=2025), user=t)
    with pytest.raises(PermissionDenied):
        closing_services.year_reopen_request(year=year, user=users["secretary"], reason="fout")
    request = closing_services.year_reopen_request(year=year, user=t, reason="Bonnetje vergeten")
    with pytest.raises(ValidationError, match="al goedgekeurd"):
        closing_services.year_reopen_approve(request=request, user=t)
    year.refresh_from_db()
    assert year.is_closed
    # the database refuses a reopening without both approvals
    with pytest.raises(DatabaseError, match="penningmeester en voorzitter"), transaction.atomic():
        raw("UPDATE finance_financialyear SET status = 'open' WHERE id = %s", [year.pk])
    closing_services.year_reopen_approve(request=request, user=chair)
    year.refresh_from_db()
    assert not year.is_closed
    kinds = list(PeriodEvent.objects.filter(year=year).values_list("kind", "actor_id"))
    assert kinds == [
        ("gesloten", t.pk),
        ("heropenen_gevraagd", t.pk),
        ("heropenen_goedgekeurd", chair.pk),
        ("heropend", chair.pk),
    ]
    expense(t, day=date(2025, 6, 2))  # booking works again


def test_account_code_is_frozen_once_used(books, users):
    expense(users["treasurer"], code="4200")
    with pytest.raises(ValidationError, match="liggen vast"):
        ledger_services.account_update(account=acc("4200"), user=users["treasurer"], code="4201")
    with pytest.raises(DatabaseError, match="liggen vast"), transaction.atomic():
        raw("UPDATE finance_account SET code = '4201' WHERE code = '4200'")
    ledger_services.account_update(
        account=acc("4200"), user=users["treasurer"], name="PR en folders"
    )
    assert acc("4200").history.first().name == "PR en folders"


def test_batch_posting_numbers_chains_and_records_history(books, users):
    drafts = [journal(users["secretary"], day=date(2026, 2, d), post=False) for d in (3, 1, 2)]
    with pytest.raises(PermissionDenied):
        ledger_services.entries_post(entries=drafts, user=users["chair"])
    posted = ledger_services.entries_post(entries=drafts, user=users["treasurer"])
    assert [e.number for e in posted] == [1, 2, 3]  # in the order given
    for entry in drafts:
        entry.refresh_from_db()
        assert entry.is_posted
        assert (
            entry.history.order_by("-history_id").first().history_user_id == users["treasurer"].pk
        )
    assert ledger_chain.verify_chain() is None
    assert LedgerState.objects.get().last_sequence == 3


def test_batch_create_refuses_everything_when_one_entry_is_bad(books, users):
    good = postings.EntryInput(
        date=date(2026, 1, 5),
        description="Goed",
        lines=[
            LineInput(account=acc("4000"), debit=Decimal("5.00")),
            LineInput(account=acc("1100"), credit=Decimal("5.00")),
        ],
    )
    bad = postings.EntryInput(
        date=date(2026, 1, 6),
        description="Fout",
        lines=[
            LineInput(account=acc("4000"), debit=Decimal("5.00")),
            LineInput(account=acc("1100"), credit=Decimal("4.00")),
        ],
    )
    with pytest.raises(ValidationError, match="niet in evenwicht"):
        ledger_services.entries_create(entries=[good, bad], user=users["treasurer"], post=True)
    assert not JournalEntry.objects.exists()
    created = ledger_services.entries_create(
        entries=[good, good], user=users["treasurer"], post=True
    )
    assert [e.number for e in created] == [1, 2]
    assert JournalLine.history.count() == 4 and ledger_chain.verify_chain() is None


def test_batch_create_and_post_writes_the_same_history_as_one_by_one(books, users):
    """The batch path writes history rows with SQL; they must read like simple_history's."""
    t = users["treasurer"]
    spec = postings.EntryInput(
        date=date(2026, 1, 5),
        description='Koffie "groot" \\ klein',
        kind=JournalEntry.Kind.EXPENSE,
        lines=[
            LineInput(account=acc("4000"), debit=Decimal("5.00"), description="bonnetje"),
            LineInput(account=acc("1100"), credit=Decimal("5.00")),
        ],
    )
    first, second = ledger_services.entries_create(entries=[spec, spec], user=t, post=True)
    for entry in (first, second):
        entry.refresh_from_db()
        rows = list(
            entry.history.order_by("history_id").values_list(
                "history_type", "status", "number", "hash", "history_user_id", "description"
            )
        )
        assert rows == [
            ("+", "concept", None, "", t.pk, 'Koffie "groot" \\ klein'),
            ("~", "geboekt", entry.number, entry.hash, t.pk, 'Koffie "groot" \\ klein'),
        ]
        created, posted = entry.history.order_by("history_id")
        assert created.history_date <= posted.history_date
        assert posted.instance.posted_at == entry.posted_at
        lines = JournalLine.history.filter(entry_id=entry.pk).order_by("history_id")
        assert [(h.history_type, h.line_no, h.debit, h.description) for h in lines] == [
            ("+", 1, Decimal("5.00"), "bonnetje"),
            ("+", 2, Decimal("0.00"), ""),
        ]
        assert {h.history_user_id for h in lines} == {t.pk}
    assert [first.number, second.number] == [1, 2]
    assert ledger_chain.verify_chain() is None
