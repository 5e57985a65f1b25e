"""manage.py import_statement --group SLUG [--user USERNAME] [--overlap skip|add] FILE

Imports a bank file for a group exactly as the page does (all or nothing, lines already
present are skipped). The import is booked in the name of the group's treasurer, or of
--user, who must be a treasurer of the group.

The file's size is checked before anything is read, and the file is then read in pieces
(never whole). When lines seem to be there already from a file in another format (the same
transactions as CAMT.053 and as CSV), nothing is imported and the command says so; run it
again with ``--overlap skip`` to leave those lines out, or ``--overlap add`` to add them
anyway.
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
        parser.add_argument(
            "--overlap",
            choices=[bank_import.SKIP, bank_import.ADD],
            help=(
                "wat te doen met regels die er al lijken te zijn uit een bestand in een ander "
                "formaat: skip = overslaan, add = toch toevoegen (zonder deze keuze stopt het "
                "inlezen en wordt het gevraagd)"
            ),
        )
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
            size = path.stat().st_size
        except OSError as exc:
            raise CommandError(f"Kan {path} niet lezen: {exc.strerror}.") from None
        if size > bank_import.MAX_BYTES:  # before a single byte is read
            raise CommandError(bank_import.too_big_message())
        try:
            handle = path.open("rb")
        except OSError as exc:
            raise CommandError(f"Kan {path} niet lezen: {exc.strerror}.") from None
        with handle, tenant_context(group):
            try:
                result = bank_import.import_statement(
                    data=handle,
                    filename=path.name,
                    user=treasurer,
                    overlap=options["overlap"] or bank_import.ASK,
                )
            except bank_import.OverlapFound as exc:
                raise CommandError(
                    f"{exc.messages[0]} Lees opnieuw in met --overlap skip om die regels over "
                    "te slaan, of met --overlap add om ze toch toe te voegen."
                ) from None
            except (ValidationError, PermissionDenied) as exc:
                raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from None
        self.stdout.write(self.style.SUCCESS(result.message))
