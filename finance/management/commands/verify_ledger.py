"""manage.py verify_ledger [--group SLUG]: recompute every group's hash chain.

Exits with status 1 and names the first entry that no longer matches its fingerprint.
"""

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from finance.ledger.chain import verify_chain
from tenants import facade as tenants


class Command(BaseCommand):
    help = "Controleer de vingerafdrukken (hash-keten) van de geboekte boekingen."

    def add_arguments(self, parser):
        parser.add_argument("--group", help="korte naam (slug) van één groep")

    def handle(self, *args, **options):
        groups = tenants.groups_list(slug=options["group"] or None, active_only=False)
        if options["group"]:
            if not groups.exists():
                raise CommandError(f"Onbekende groep: {options['group']}")
        failures = []
        for group in groups:
            with tenant_context(group):
                problem = verify_chain()
            if problem is None:
                self.stdout.write(f"in orde: {group.slug}")
            else:
                failures.append(f"{group.slug}: {problem}")
                self.stderr.write(f"NIET IN ORDE: {group.slug}: {problem}")
        if failures:
            raise CommandError("Grootboek klopt niet meer — " + "; ".join(failures))
