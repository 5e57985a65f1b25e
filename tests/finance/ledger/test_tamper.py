"""Tamper evidence: raw edits made behind the triggers' back are found by verify_ledger.

An attacker with database rights can switch the triggers off (ALTER TABLE ... DISABLE
TRIGGER); the hash chain still names the first entry whose content no longer matches.
"""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from finance.ledger.models import JournalEntry
from tests.finance.conftest import expense, journal, raw


@pytest.fixture
def ledger_of_four(books, users):
    t = users["treasurer"]
    entries = [
        expense(t, "12.50", day=date(2026, 1, 5), description="Koffie"),
        journal(
            t,
            day=date(2026, 1, 6),
            lines=[("4100", "7.25", "0"), ("4200", "2.75", "0"), ("1000", "0", "10.00")],
        ),
        expense(t, "30.00", day=date(2026, 1, 7), code="4300", description="Zaalhuur"),
        expense(t, "5.00", day=date(2026, 1, 8), description="Thee"),
    ]
    return [JournalEntry.objects.get(pk=e.pk) for e in entries]


TABLES = ("finance_journalentry", "finance_journalline", "finance_account")


def _tamper(sql, params):
    raw("SET CONSTRAINTS ALL IMMEDIATE")  # settle the postings' pending balance checks
    for table in TABLES:
        raw(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    raw(sql, params)
    for table in TABLES:
        raw(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def _verify(group):
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("verify_ledger", group=group.slug, stdout=out, stderr=err)
    return str(exc.value) + err.getvalue()


def test_untouched_ledger_verifies(ledger_of_four, group_a):
    out = StringIO()
    call_command("verify_ledger", group=group_a.slug, stdout=out)
    assert "in orde: k-buurt" in out.getvalue()


@pytest.mark.parametrize(
    "what, sql",
    [
        (
            "amount",
            "UPDATE finance_journalline SET debit = 13.50 WHERE entry_id = %s AND debit > 0",
        ),
        ("date", "UPDATE finance_journalentry SET date = '2026-01-02' WHERE id = %s"),
        (
            "line_not_last",
            "UPDATE finance_journalline SET debit = 8.25 WHERE entry_id = %s AND line_no = 1",
        ),
        (
            "account_code",
            "UPDATE finance_journalline SET account_id = (SELECT id FROM finance_account "
            "WHERE code = '4500') WHERE entry_id = %s AND line_no = 1",
        ),
        ("stored_hash", "UPDATE finance_journalentry SET hash = repeat('a', 64) WHERE id = %s"),
    ],
)
def test_raw_sql_tampering_is_detected_and_names_the_entry(ledger_of_four, group_a, what, sql):
    # given: the second entry (a three-line journal entry) is edited behind the triggers' back
    target = ledger_of_four[1]
    _tamper(sql, [target.pk])
    # when
    message = _verify(group_a)
    # then: the first entry that no longer matches is named, not a later one
    assert f"Boeking 2026-0002 (id {target.pk})" in message, message
    assert "NIET IN ORDE: k-buurt" in message


def test_renaming_an_account_code_is_detected(ledger_of_four, group_a):
    _tamper("UPDATE finance_account SET code = '4999' WHERE code = '4300'", [])
    assert f"(id {ledger_of_four[2].pk})" in _verify(group_a)


def test_deleting_the_last_entry_is_detected(ledger_of_four, group_a):
    last = ledger_of_four[-1]
    _tamper("DELETE FROM finance_journalline WHERE entry_id = %s", [last.pk])
    _tamper("DELETE FROM finance_journalentry WHERE id = %s", [last.pk])
    assert "ontbreken geboekte boekingen" in _verify(group_a)


def test_other_group_is_not_affected(ledger_of_four, group_b):
    out = StringIO()
    call_command("verify_ledger", group=group_b.slug, stdout=out)
    assert "in orde: slotermeer" in out.getvalue()


def test_command_exits_non_zero_for_a_shell(ledger_of_four, group_a):
    # CommandError from call_command becomes exit status 1 when run as manage.py
    from django.core.management import ManagementUtility

    _tamper(
        "UPDATE finance_journalentry SET description = 'x' WHERE id = %s", [ledger_of_four[0].pk]
    )
    with pytest.raises(SystemExit) as exc:
        ManagementUtility(["manage.py", "verify_ledger", "--group", group_a.slug]).execute()
    assert exc.value.code == 1
