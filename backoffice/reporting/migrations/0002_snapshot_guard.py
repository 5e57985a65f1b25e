from django.db import migrations

from backoffice.core.sql import load


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]

    operations = [
        migrations.RunSQL(
            load("backoffice/reporting/sql/guards.0002.sql"),
            "DROP TRIGGER IF EXISTS reporting_snapshot_immutable ON reporting_reportsnapshot; "
            "DROP FUNCTION IF EXISTS reporting_snapshot_immutable();",
        )
    ]
