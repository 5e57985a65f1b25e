from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from backoffice import demo


class Command(BaseCommand):
    help = "Print the demo logins, where Buurtkas runs and the statement files to try."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")
        parser.add_argument("--files", default=str(settings.BASE_DIR / "var" / "demo"))

    def handle(self, *args, url, files, **options):
        self.stdout.write("")
        self.stdout.write(f"Buurtkas draait op {url}")
        self.stdout.write(f"Demo-logins (wachtwoord voor iedereen: {demo.DEMO_PASSWORD}):")
        for username, what in demo.logins():
            self.stdout.write(f"  {username:<10} {what}")
        from backoffice.reporting.demo import demo_key

        key = demo_key()
        if key:
            self.stdout.write("")
            self.stdout.write("Rapportage-API (documentatie: " + url.rstrip("/") + "/api/v1/docs):")
            self.stdout.write(f"  demo-sleutel  {key}")
            self.stdout.write(
                f'  curl -H "Authorization: Api-Key {key}" {url.rstrip("/")}/api/v1/reports'
            )
        statements = []
        for spec in demo.GROUPS:
            for path in sorted(Path(files).glob(f"{spec['slug']}-bankafschrift-*.xml")):
                statements.append((demo.treasurer_of(spec["slug"]), path))
        if statements:
            self.stdout.write("")
            self.stdout.write("Inlezen proberen (Geld → Bank → Afschrift inlezen):")
            for who, path in statements:
                self.stdout.write(f"  {who:<10} {path}")
        self.stdout.write("")
