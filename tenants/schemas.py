"""Creating group schemas by cloning the template schema, and comparing schemas.

The template schema is kept current by `migrate_schemas` (it is a registry row with
`is_template=True`). Cloning copies its tables, constraints, indexes, sequences, triggers and
its rows (the django_migrations table included, so the clone counts as migrated).
"""

from django.conf import settings
from django.db import connection
from django_tenants.clone import CloneSchema
from django_tenants.utils import schema_exists


def template_schema_name() -> str:
    return settings.TENANT_TEMPLATE_SCHEMA


def clone_template(new_schema: str) -> None:
    """Create `new_schema` as a copy of the template, inside the caller's transaction."""
    CloneSchema().clone_schema(template_schema_name(), new_schema, "DATA", set_connection=True)
    align_names(template_schema_name(), new_schema)


_CONSTRAINTS_SQL = """
    SELECT rel.relname, con.conname, replace(pg_get_constraintdef(con.oid), %(s)s || '.', '')
    FROM pg_constraint con
    JOIN pg_class rel ON rel.oid = con.conrelid
    JOIN pg_namespace ns ON ns.oid = rel.relnamespace
    WHERE ns.nspname = %(s)s
"""
_INDEXES_SQL = """
    SELECT i.tablename, i.indexname,
           regexp_replace(replace(i.indexdef, %(s)s || '.', ''), 'INDEX \S+ ON', 'INDEX ON')
    FROM pg_indexes i
    WHERE i.schemaname = %(s)s
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                      JOIN pg_namespace n ON n.oid = c.connamespace
                      WHERE n.nspname = %(s)s AND c.conname = i.indexname)
"""


def align_names(template: str, new_schema: str) -> None:
    """Give cloned constraints and indexes the names they have in the template.

    The clone function recreates unique constraints with PostgreSQL's default names. Django
    migrations drop and alter constraints by name, so a later migration would fail on a
    cloned schema unless the names are the same as in a migrated one.
    """
    with connection.cursor() as cursor:
        for sql, kind in ((_CONSTRAINTS_SQL, "CONSTRAINT"), (_INDEXES_SQL, "INDEX")):
            cursor.execute(sql, {"s": template})
            wanted = {(table, definition): name for table, name, definition in cursor.fetchall()}
            cursor.execute(sql, {"s": new_schema})
            for table, name, definition in cursor.fetchall():
                target = wanted.get((table, definition))
                if target is None or target == name:
                    continue
                if kind == "CONSTRAINT":
                    cursor.execute(
                        f'ALTER TABLE "{new_schema}"."{table}" RENAME CONSTRAINT "{name}" TO "{target}"'
                    )
                else:
                    cursor.execute(f'ALTER INDEX "{new_schema}"."{name}" RENAME TO "{target}"')


def schema_signature(schema: str) -> dict[str, list]:
    """Tables, columns, constraints, indexes and triggers of a schema, without its name.

    Used to prove that a cloned schema equals a freshly migrated one.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT table_name, column_name, data_type, is_nullable,
                   coalesce(character_maximum_length, -1), coalesce(numeric_precision, -1),
                   coalesce(numeric_scale, -1),
                   regexp_replace(coalesce(column_default, ''), '\\m' || %(s)s || '\\.', '', 'g')
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
    return {
        "columns": [list(r) for r in columns],
        "constraints": [list(r) for r in constraints],
        "indexes": [list(r) for r in indexes],
        "triggers": [list(r) for r in triggers],
    }


__all__ = ["clone_template", "schema_exists", "schema_signature", "template_schema_name"]
