"""The hash chain becomes keyed and covers every field (issue 14, point 19; ADR 0010).

A group's existing chain is checked with the old, unkeyed rule first; only a chain that
still holds is fingerprinted again with the key (settings.LEDGER_CHAIN_KEY). A chain that no
longer holds is left as it is, so verify_ledger keeps reporting it. The ledger's tables then
refuse TRUNCATE, and chain anchors refuse UPDATE and DELETE (sql/chain_guards.0018.sql).

The rules are copied here, not imported: this migration must do the same thing on a
database from any time.
"""

import hashlib
import hmac
import json
from datetime import UTC, date, datetime
from decimal import Decimal

from django.conf import settings
from django.db import migrations

from backoffice.core.sql import load

GENESIS = "0" * 64
LEDGER_TABLES = (
    "finance_journalentry",
    "finance_journalline",
    "finance_ledgerstate",
    "finance_financialyear",
    "finance_account",
    "finance_chainanchor",
    "finance_periodevent",
    "finance_auditsignoff",
)
TRIGGERS = "".join(
    f"CREATE TRIGGER finance_no_truncate BEFORE TRUNCATE ON {table} "
    "FOR EACH STATEMENT EXECUTE FUNCTION finance_refuse_truncate();\n"
    for table in LEDGER_TABLES
) + (
    "CREATE TRIGGER finance_chainanchor_guard BEFORE UPDATE OR DELETE ON finance_chainanchor "
    "FOR EACH ROW EXECUTE FUNCTION finance_chainanchor_guard();\n"
)
DROP = "".join(
    f"DROP TRIGGER IF EXISTS finance_no_truncate ON {table};\n" for table in LEDGER_TABLES
) + (
    "DROP TRIGGER IF EXISTS finance_chainanchor_guard ON finance_chainanchor;\n"
    "DROP FUNCTION IF EXISTS finance_refuse_truncate();\n"
    "DROP FUNCTION IF EXISTS finance_chainanchor_guard();\n"
)

ENTRY_FIELDS = (
    "id",
    "year_id",
    "sequence",
    "number",
    "date",
    "description",
    "kind",
    "status",
    "reverses_id",
    "created_by_id",
    "created_at",
    "posted_by_id",
    "posted_at",
    "origin_kind",
    "origin_id",
    "decision_id",
    "period_exception",
)
LINE_FIELDS = (
    "id",
    "entry_id",
    "line_no",
    "account_id",
    "account__code",
    "debit",
    "credit",
    "description",
    "grant_id",
    "budget_line_id",
)


def _plain(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def _dumps(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _legacy_digest(prev: str, entry: dict, year: int, lines: list[dict]) -> str:
    payload = [
        entry["sequence"],
        year,
        entry["number"],
        entry["date"].isoformat(),
        entry["description"],
        entry["kind"],
        entry["reverses_id"],
        [
            [
                r["line_no"],
                r["account__code"],
                f"{r['debit']:.2f}",
                f"{r['credit']:.2f}",
                r["description"],
                r["grant_id"],
                r["budget_line_id"],
            ]
            for r in lines
        ],
    ]
    return hashlib.sha256((prev + "\n" + _dumps(payload)).encode("utf-8")).hexdigest()


def _keyed_digest(key: bytes, prev: str, entry: dict, year: int, lines: list[dict]) -> str:
    payload = {
        "entry": {name: _plain(entry[name]) for name in ENTRY_FIELDS},
        "year": year,
        "lines": [[_plain(row[name]) for name in LINE_FIELDS] for row in lines],
    }
    return hmac.new(
        key, (prev + "\n" + _dumps(payload)).encode("utf-8"), hashlib.sha256
    ).hexdigest()


def _chain(cursor):
    """The posted entries in chain order, each with its year and lines."""
    columns = ", ".join(f"e.{name}" for name in ENTRY_FIELDS)
    cursor.execute(
        f"SELECT {columns}, y.year, e.prev_hash, e.hash FROM finance_journalentry e "
        "JOIN finance_financialyear y ON y.id = e.year_id "
        "WHERE e.status = 'geboekt' ORDER BY e.sequence"
    )
    names = [*ENTRY_FIELDS, "year", "prev_hash", "hash"]
    entries = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    cursor.execute(
        "SELECT l.id, l.entry_id, l.line_no, l.account_id, a.code, l.debit, l.credit, "
        "l.description, l.grant_id, l.budget_line_id FROM finance_journalline l "
        "JOIN finance_account a ON a.id = l.account_id "
        "JOIN finance_journalentry e ON e.id = l.entry_id "
        "WHERE e.status = 'geboekt' ORDER BY e.sequence, l.line_no"
    )
    lines: dict[int, list[dict]] = {}
    for row in cursor.fetchall():
        line = dict(zip(LINE_FIELDS, row, strict=True))
        lines.setdefault(line["entry_id"], []).append(line)
    return [(entry, lines.get(entry["id"], [])) for entry in entries]


def rekey(cursor, key: bytes) -> bool:
    """Fingerprint the chain again with `key`, if it holds by the old rule; True if done."""
    cursor.execute("SELECT last_sequence, last_hash FROM finance_ledgerstate WHERE id = 1")
    state = cursor.fetchone()
    if state is None:
        return False
    chain = _chain(cursor)
    prev = GENESIS
    for number, (entry, lines) in enumerate(chain, start=1):
        if entry["sequence"] != number or entry["prev_hash"] != prev:
            return False
        if _legacy_digest(prev, entry, entry["year"], lines) != entry["hash"]:
            return False
        prev = entry["hash"]
    if tuple(state) != (len(chain), prev):
        return False
    updates, prev = [], GENESIS
    for entry, lines in chain:
        digest = _keyed_digest(key, prev, entry, entry["year"], lines)
        updates.append((entry["id"], prev, digest))
        prev = digest
    if updates:
        cursor.execute("ALTER TABLE finance_journalentry DISABLE TRIGGER USER")
        for start in range(0, len(updates), 5000):
            part = updates[start : start + 5000]
            cursor.execute(
                "UPDATE finance_journalentry AS e SET prev_hash = v.prev_hash, hash = v.hash "
                "FROM unnest(%s::bigint[], %s::varchar[], %s::varchar[]) AS v(id, prev_hash, hash) "
                "WHERE e.id = v.id",
                [[u[0] for u in part], [u[1] for u in part], [u[2] for u in part]],
            )
        cursor.execute("ALTER TABLE finance_journalentry ENABLE TRIGGER USER")
    cursor.execute("UPDATE finance_ledgerstate SET last_hash = %s WHERE id = 1", [prev])
    return True


def forwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        rekey(cursor, settings.LEDGER_CHAIN_KEY.encode("utf-8"))


class Migration(migrations.Migration):
    dependencies = [("finance", "0017_closing_audit_anchors")]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RunSQL(load("finance/ledger/sql/chain_guards.0018.sql") + TRIGGERS, DROP),
    ]
