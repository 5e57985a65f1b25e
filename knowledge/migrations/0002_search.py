from django.db import migrations

from knowledge.sql import drop_search_sql, load_search_sql


class Migration(migrations.Migration):
    """Dutch search without contrib extensions: see knowledge/search.sql and docs/adr/0006."""

    dependencies = [
        ("knowledge", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_search_sql, drop_search_sql, elidable=False),
    ]
