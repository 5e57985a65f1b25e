"""Read every group's facts afresh from its own schema and replace its row (ADR 0013).

The rows are kept current by the apps' services; this is the repair after an upgrade, a
restore or a schema moved between database nodes, and the check that nothing drifted:
`--check` only compares and exits non-zero naming the groups whose row differs.
"""

from django.core.management.base import BaseCommand, CommandError

from tenants.facts import GroupFacts, facts_compute, facts_rebuild
from tenants.selectors import groups_visible


class Command(BaseCommand):
    help = "Herbouw de feiten per groep uit de schema's van de groepen."

    def add_arguments(self, parser):
        parser.add_argument("--group", help="alleen deze groep (korte naam)")
        parser.add_argument(
            "--check", action="store_true", help="alleen vergelijken, niets schrijven"
        )

    def handle(self, *args, group=None, check=False, **options):
        groups = groups_visible().order_by("slug")
        if group:
            groups = groups.filter(slug=group)
            if not groups.exists():
                raise CommandError(f"Geen groep met korte naam ‘{group}’.")
        stored = {f.pk: f.as_dict() for f in GroupFacts.objects.filter(group__in=groups)}
        differ, count = [], 0
        for one in groups:
            fresh = facts_compute(one)
            if stored.get(one.pk) != fresh:
                differ.append(one.slug)
                if not check:
                    facts_rebuild(one)
            count += 1
        if check and differ:
            raise CommandError("Feiten wijken af bij: " + ", ".join(differ))
        verb = "afwijkend" if check else "bijgewerkt"
        self.stdout.write(f"{count} groepen bekeken, {len(differ)} {verb}.")
