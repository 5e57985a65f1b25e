"""manage.py generate_reports --period 2026-Q3 | --due

Makes the first version of every district's report over the period (districts that already
have one are left as they are). `--due` takes the last quarter that has ended, and in January
also the last year: what the scheduled job runs every night.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from backoffice.reporting import services
from backoffice.reporting.periods import last_ended_quarter


class Command(BaseCommand):
    help = "Maak de rapportages aan de gemeente over een periode (kwartaal of jaar)."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--period", help="2026-Q3 (kwartaal) of 2026 (jaar)")
        group.add_argument(
            "--due", action="store_true", help="de laatst afgelopen periode(s) (voor de planning)"
        )

    def handle(self, *args, period=None, due=False, **options):
        today = timezone.localdate()
        codes = [period] if period else [last_ended_quarter(today)]
        if due and today.month == 1:
            codes.append(str(today.year - 1))
        made = 0
        for code in codes:
            try:
                snapshots = services.reports_generate(period_code=code)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
            made += len(snapshots)
            for snapshot in snapshots:
                self.stdout.write(f"{snapshot}: {snapshot.sha256}")
        self.stdout.write(f"{made} rapportage(s) gemaakt.")
