"""migrate_schemas that keeps the template schema current and upgrades the groups fast.

django-tenants' own command picks its executor from a module-level function, so `handle`
is restated here for the single-tenant-type setup this project uses. The template comes first
(its snapshot for new groups is stored right after); the list of groups is read after that,
so a group created meanwhile from the new template is not upgraded twice.
"""

from django_tenants.management.commands import SyncCommon
from django_tenants.management.commands.migrate_schemas import Command as BaseCommand
from django_tenants.utils import get_public_schema_name, schema_exists

from tenants.migration_executor import SkipCurrentExecutor
from tenants.models import Group


class Command(BaseCommand):
    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Aantal processen dat de groepsschema's bijwerkt (standaard: min(4, cores)).",
        )

    def handle(self, *args, **options):
        SyncCommon.handle(self, *args, **options)
        public = get_public_schema_name()
        if self.sync_public and not self.schema_name:
            self.schema_name = public
        executor = SkipCurrentExecutor(self.args, self.options)
        if self.sync_public:
            executor.run_migrations(tenants=[public])
        if not self.sync_tenant:
            return
        if self.schema_name and self.schema_name != public:
            if not schema_exists(self.schema_name):
                raise RuntimeError(f'Schema "{self.schema_name}" does not exist')
            executor.run_migrations(tenants=[self.schema_name])
            return
        groups = Group.objects.exclude(schema_name=public)
        template = list(groups.filter(is_template=True).values_list("schema_name", flat=True))
        if template:
            executor.run_migrations(tenants=template)
        schemas = list(
            groups.filter(is_template=False).order_by("id").values_list("schema_name", flat=True)
        )
        executor.run_migrations(tenants=schemas)
