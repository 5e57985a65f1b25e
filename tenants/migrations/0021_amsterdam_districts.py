"""Amsterdam and its districts, from the `District` choices groups already carry."""

from django.db import migrations

AMSTERDAM = ("0363", "Amsterdam")
DISTRICTS = [
    ("centrum", "Centrum"),
    ("nieuw-west", "Nieuw-West"),
    ("noord", "Noord"),
    ("oost", "Oost"),
    ("west", "West"),
    ("zuid", "Zuid"),
    ("zuidoost", "Zuidoost"),
    ("weesp", "Weesp"),
]


def forwards(apps, schema_editor):
    Municipality = apps.get_model("tenants", "Municipality")
    MunicipalDistrict = apps.get_model("tenants", "MunicipalDistrict")
    amsterdam, _ = Municipality.objects.get_or_create(
        code=AMSTERDAM[0], defaults={"name": AMSTERDAM[1]}
    )
    for code, name in DISTRICTS:
        MunicipalDistrict.objects.get_or_create(
            code=code, defaults={"name": name, "municipality": amsterdam}
        )


class Migration(migrations.Migration):
    dependencies = [("tenants", "0020_municipalities_and_figures")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
