from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    """Resident initiatives: rounds, the public place, assessment, vouchers, consultation."""

    name = "groups.initiatives"
    label = "initiatives"
    verbose_name = "Groep: bewonersinitiatieven"
    default_auto_field = "django.db.models.BigAutoField"
