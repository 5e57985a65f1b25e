from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "backoffice.reporting"
    label = "reporting"
    verbose_name = "Rapportages aan de gemeente"
