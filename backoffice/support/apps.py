from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    """The support organisation's own records (public schema): catalogue, requests,
    coaching, ACTIE checks, platforms."""

    name = "backoffice.support"
    label = "support"
    verbose_name = _("Ondersteuning")
    default_auto_field = "django.db.models.BigAutoField"
