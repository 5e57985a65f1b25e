"""Django's admin, with its `admin.py` modules found when the URLconf loads (not at start-up).

The admin modules import django-import-export, which loads every spreadsheet format it knows
(openpyxl, and numpy through it) as it is imported: about a third of the start-up of a
management command that never shows an admin page (`create_group`, `migrate_schemas`;
docs/scaling.md). `backoffice/urls.py` calls `admin.autodiscover()`, so every request, test
client and URL check has the admin complete; the admin's own system check discovers first, so
it still checks every registration.
"""

from django.contrib.admin.apps import SimpleAdminConfig


class AdminConfig(SimpleAdminConfig):
    def ready(self):
        from django.contrib.admin.checks import check_dependencies
        from django.core import checks

        checks.register(check_dependencies, checks.Tags.admin)
        checks.register(check_admin_app_discovered, checks.Tags.admin)


def check_admin_app_discovered(app_configs, **kwargs):
    from django.contrib import admin
    from django.contrib.admin.checks import check_admin_app

    admin.autodiscover()
    return check_admin_app(app_configs, **kwargs)
