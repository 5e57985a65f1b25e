from django.core.management.base import BaseCommand

from backoffice import demo


class Command(BaseCommand):
    help = "Print the demo logins."

    def handle(self, *args, **options):
        self.stdout.write("")
        self.stdout.write("Buurtkas draait op http://127.0.0.1:8000/")
        self.stdout.write(f"Demo-logins (wachtwoord voor iedereen: {demo.DEMO_PASSWORD}):")
        for username, what in demo.logins():
            self.stdout.write(f"  {username:<10} {what}")
        self.stdout.write("")
