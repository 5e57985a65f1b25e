"""Run the background jobs (bank imports, the schedule) until stopped."""

import logging

from django.core.management.base import BaseCommand
from django.utils import autoreload

from backoffice.jobs import worker


class Command(BaseCommand):
    help = (
        "Voer achtergrondtaken uit (bankbestanden inlezen, de dagelijkse toegangscontrole). "
        "Stop met Ctrl-C of SIGTERM: een lopende taak wordt eerst afgemaakt."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", action="store_true", help="Voer uit wat er klaarstaat en stop dan."
        )
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument(
            "--reload", action="store_true", help="Herstart bij gewijzigde code (ontwikkelen)."
        )

    def handle(self, *args, batch, interval, reload, verbosity, **options):
        for name in ("buurtkas.jobs", "django_tasks_db", "django.tasks"):
            log = logging.getLogger(name)
            log.setLevel(logging.INFO if verbosity else logging.WARNING)
            if not log.handlers:
                log.addHandler(logging.StreamHandler(self.stdout))
            log.propagate = False

        def main():
            worker.run(batch=batch, interval=interval)

        if reload and not batch:
            autoreload.run_with_reloader(main)
        else:
            main()
