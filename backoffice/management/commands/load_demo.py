from django.conf import settings
from django.core.management.base import BaseCommand

from backoffice import demo


class Command(BaseCommand):
    help = "Laad de demogegevens (veilig om vaker te draaien)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--files",
            default=str(settings.BASE_DIR / "var" / "demo"),
            help="Map voor de bankafschriften om het inlezen mee te proberen.",
        )

    def handle(self, *args, files, **options):
        from pathlib import Path

        groups = demo.load()
        written = demo.try_statement_files(Path(files))
        self.stdout.write(self.style.SUCCESS(f"Demo klaar: {len(groups)} groepen."))
        for group, path in written:
            self.stdout.write(f"  bankafschrift om te proberen voor {group.name}: {path}")
