"""PeriodEvent and ClaimEvent take the product's one event shape
(backoffice.core.events.BusinessEvent): by_id -> actor_id, an object reference, old/new values.
"""

import django.core.serializers.json
import django.utils.timezone
from django.db import migrations, models

KIND_PERIOD = [
    ("gesloten", "jaar afgesloten"),
    ("heropenen_gevraagd", "heropenen gevraagd"),
    ("heropenen_goedgekeurd", "heropenen goedgekeurd"),
    ("heropend", "jaar heropend"),
    ("decharge", "decharge verleend"),
]
KIND_CLAIM = [
    ("ingediend", "ingediend"),
    ("goedgekeurd_1", "goedgekeurd (eerste)"),
    ("goedgekeurd_2", "goedgekeurd (tweede)"),
    ("afgewezen", "afgewezen"),
    ("betaalbestand", "in betaalbestand gezet"),
    ("betaald", "betaald"),
]


def shape(model: str, kinds):
    return [
        migrations.RenameField(model, "by_id", "actor_id"),
        migrations.AlterField(
            model,
            "actor_id",
            models.BigIntegerField(blank=True, null=True, verbose_name="door (gebruikersnummer)"),
        ),
        migrations.AlterField(
            model,
            "at",
            models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, verbose_name="tijdstip"
            ),
        ),
        migrations.AlterField(
            model,
            "kind",
            models.CharField(choices=kinds, max_length=40, verbose_name="gebeurtenis"),
        ),
        migrations.AlterField(
            model, "note", models.TextField(blank=True, verbose_name="toelichting")
        ),
        migrations.AddField(
            model,
            "object_type",
            models.CharField(blank=True, max_length=40, verbose_name="soort onderwerp"),
        ),
        migrations.AddField(
            model,
            "object_id",
            models.BigIntegerField(blank=True, null=True, verbose_name="nummer onderwerp"),
        ),
        migrations.AddField(
            model,
            "old",
            models.JSONField(
                blank=True,
                encoder=django.core.serializers.json.DjangoJSONEncoder,
                null=True,
                verbose_name="was",
            ),
        ),
        migrations.AddField(
            model,
            "new",
            models.JSONField(
                blank=True,
                encoder=django.core.serializers.json.DjangoJSONEncoder,
                null=True,
                verbose_name="werd",
            ),
        ),
    ]


def fill_objects(apps, schema_editor):
    apps.get_model("finance", "PeriodEvent").objects.update(
        object_type="financialyear", object_id=models.F("year_id")
    )
    apps.get_model("finance", "ClaimEvent").objects.update(
        object_type="expenseclaim", object_id=models.F("claim_id")
    )


class Migration(migrations.Migration):
    dependencies = [("finance", "0009_entry_origin")]

    operations = [
        *shape("periodevent", KIND_PERIOD),
        *shape("claimevent", KIND_CLAIM),
        migrations.AlterModelOptions(
            "periodevent",
            {"ordering": ["at", "id"], "verbose_name": "gebeurtenis van een boekjaar"},
        ),
        migrations.AlterModelOptions(
            "claimevent",
            {"ordering": ["at", "id"], "verbose_name": "stap van een declaratie"},
        ),
        migrations.AlterField(
            "claimevent", "role", models.CharField(blank=True, max_length=30, verbose_name="als")
        ),
        migrations.RunPython(fill_objects, migrations.RunPython.noop),
    ]
