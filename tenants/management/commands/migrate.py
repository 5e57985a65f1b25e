"""`migrate` is `migrate_schemas` here (as in django-tenants), with the template kept current."""

from tenants.management.commands.migrate_schemas import Command  # noqa: F401
