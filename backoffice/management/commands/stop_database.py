from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connections

from backoffice import embedded_postgres


class Command(BaseCommand):
    help = "Stop the embedded PostgreSQL server (does nothing with DATABASE_URL set)."

    def handle(self, *args, **options):
        if not settings.EMBEDDED_DATABASE:
            self.stdout.write("DATABASE_URL is set: nothing to stop.")
            return
        connections.close_all()
        if embedded_postgres.stop(settings.BASE_DIR):
            self.stdout.write("Embedded PostgreSQL stopped.")
        else:
            self.stdout.write("Embedded PostgreSQL was not running.")
