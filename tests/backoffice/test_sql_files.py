"""The guard functions a freshly migrated schema holds are exactly the ones in the .sql files."""

from django.db import connection

from backoffice.core.sql import current_functions
from tenants.schemas import template_schema_name


def test_installed_functions_equal_the_sql_files(world):
    files = current_functions()
    assert {"finance_entry_guard", "finance_entry_balanced", "finance_bankline_guard"} <= set(files)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT p.proname, p.prosrc FROM pg_proc p
            JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = %s
            """,
            [template_schema_name()],
        )
        installed = dict(cursor.fetchall())
        # Functions of the public schema's own tables (backoffice/reporting/sql/).
        cursor.execute(
            """
            SELECT p.proname, p.prosrc FROM pg_proc p
            JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
            """
        )
        public = dict(cursor.fetchall())
    installed = {**public, **installed}
    assert {name: installed.get(name) for name in files} == files


def test_a_cloned_group_holds_the_same_functions(world):
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT p.proname, p.prosrc FROM pg_proc p
            JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = %s
            """,
            [world.group_a.schema_name],
        )
        installed = dict(cursor.fetchall())
    files = {n: b for n, b in current_functions().items() if not n.startswith("reporting_")}
    assert {name: installed.get(name) for name in files} == files
