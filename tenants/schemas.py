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
