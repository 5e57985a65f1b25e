"""manage.py verify_ledger [--group SLUG]: recompute every group's hash chain.

Checks the keyed fingerprint of every posted entry (with BUURTKAS_LEDGER_KEY), and that the
chain still holds what each anchor (kascommissie signature, year close) wrote down, so a cut
tail or wiped books are found too. Exits with status 1 and names the first problem.
"""

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from finance.ledger.chain import verify_chain_with_summary
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
                problem, summary = verify_chain_with_summary()
            if problem is None:
                self.stdout.write(
                    f"in orde: {group.slug} ({summary.entries} boekingen, "
                    f"{summary.anchors} ankerpunten, laatste vingerafdruk "
                    f"{summary.head_sequence:06d}-{summary.head_hash[:16]})"
                )
            else:
                failures.append(f"{group.slug}: {problem}")
                self.stderr.write(f"NIET IN ORDE: {group.slug}: {problem}")
        if failures:
            raise CommandError("Grootboek klopt niet meer — " + "; ".join(failures))
