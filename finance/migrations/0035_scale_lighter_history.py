"""History tables keep one index besides their key: the original row's id, which every history
query filters on (tenants/history.py, docs/adr/0007-groups-at-scale.md). The dates, users,
foreign keys and unique columns of old versions are not searched, so they are not indexed.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('finance', '0025_matching_events'),
        ('groups', '0010_scale_lighter_history'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalaccount',
            name='code',
            field=models.CharField(max_length=10, verbose_name='nummer'),
        ),
        migrations.AlterField(
            model_name='historicalaccount',
            name='history_date',
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name='historicalaccount',
            name='history_user_id',
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='historicalauditcheck',
            name='history_date',
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name='historicalauditcheck',
            name='history_user_id',
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='historicalauditcheck',
            name='year',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='finance.financialyear'),
        ),
        migrations.AlterField(
            model_name='historicalauditsample',
            name='check_run',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='finance.auditcheck'),
        ),
        migrations.AlterField(
            model_name='historicalauditsample',
            name='entry',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='finance.journalentry'),
        ),
        migrations.AlterField(
            model_name='historicalauditsample',
            name='history_date',
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name='historicalauditsample',
            name='history_user_id',
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='historicalbankaccount',
            name='history_date',
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name='historicalbankaccount',
            name='history_user_id',
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='historicalbankaccount',
            name='iban',
            field=models.CharField(max_length=34, verbose_name='IBAN'),
        ),
        migrations.AlterField(
            model_name='historicalbankaccount',
            name='ledger_account',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='finance.account', verbose_name='grootboekrekening'),
        ),
        migrations.AlterField(
            model_name='historicalbankline',
            name='bank_account',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='finance.bankaccount'),
        ),
        migrations.AlterField(
            model_name='historicalbankline',
            name='claim',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='finance.expenseclaim'),
        ),
        migrations.AlterField(
            model_name='historicalbankline',
            name='entry',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='finance.journalentry'),
        ),
        migrations.AlterField(
            model_name='historicalbankline',
            name='history_date',
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name='historicalbankline',
            name='history_user_id',
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='historicalbankline',
            name='statement',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='finance.statement'),
        ),
        migrations.AlterField(
            model_name='historicalbudgetline',
            name='account',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='finance.account', verbose_name='categorie'),
        ),
        migrations.AlterField(
            model_name='historicalbudgetline',
            name='grant',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='finance.grant'),
        ),
        migrations.AlterField(
            model_name='historicalbudgetline',
            name='history_date',
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name='historicalbudgetline',
            name='history_user_id',
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='historicalcommitment',
            name='budget_line',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='finance.budgetline'),
        ),
        migrations.AlterField(
            model_name='historicalcommitment',
            name='history_date',
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name='historicalcommitment',
            name='history_user_id',
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='historicalcommitment',
            name='settled_entry',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='finance.journalentry'),
        ),
        migrations.AlterField(
            model_name='historicalexpenseclaim',
            name='budget_line',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='finance.budgetline', verbose_name='begrotingspost'),
        ),
        migrations.AlterField(
            model_name='historicalexpenseclaim',
            name='category',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='finance.account', verbose_name='categorie'),
        ),
        migrations.AlterField(
            model_name='historicalexpenseclaim',
            name='decision',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='groups.decision', verbose_name='besluit'),
        ),
        migrations.AlterField(
            model_name='historicalexpenseclaim',
            name='duplicate_of',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='finance.expenseclaim'),
        ),
        migrations.AlterField(
            model_name='historicalexpenseclaim',
            name='history_date',
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name='historicalexpenseclaim',
            name='history_user_id',
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='historicalexpenseclaim',
            name='number',
            field=models.PositiveIntegerField(verbose_name='nummer'),
        ),
        migrations.AlterField(
            model_name='historicalexpenseclaim',
            name='paid_entry',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='finance.journalentry'),
        ),
        migrations.AlterField(
            model_name='historicalexpenseclaim',
            name='receipt_sha256',
            field=models.CharField(max_length=64),
        ),
        migrations.AlterField(
            model_name='historicalfinancialyear',
            name='history_date',
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name='historicalfinancialyear',
            name='history_user_id',
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='historicalfinancialyear',
            name='year',
            field=models.PositiveIntegerField(verbose_name='jaar'),
        ),
        migrations.AlterField(
            model_name='historicalgrant',
            name='history_date',
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name='historicalgrant',
            name='history_user_id',
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='historicalgrant',
            name='reference',
            field=models.CharField(max_length=60, verbose_name='beschikkingsnummer'),
        ),
        migrations.AlterField(
            model_name='historicaljournalentry',
            name='decision',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='groups.decision', verbose_name='besluit'),
        ),
        migrations.AlterField(
            model_name='historicaljournalentry',
            name='history_date',
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name='historicaljournalentry',
            name='history_user_id',
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='historicaljournalentry',
            name='reverses',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='finance.journalentry'),
        ),
        migrations.AlterField(
            model_name='historicaljournalentry',
            name='sequence',
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name='historicaljournalentry',
            name='year',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='finance.financialyear'),
        ),
        migrations.AlterField(
            model_name='historicaljournalline',
            name='account',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='finance.account'),
        ),
        migrations.AlterField(
            model_name='historicaljournalline',
            name='budget_line',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='finance.budgetline'),
        ),
        migrations.AlterField(
            model_name='historicaljournalline',
            name='entry',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='finance.journalentry'),
        ),
        migrations.AlterField(
            model_name='historicaljournalline',
            name='grant',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='finance.grant'),
        ),
        migrations.AlterField(
            model_name='historicaljournalline',
            name='history_date',
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name='historicaljournalline',
            name='history_user_id',
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='historicalreceipt',
            name='entry',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='finance.journalentry'),
        ),
        migrations.AlterField(
            model_name='historicalreceipt',
            name='history_date',
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name='historicalreceipt',
            name='history_user_id',
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='historicalreceipt',
            name='sha256',
            field=models.CharField(max_length=64),
        ),
        migrations.AlterField(
            model_name='historicalreopenrequest',
            name='history_date',
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name='historicalreopenrequest',
            name='history_user_id',
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='historicalreopenrequest',
            name='year',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='finance.financialyear'),
        ),
        migrations.AlterField(
            model_name='historicalstatement',
            name='bank_account',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='finance.bankaccount'),
        ),
        migrations.AlterField(
            model_name='historicalstatement',
            name='history_date',
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name='historicalstatement',
            name='history_user_id',
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='historicaltranche',
            name='grant',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='finance.grant'),
        ),
        migrations.AlterField(
            model_name='historicaltranche',
            name='history_date',
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name='historicaltranche',
            name='history_user_id',
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='historicaltranche',
            name='received_entry',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='finance.journalentry'),
        ),
    ]
