"""GroupEvent takes the product's one event shape (backoffice.core.events.BusinessEvent).

user_id -> actor_id, summary -> note, the decision link becomes the object reference
("decision", id); old/new values are added.
"""

import django.core.serializers.json
import django.utils.timezone
from django.db import migrations, models


def decision_to_object(apps, schema_editor):
    GroupEvent = apps.get_model("groups", "GroupEvent")
    GroupEvent.objects.filter(decision__isnull=False).update(
        object_type="decision", object_id=models.F("decision_id")
    )


def object_to_decision(apps, schema_editor):
    GroupEvent = apps.get_model("groups", "GroupEvent")
    GroupEvent.objects.filter(object_type="decision").update(decision_id=models.F("object_id"))


class Migration(migrations.Migration):
    dependencies = [("groups", "0002_agreement_attendance_conflict_decision_decisionrules_and_more")]

    operations = [
        migrations.RenameField("groupevent", "user_id", "actor_id"),
        migrations.RenameField("groupevent", "summary", "note"),
        migrations.AlterField(
            "groupevent",
            "actor_id",
            models.BigIntegerField(blank=True, null=True, verbose_name="door (gebruikersnummer)"),
        ),
        migrations.AlterField(
            "groupevent", "note", models.TextField(blank=True, verbose_name="toelichting")
        ),
        migrations.AlterField(
            "groupevent",
            "at",
            models.DateTimeField(
                db_index=True,
                default=django.utils.timezone.now,
                verbose_name="tijdstip",
            ),
        ),
        migrations.AlterField(
            "groupevent",
            "kind",
            models.CharField(
                choices=[
                    ("besluit", "besluit vastgelegd"),
                    ("gepubliceerd", "besluit openbaar gemaakt"),
                    ("regels", "beslisregels gewijzigd"),
                    ("overdracht", "rol overgedragen"),
                    ("geanonimiseerd", "lid geanonimiseerd"),
                ],
                max_length=40,
                verbose_name="gebeurtenis",
            ),
        ),
        migrations.AddField(
            "groupevent",
            "object_type",
            models.CharField(blank=True, max_length=40, verbose_name="soort onderwerp"),
        ),
        migrations.AddField(
            "groupevent",
            "object_id",
            models.BigIntegerField(blank=True, null=True, verbose_name="nummer onderwerp"),
        ),
        migrations.AddField(
            "groupevent",
            "old",
            models.JSONField(
                blank=True,
                encoder=django.core.serializers.json.DjangoJSONEncoder,
                null=True,
                verbose_name="was",
            ),
        ),
        migrations.AddField(
            "groupevent",
            "new",
            models.JSONField(
                blank=True,
                encoder=django.core.serializers.json.DjangoJSONEncoder,
                null=True,
                verbose_name="werd",
            ),
        ),
        migrations.RunPython(decision_to_object, object_to_decision),
        migrations.RemoveField("groupevent", "decision"),
    ]
