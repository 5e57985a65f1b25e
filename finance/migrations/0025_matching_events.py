"""Match events: every link of a bank line with the books, and every undo of one; the bank's
guard lets a link be undone only with such an event (finance/bank/sql/guards.0025.sql)."""

import django.core.serializers.json
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

from backoffice.core.sql import load


class Migration(migrations.Migration):
    dependencies = [("finance", "0018_closing_keyed_chain")]

    operations = [
        migrations.AlterField(
            model_name="claimevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("ingediend", "ingediend"),
                    ("goedgekeurd_1", "goedgekeurd (eerste)"),
                    ("goedgekeurd_2", "goedgekeurd (tweede)"),
                    ("afgewezen", "afgewezen"),
                    ("betaalbestand", "in betaalbestand gezet"),
                    ("betaald", "betaald"),
                    ("betaling_ongedaan", "betaling ongedaan gemaakt (koppeling met de bank)"),
                ],
                max_length=40,
                verbose_name="gebeurtenis",
            ),
        ),
        migrations.CreateModel(
            name="MatchEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "at",
                    models.DateTimeField(
                        db_index=True, default=django.utils.timezone.now, verbose_name="tijdstip"
                    ),
                ),
                (
                    "actor_id",
                    models.BigIntegerField(
                        blank=True, null=True, verbose_name="door (gebruikersnummer)"
                    ),
                ),
                (
                    "object_type",
                    models.CharField(blank=True, max_length=40, verbose_name="soort onderwerp"),
                ),
                (
                    "object_id",
                    models.BigIntegerField(blank=True, null=True, verbose_name="nummer onderwerp"),
                ),
                (
                    "old",
                    models.JSONField(
                        blank=True,
                        encoder=django.core.serializers.json.DjangoJSONEncoder,
                        null=True,
                        verbose_name="was",
                    ),
                ),
                (
                    "new",
                    models.JSONField(
                        blank=True,
                        encoder=django.core.serializers.json.DjangoJSONEncoder,
                        null=True,
                        verbose_name="werd",
                    ),
                ),
                ("note", models.TextField(blank=True, verbose_name="toelichting")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("gekoppeld", "gekoppeld aan de boekhouding"),
                            ("ontkoppeld", "koppeling ongedaan gemaakt"),
                        ],
                        max_length=40,
                        verbose_name="gebeurtenis",
                    ),
                ),
                (
                    "bank_line",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="match_events",
                        to="finance.bankline",
                    ),
                ),
            ],
            options={
                "verbose_name": "koppeling van een bankregel",
                "verbose_name_plural": "koppelingen van bankregels",
                "ordering": ["at", "id"],
                "abstract": False,
                "indexes": [
                    models.Index(fields=["bank_line", "kind"], name="matchevent_line_kind")
                ],
            },
        ),
        migrations.RunSQL(load("finance/bank/sql/guards.0025.sql"), migrations.RunSQL.noop),
    ]
