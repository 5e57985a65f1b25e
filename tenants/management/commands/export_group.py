"""manage.py export_group --group SLUG out.tar: one group with its people and files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tenants.models import Group
from tenants.transfer import BundleError, group_export


class Command(BaseCommand):
    help = (
        "Exporteer één groep: haar schema, leden, rollen en toegang, de gebruikers daarvan "
        "(met wachtwoord-hashes) en haar bestanden, in één tar-bestand (.tar of .tar.gz). "
        "Bewaar het zo veilig als een back-up van de hele database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--group", required=True, help="korte naam (slug) van de groep")
        parser.add_argument("path", help="het bestand om te schrijven, bijv. k-buurt.tar")

    def handle(self, *args, group, path, **options):
        found = Group.objects.filter(slug=group, is_template=False).first()
        if found is None:
            raise CommandError(f"Groep ‘{group}’ bestaat niet.")
        try:
            result = group_export(group=found, path=Path(path))
        except BundleError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"{found.name} geëxporteerd naar {result.path}: {result.users} gebruikers, "
            f"{result.memberships} rollen, {result.files} bestanden."
        )
