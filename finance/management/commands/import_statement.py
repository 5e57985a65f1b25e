"""manage.py import_statement --group SLUG [--user USERNAME] FILE

Imports a bank file for a group exactly as the page does (all or nothing, lines already
present are skipped). The import is booked in the name of the group's treasurer, or of
--user, who must be a treasurer of the group.
"""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from finance.bank import importing as bank_import
from tenants import facade as tenants


class Command(BaseCommand):
    help = "Lees een bankafschrift (CAMT.053, MT940 of CSV) in voor een groep."

    def add_arguments(self, parser):
        parser.add_argument("--group", required=True, help="slug van de groep")
        parser.add_argument("--user", help="gebruikersnaam van de penningmeester")
        parser.add_argument("file", help="het bestand van de bank")

    def handle(self, *args, **options):
        group = tenants.groups_list(slug=options["group"], active_only=False).first()
        if group is None:
            raise CommandError(f"Groep ‘{options['group']}’ bestaat niet.")
        treasurers = tenants.users_with_role(group=group, role=tenants.Role.TREASURER)
        if options["user"]:
            treasurers = treasurers.filter(username=options["user"])
        treasurer = treasurers.first()
        if treasurer is None:
            raise CommandError("Geen penningmeester gevonden om het afschrift op naam te zetten.")
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Kan {path} niet lezen: {exc.strerror}.") from None
        with tenant_context(group):
            try:
                result = bank_import.import_statement(data=data, filename=path.name, user=treasurer)
            except (ValidationError, PermissionDenied) as exc:
                raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from None
        self.stdout.write(self.style.SUCCESS(result.message))
