from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class BackofficeConfig(AppConfig):
    name = "backoffice"
    verbose_name = "Ondersteuningsorganisatie"

    def ready(self):
        from django.db.models import fields

        # Django's own "- Select an option -" on every list without a default: in plain
        # words, and translated (Django's Dutch catalog has no text for it).
        fields.BLANK_CHOICE_LABEL = gettext_lazy("Kies…")
