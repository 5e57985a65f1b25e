"""The default chart of accounts and the ledger's chain head.

A data migration, so the rows land in the template schema that new groups are cloned from.
"""

from django.db import migrations


# Frozen copy of finance/chart.py at the time of this migration.
# code, name, kind, rgs_code, is_cash, role
DEFAULT_CHART = [
    ("0500", "Eigen vermogen", "vermogen", "BEiv", False, "equity"),
    ("0600", "Bestemmingsfonds buurtbudget", "vermogen", "BEiv", False, "earmarked_fund"),
    ("1000", "Kas", "activa", "BLimKasKas", True, "cash"),
    ("1100", "Bank", "activa", "BLimBanRba", True, "bank"),
    ("1300", "Te ontvangen subsidie", "activa", "BVorOva", False, "grant_receivable"),
    ("1600", "Crediteuren", "schuld", "BSchCre", False, "payables"),
    ("1650", "Te betalen declaraties", "schuld", "BSchOvs", False, "claims_payable"),
    ("1700", "Vooruitontvangen subsidie", "schuld", "BSchOvp", False, "grant_deferred"),
    ("4000", "Activiteiten", "lasten", "WBed", False, ""),
    ("4100", "Materialen", "lasten", "WBed", False, ""),
    ("4200", "Communicatie", "lasten", "WBed", False, ""),
    ("4300", "Huur ruimte", "lasten", "WBedHui", False, ""),
    ("4400", "Vrijwilligersvergoedingen", "lasten", "WBed", False, ""),
    ("4500", "Ondersteuning", "lasten", "WBed", False, ""),
    ("4900", "Bankkosten", "lasten", "WBed", False, "bank_costs"),
    ("8000", "Subsidie gemeente", "baten", "", False, "grant_income"),
    ("8100", "Donaties", "baten", "", False, ""),
    ("8200", "Bijdragen deelnemers", "baten", "WOmz", False, ""),
]


def create_chart(apps, schema_editor):
    Account = apps.get_model("finance", "Account")
    LedgerState = apps.get_model("finance", "LedgerState")
    for code, name, kind, rgs, is_cash, role in DEFAULT_CHART:
        Account.objects.get_or_create(
            code=code,
            defaults={"name": name, "kind": kind, "rgs_code": rgs, "is_cash": is_cash, "role": role},
        )
    LedgerState.objects.get_or_create(id=1)


class Migration(migrations.Migration):
    dependencies = [("finance", "0002_ledger_guards")]

    operations = [migrations.RunPython(create_chart, migrations.RunPython.noop)]
