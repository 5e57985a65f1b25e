"""Day totals per account: kept by PostgreSQL when entries are posted, filled from the
posted lines already there, and closed to every other writer
(finance/ledger/sql/day_totals.0013.sql).
"""

import django.db.models.deletion
from django.db import migrations, models

from backoffice.core.sql import load

FUNCTIONS = load("finance/ledger/sql/day_totals.0013.sql")

BACKFILL = """
INSERT INTO finance_accountdaytotal
    (account_id, date, grant_id, budget_line_id, debit, credit, lines)
SELECT l.account_id, e.date, l.grant_id, l.budget_line_id, sum(l.debit), sum(l.credit), count(*)
FROM finance_journalline l
JOIN finance_journalentry e ON e.id = l.entry_id
WHERE e.status = 'geboekt'
GROUP BY l.account_id, e.date, l.grant_id, l.budget_line_id;
"""

# The guard comes after the backfill, which it would refuse.
TRIGGERS = """
CREATE TRIGGER finance_daytotal_add
    AFTER UPDATE ON finance_journalentry
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION finance_daytotal_add();

CREATE TRIGGER finance_daytotal_guard
    BEFORE INSERT OR UPDATE OR DELETE ON finance_accountdaytotal
    FOR EACH ROW EXECUTE FUNCTION finance_daytotal_guard();
"""

REVERSE = """
DROP TRIGGER IF EXISTS finance_daytotal_guard ON finance_accountdaytotal;
DROP TRIGGER IF EXISTS finance_daytotal_add ON finance_journalentry;
DROP FUNCTION IF EXISTS finance_daytotal_guard();
DROP FUNCTION IF EXISTS finance_daytotal_add();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0012_bankfiles_statement_parts"),
    ]

    operations = [
        migrations.CreateModel(
            name="AccountDayTotal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("date", models.DateField()),
                ("debit", models.DecimalField(decimal_places=2, max_digits=18)),
                ("credit", models.DecimalField(decimal_places=2, max_digits=18)),
                ("lines", models.PositiveIntegerField()),
                (
                    "account",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="finance.account",
                    ),
                ),
                (
                    "budget_line",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="finance.budgetline",
                    ),
                ),
                (
                    "grant",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="finance.grant",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("account", "date", "grant", "budget_line"),
                        name="day_total_once",
                        nulls_distinct=False,
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("credit__gte", 0), ("debit__gte", 0), ("lines__gt", 0)),
                        name="day_total_not_negative",
                    ),
                ],
            },
        ),
        migrations.RunSQL(FUNCTIONS + BACKFILL + TRIGGERS, REVERSE),
    ]
