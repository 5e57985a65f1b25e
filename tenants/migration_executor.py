"""A migration executor that skips schemas that are already up to date and upgrades the rest
in one process (tenants/upgrade.py).

django-tenants runs the full `migrate` command per schema, which loads the migration graph
and renders every model again for each schema. Here one query per schema compares its
django_migrations table with the migrations on disk; only schemas that are behind are
migrated, by `upgrade_schemas` (graph loaded once, a few workers, one transaction per schema,
failures reported while the others go on). When the template changes, its snapshot for new
groups is stored right after (tenants/schemas.py).
"""

from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django_tenants.migration_executors.base import MigrationExecutor, run_migrations

from tenants.schemas import template_schema_name, template_snapshot_store
from tenants.upgrade import default_workers, upgrade_schemas

# Options with which `migrate` does something other than "apply what is missing": those runs
# keep django-tenants' way (the whole command per schema).
_SPECIAL_OPTIONS = (
    "app_label",
    "migration_name",
    "fake",
    "fake_initial",
    "plan",
    "check_unapplied",
    "prune",
    "run_syncdb",
)


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
        verbosity = int(self.options.get("verbosity", 1))
        template = template_schema_name()
        if any(self.options.get(name) for name in _SPECIAL_OPTIONS):
            for idx, schema_name in enumerate(tenants):
                run_migrations(
                    self.args,
                    self.options,
                    self.codename,
                    schema_name,
                    idx=idx,
                    count=len(tenants),
                )
            if template in tenants:
                template_snapshot_store()
            return
        todo = schemas_behind(tenants)
        skipped = len(tenants) - len(todo)
        if skipped and verbosity >= 1:
            print(f"[skip-current] {skipped} schema(s) already up to date")
        if template in todo:
            # First and alone: new groups are cloned from it while the others are upgraded.
            report = upgrade_schemas([template])
            if report.failed:
                raise CommandError(
                    f"Het sjabloon kon niet worden bijgewerkt: {report.failed[template]}"
                )
            todo.remove(template)
            template_snapshot_store()
            if verbosity >= 1:
                print("[upgrade] sjabloon bijgewerkt, momentopname opgeslagen")
        if not todo:
            return
        report = upgrade_schemas(
            todo,
            workers=self.options.get("workers") or default_workers(),
            progress=print if verbosity >= 1 else None,
        )
        problems = len(report.failed) + len(report.not_reached)
        if verbosity >= 1 or problems:
            print(
                f"[upgrade] {len(report.upgraded)} schema('s) bijgewerkt in "
                f"{report.seconds:.1f} s, {len(report.failed)} mislukt, "
                f"{len(report.not_reached)} niet bereikt"
            )
        for schema, error in report.failed.items():
            print(f"[upgrade] mislukt: {schema}: {error}")
        if problems:
            raise CommandError(
                f"{problems} schema('s) niet bijgewerkt; de andere wel. Herstel de oorzaak en "
                "draai migrate_schemas opnieuw: wat klaar is wordt overgeslagen."
            )
