"""A schema built by running every migration, made once per test process and shared by the
tests that compare a cloned schema with it (a full migration run costs about a minute here).

Tests that use it are put in one xdist group (`make test` runs with `--dist loadgroup`), so
one worker builds it once instead of each test building its own.
"""

import pytest
from django.core.management import call_command
from django.db import connection

FRESH = "fresh_migrated"
SHARES_THE_FRESH_SCHEMA = pytest.mark.xdist_group("fresh_migrated_schema")


@pytest.fixture(scope="session")
def fresh_migrated_schema(django_db_setup, django_db_blocker) -> str:
    """The name of a committed schema built by `migrate_schemas` from nothing."""
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{FRESH}" CASCADE')
            cursor.execute(f'CREATE SCHEMA "{FRESH}"')
        call_command("migrate_schemas", schema_name=FRESH, interactive=False, verbosity=0)
        connection.set_schema_to_public()
    yield FRESH
    with django_db_blocker.unblock():
        # a later test may have restarted the server or dropped this connection: a new one
        connection.close()
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{FRESH}" CASCADE')
