"""The ledger's and the bank's guards, from their .sql files (the same definitions as
migrations 0002, 0004 and 0007 left them; from here on the files are the source)."""

from django.db import migrations

from backoffice.core.sql import load


class Migration(migrations.Migration):
    dependencies = [("finance", "0010_event_shape")]

    operations = [
        migrations.RunSQL(load("finance/ledger/sql/guards.0011.sql"), migrations.RunSQL.noop),
        migrations.RunSQL(load("finance/bank/sql/guards.0011.sql"), migrations.RunSQL.noop),
    ]
