from django.core.management.base import BaseCommand

from backoffice import demo


class Command(BaseCommand):
    help = "Laad de demogegevens (veilig om vaker te draaien)."

    def handle(self, *args, **options):
        groups = demo.load()
        self.stdout.write(self.style.SUCCESS(f"Demo klaar: {len(groups)} groepen."))
