"""Receipt needs: posted expenses that ask for a receipt, kept by PostgreSQL
(finance/ledger/sql/receipt_needs.0014.sql) and filled from the books already there.
"""

import django.contrib.postgres.fields
import django.db.models.deletion
from django.db import migrations, models

from backoffice.core.sql import load

FUNCTIONS = load("finance/ledger/sql/receipt_needs.0014.sql")

BACKFILL = """
INSERT INTO finance_receiptneed (entry_id, date, grant_ids, has_receipt, reversed)
SELECT e.id, e.date,
       coalesce(array_agg(DISTINCT l.grant_id) FILTER (WHERE l.grant_id IS NOT NULL), '{}'),
       EXISTS (SELECT 1 FROM finance_receipt r WHERE r.entry_id = e.id),
       EXISTS (SELECT 1 FROM finance_journalentry c WHERE c.reverses_id = e.id AND c.status = 'geboekt')
FROM finance_journalentry e
JOIN finance_journalline l ON l.entry_id = e.id
JOIN finance_account a ON a.id = l.account_id
WHERE e.status = 'geboekt' AND e.kind <> 'correctie' AND l.debit > 0 AND a.kind = 'lasten'
GROUP BY e.id, e.date;
"""

TRIGGERS = """
CREATE TRIGGER finance_receiptneed_post
    AFTER UPDATE ON finance_journalentry
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION finance_receiptneed_post();

CREATE TRIGGER finance_receiptneed_receipt_added
    AFTER INSERT ON finance_receipt
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION finance_receiptneed_receipts();

CREATE TRIGGER finance_receiptneed_receipt_changed
    AFTER UPDATE ON finance_receipt
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION finance_receiptneed_receipts();

CREATE TRIGGER finance_receiptneed_receipt_removed
    AFTER DELETE ON finance_receipt
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION finance_receiptneed_receipts();
"""

REVERSE = """
DROP TRIGGER IF EXISTS finance_receiptneed_receipt_removed ON finance_receipt;
DROP TRIGGER IF EXISTS finance_receiptneed_receipt_changed ON finance_receipt;
DROP TRIGGER IF EXISTS finance_receiptneed_receipt_added ON finance_receipt;
DROP TRIGGER IF EXISTS finance_receiptneed_post ON finance_journalentry;
DROP FUNCTION IF EXISTS finance_receiptneed_receipts();
DROP FUNCTION IF EXISTS finance_receiptneed_post();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0013_speed_day_totals"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReceiptNeed",
            fields=[
                (
                    "entry",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="receipt_need",
                        serialize=False,
                        to="finance.journalentry",
                    ),
                ),
                ("date", models.DateField()),
                (
                    "grant_ids",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.BigIntegerField(), default=list
                    ),
                ),
                ("has_receipt", models.BooleanField()),
                ("reversed", models.BooleanField(default=False)),
            ],
            options={
                "indexes": [
                    models.Index(
                        condition=models.Q(("has_receipt", False), ("reversed", False)),
                        fields=["date", "entry"],
                        name="receipt_need_missing",
                    )
                ],
            },
        ),
        migrations.RunSQL(FUNCTIONS + BACKFILL + TRIGGERS, REVERSE),
    ]
