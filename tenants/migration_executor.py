"""A migration executor that skips schemas that are already up to date.

django-tenants runs the full `migrate` command per schema, which loads the migration graph
and costs ~0.2 s even when nothing is to do. With hundreds of groups a no-op deploy would
take minutes, so first one query per schema compares its django_migrations table with the
migrations on disk, and only schemas that are behind are migrated.
"""

from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django_tenants.migration_executors.base import MigrationExecutor, run_migrations


def expected_migrations() -> set[tuple[str, str]]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return set(loader.disk_migrations)


def schemas_behind(schemas: list[str]) -> list[str]:
    expected = expected_migrations()
    behind = []
    with connection.cursor() as cursor:
        for schema in schemas:
            cursor.execute("SELECT to_regclass(%s)", [f'"{schema}".django_migrations'])
            if cursor.fetchone()[0] is None:
                behind.append(schema)
                continue
            cursor.execute(f'SELECT app, name FROM "{schema}".django_migrations')
            if not expected <= set(cursor.fetchall()):
                behind.append(schema)
    return behind


class SkipCurrentExecutor(MigrationExecutor):
    codename = "skip-current"

    def run_migrations(self, tenants=None):
        from tenants.services import ensure_template_group

        tenants = list(tenants or [])
        if self.PUBLIC_SCHEMA_NAME in tenants:
            run_migrations(self.args, self.options, self.codename, self.PUBLIC_SCHEMA_NAME)
            tenants.remove(self.PUBLIC_SCHEMA_NAME)
            # Right after the public schema, so the template is migrated with the groups.
            ensure_template_group()
        if not tenants:
            return
        todo = tenants if self.options.get("fake") else schemas_behind(tenants)
        skipped = len(tenants) - len(todo)
        if skipped and int(self.options.get("verbosity", 1)) >= 1:
            print(f"[skip-current] {skipped} schema(s) already up to date")
        for idx, schema_name in enumerate(todo):
            run_migrations(
                self.args, self.options, self.codename, schema_name, idx=idx, count=len(todo)
            )
