"""manage.py import_group in.tar: restore a group exported with export_group."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tenants.transfer import BundleError, group_import


class Command(BaseCommand):
    help = (
        "Zet een groep terug uit een export (export_group) in een database zonder die groep. "
        "Er wordt niets geschreven als iets niet klopt."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="het exportbestand (.tar of .tar.gz)")

    def handle(self, *args, path, **options):
        if not Path(path).is_file():
            raise CommandError(f"Bestand niet gevonden: {path}")
        try:
            result = group_import(path=Path(path))
        except BundleError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"{result.group.name} teruggezet (/g/{result.group.slug}/): "
            f"{result.users_created} gebruikers aangemaakt, {result.users_kept} bestonden al, "
            f"{result.files} bestanden"
            + (", schema bijgewerkt naar deze versie." if result.migrated else ".")
        )
