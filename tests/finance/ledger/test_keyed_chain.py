"""The hash chain is keyed, covers every field, and is anchored (issue 14, point 19).

Someone with database access but without the key (settings.LEDGER_CHAIN_KEY, from the
environment) can no longer recompute the chain after a change, and cutting its tail or
wiping the books is found through the anchors written at sign-offs and closes.
"""

from datetime import date
from importlib import import_module

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

from finance.ledger import chain
from finance.ledger import services as ledger_services
from finance.ledger.models import ChainAnchor, FinancialYear, JournalEntry, JournalLine
from tests.finance.conftest import raw
from tests.finance.ledger.test_tamper import _tamper, _verify, ledger_of_four  # noqa: F401

__all__ = ["ledger_of_four"]

NOT_HASHED = {"hash", "prev_hash"}  # the result, and what is hashed in front of the payload


def _anchor(user, kind=ChainAnchor.Kind.SIGNOFF):
    return ledger_services.chain_anchor(
        kind=kind, year=FinancialYear.objects.get(year=2026), user=user
    )


def test_the_fingerprint_covers_every_field_of_an_entry_and_its_lines():
    entry_fields = {f.attname for f in JournalEntry._meta.concrete_fields} - NOT_HASHED
    line_fields = {f.attname for f in JournalLine._meta.concrete_fields}
    assert entry_fields <= set(chain.ENTRY_FIELDS)
    assert line_fields <= set(chain.LINE_FIELDS)


ENTRY_EDITS = {
    "number": "number = 99",
    "date": "date = '2026-01-09'",
    "description": "description = 'Koffie en thee'",
    "kind": "kind = 'uitgave'",
    "created_by_id": "created_by_id = created_by_id + 1",
    "created_at": "created_at = created_at - interval '1 day'",
    "posted_by_id": "posted_by_id = posted_by_id + 1",
    "posted_at": "posted_at = posted_at + interval '1 second'",
    "origin_kind": "origin_kind = 'bankregel'",
    "origin_id": "origin_id = 12",
    "period_exception": "period_exception = 'achteraf verzonnen'",
    "year_id": "year_id = (SELECT id FROM finance_financialyear WHERE year = 2027)",
    "reverses_id": "reverses_id = (SELECT min(id) FROM finance_journalentry)",
}
LINE_EDITS = {
    "line_no": "line_no = line_no + 10",
    "description": "description = 'iets anders'",
    "grant_id": "grant_id = (SELECT min(id) FROM finance_grant)",
    "budget_line_id": "budget_line_id = (SELECT min(id) FROM finance_budgetline)",
}


@pytest.fixture
def grant_and_year(ledger_of_four, users):
    from decimal import Decimal

    from finance.grants import services as grant_services
    from tests.finance.conftest import acc

    ledger_services.year_create(user=users["treasurer"], year=2027)
    grant = grant_services.grant_create(
        user=users["treasurer"],
        funder="Stadsdeel",
        reference="G-1",
        title="Buurtbudget",
        amount=Decimal("100.00"),
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    grant_services.budget_line_create(
        grant=grant, user=users["treasurer"], account=acc("4500"), description="X", amount=1
    )
    return ledger_of_four


@pytest.mark.parametrize("field", sorted(ENTRY_EDITS))
def test_a_change_to_any_field_of_an_entry_is_found(grant_and_year, group_a, field):
    target = grant_and_year[1]
    _tamper(f"UPDATE finance_journalentry SET {ENTRY_EDITS[field]} WHERE id = %s", [target.pk])
    assert f"(id {target.pk})" in _verify(group_a)


@pytest.mark.parametrize("field", sorted(LINE_EDITS))
def test_a_change_to_any_field_of_a_line_is_found(grant_and_year, group_a, field):
    target = grant_and_year[1]
    _tamper(
        f"UPDATE finance_journalline SET {LINE_EDITS[field]} WHERE entry_id = %s AND line_no = 1",
        [target.pk],
    )
    assert f"(id {target.pk})" in _verify(group_a)


def _recompute_from(entries, key):
    """What a forger with database access does: change, then fingerprint everything again
    with the published rule and the key they guess."""
    with override_settings(LEDGER_CHAIN_KEY=key):
        prev = chain.GENESIS
        for entry in entries:
            entry = JournalEntry.objects.select_related("year").get(pk=entry.pk)
            rows = list(
                JournalLine.objects.filter(entry=entry)
                .order_by("line_no")
                .values(*chain.LINE_FIELDS)
            )
            digest = chain.entry_digest(prev, chain.entry_payload(entry, entry.year.year, rows))
            _tamper(
                "UPDATE finance_journalentry SET prev_hash = %s, hash = %s WHERE id = %s",
                [prev, digest, entry.pk],
            )
            prev = digest
    raw("UPDATE finance_ledgerstate SET last_hash = %s WHERE id = 1", [prev])


def test_a_changed_amount_with_the_chain_recomputed_without_the_key_is_found(
    ledger_of_four, group_a
):
    # given: the forger raises an amount and fingerprints every entry again
    target = ledger_of_four[1]
    _tamper(
        "UPDATE finance_journalline SET debit = debit + 100 WHERE entry_id = %s AND line_no = 1",
        [target.pk],
    )
    _tamper(
        "UPDATE finance_journalline SET credit = credit + 100 WHERE entry_id = %s AND line_no = 3",
        [target.pk],
    )
    _recompute_from(ledger_of_four, key="")
    # then: without the installation's key the first recomputed entry does not match
    message = _verify(group_a)
    assert f"(id {ledger_of_four[0].pk})" in message, message


def test_an_appended_entry_with_a_recomputed_hash_is_found(ledger_of_four, group_a, users):
    # given: a fifth entry posted, then fingerprinted again by someone without the key
    from tests.finance.conftest import expense

    fifth = expense(users["treasurer"], "99.00", day=date(2026, 1, 9), description="Vals")
    _recompute_from([*ledger_of_four, fifth], key="geraden")
    assert "(id " in _verify(group_a)


def test_the_same_key_verifies_and_another_key_does_not(ledger_of_four, group_a, settings):
    assert chain.verify_chain() is None
    settings.LEDGER_CHAIN_KEY = "een andere sleutel"
    assert f"(id {ledger_of_four[0].pk})" in _verify(group_a)


def test_a_cut_tail_is_found_through_the_anchor(ledger_of_four, group_a, users):
    # given: the kascommissie signed with four entries; later the last two are removed and
    # the head set back, so the remaining chain is consistent in itself
    anchor = _anchor(users["audit"])
    assert anchor.sequence == 4 and anchor.head_hash == ledger_of_four[-1].hash
    second = ledger_of_four[1]
    for entry in ledger_of_four[2:]:
        _tamper("DELETE FROM finance_journalline WHERE entry_id = %s", [entry.pk])
        _tamper("DELETE FROM finance_journalentry WHERE id = %s", [entry.pk])
    raw(
        "UPDATE finance_ledgerstate SET last_sequence = 2, last_hash = %s WHERE id = 1",
        [second.hash],
    )
    # then
    message = _verify(group_a)
    assert "Ankerpunt handtekening kascommissie 2026" in message
    assert "tot volgnummer 4, maar de keten eindigt bij 2" in message


def test_wiped_books_are_found_through_the_anchor(ledger_of_four, group_a, users):
    _anchor(users["treasurer"], kind=ChainAnchor.Kind.CLOSE)
    _tamper("DELETE FROM finance_journalline", [])
    _tamper("DELETE FROM finance_journalentry", [])
    raw("UPDATE finance_ledgerstate SET last_sequence = 0, last_hash = %s", [chain.GENESIS])
    assert "gewist" in _verify(group_a)


def test_an_anchor_cannot_be_changed_or_removed_and_a_forged_one_is_found(
    ledger_of_four, group_a, users
):
    first, second = _anchor(users["audit"]), _anchor(users["audit2"])
    for sql in (
        "UPDATE finance_chainanchor SET sequence = 2 WHERE id = %s",
        "DELETE FROM finance_chainanchor WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="ankerpunt"), transaction.atomic():
            raw(sql, [first.pk])
    # behind the trigger's back: an anchor moved to an earlier head, or one taken away
    raw("SET CONSTRAINTS ALL IMMEDIATE")
    raw("ALTER TABLE finance_chainanchor DISABLE TRIGGER USER")
    raw(
        "UPDATE finance_chainanchor SET sequence = 2, head_hash = %s WHERE id = %s",
        [ledger_of_four[1].hash, second.pk],
    )
    assert "ankerpunt is veranderd" in _verify(group_a)
    raw(
        "UPDATE finance_chainanchor SET sequence = %s, head_hash = %s WHERE id = %s",
        [second.sequence, second.head_hash, second.pk],
    )
    assert chain.verify_chain() is None
    raw("DELETE FROM finance_chainanchor WHERE id = %s", [first.pk])
    raw("ALTER TABLE finance_chainanchor ENABLE TRIGGER USER")
    assert "ankerpunt is veranderd" in _verify(group_a)


@pytest.mark.parametrize(
    "table",
    [
        "finance_journalentry",
        "finance_journalline",
        "finance_ledgerstate",
        "finance_financialyear",
        "finance_account",
        "finance_chainanchor",
        "finance_periodevent",
        "finance_auditsignoff",
    ],
)
def test_ledger_tables_refuse_truncate(ledger_of_four, table):
    raw("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(DatabaseError, match="kan niet worden leeggemaakt"), transaction.atomic():
        raw(f"TRUNCATE {table} CASCADE")
    assert JournalEntry.objects.count() == 4


def test_verify_ledger_reports_the_head_and_the_anchors(ledger_of_four, group_a, users):
    from io import StringIO

    from django.core.management import call_command

    anchor = _anchor(users["audit"])
    out = StringIO()
    call_command("verify_ledger", group=group_a.slug, stdout=out)
    assert "in orde: k-buurt (4 boekingen, 1 ankerpunten, laatste vingerafdruk" in out.getvalue()
    assert anchor.fingerprint in out.getvalue()


# --- the migration that keyed existing chains ----------------------------------------------

migration = import_module("finance.migrations.0018_closing_keyed_chain")


def _legacy_rechain(entries):
    """Put the chain back as the unkeyed rule before this migration wrote it."""
    with connection.cursor() as cursor:
        prev = chain.GENESIS
        for entry, lines in migration._chain(cursor):
            digest = migration._legacy_digest(prev, entry, entry["year"], lines)
            _tamper(
                "UPDATE finance_journalentry SET prev_hash = %s, hash = %s WHERE id = %s",
                [prev, digest, entry["id"]],
            )
            prev = digest
    raw("UPDATE finance_ledgerstate SET last_hash = %s WHERE id = 1", [prev])


def test_the_migration_keys_a_chain_that_holds_by_the_old_rule(ledger_of_four, settings):
    _legacy_rechain(ledger_of_four)
    assert chain.verify_chain() is not None  # not keyed yet
    with connection.cursor() as cursor:
        assert migration.rekey(cursor, settings.LEDGER_CHAIN_KEY.encode())
    assert chain.verify_chain() is None


def test_the_migration_leaves_a_broken_old_chain_broken(ledger_of_four, group_a, settings):
    _legacy_rechain(ledger_of_four)
    _tamper(
        "UPDATE finance_journalentry SET description = 'x' WHERE id = %s", [ledger_of_four[2].pk]
    )
    with connection.cursor() as cursor:
        assert not migration.rekey(cursor, settings.LEDGER_CHAIN_KEY.encode())
    assert "NIET IN ORDE" in _verify(group_a)
