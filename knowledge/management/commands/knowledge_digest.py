import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from knowledge import services


class Command(BaseCommand):
    help = (
        "Stuur volgers van vragen en thema's een e-mail met wat nieuw is sinds hun vorige "
        "overzicht (bijvoorbeeld dagelijks of wekelijks met cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--until", help="alles tot dit moment, ISO 8601 (standaard: nu), voor herhalen"
        )

    def handle(self, *args, until=None, **options):
        moment = None
        if until:
            try:
                moment = datetime.datetime.fromisoformat(until)
            except ValueError as exc:
                raise CommandError(f"Onbekend moment {until!r}: gebruik ISO 8601.") from exc
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        sent = services.digest_send(until=moment)
        self.stdout.write(f"{sent} overzicht(en) verstuurd.")
