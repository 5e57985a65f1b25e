from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.models import District
from tenants.services import group_create


class Command(BaseCommand):
    help = "Maak een bewonersgroep aan (een eigen schema, gekloond van het sjabloon)."
    # Like Django's own `migrate` and `shell`: no system checks first. They import every
    # view and template of the site (the URL check) and took longer than the creation itself
    # (docs/scaling.md); `manage.py check --deploy` is the deploy's step, not this command's.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Naam van de groep")
        parser.add_argument("--slug", required=True, help="Korte naam in het webadres")
        parser.add_argument("--district", required=True, choices=District.values)
        parser.add_argument("--neighbourhood", default="")

    def handle(self, *args, **options):
        try:
            group = group_create(
                name=options["name"],
                slug=options["slug"],
                district=options["district"],
                neighbourhood=options["neighbourhood"],
            )
        except ValidationError as exc:
            messages = []
            for field, errors in exc.message_dict.items():
                messages.extend(f"{field}: {e}" for e in errors)
            raise CommandError("Groep niet aangemaakt. " + " ".join(messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Groep ‘{group.name}’ aangemaakt: /g/{group.slug}/"))
