import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from knowledge import services


class Command(BaseCommand):
    help = (
        "Mail de schrijvers van artikelen waarvan de datum voor nakijken is gekomen "
        "(dagelijks draaien, bijvoorbeeld met cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="datum als JJJJ-MM-DD (standaard: vandaag)")

    def handle(self, *args, today=None, **options):
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError(f"Onbekende datum {today!r}: gebruik JJJJ-MM-DD.") from exc
        else:
            day = timezone.localdate()
        sent = services.review_reminders_send(today=day)
        self.stdout.write(f"{sent} herinnering(en) verstuurd.")
