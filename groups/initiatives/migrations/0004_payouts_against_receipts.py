"""Payouts against receipts, payment orders by id, pay-back requests, and the payout limit
in PostgreSQL (groups/initiatives/sql/payout_limit.0004.sql)."""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.db import migrations, models

from backoffice.core.sql import load


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0090_lighter_history"),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalPaybackRequest",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "amount",
                    models.DecimalField(decimal_places=2, max_digits=14, verbose_name="bedrag"),
                ),
                ("reference", models.CharField(max_length=35, verbose_name="betalingskenmerk")),
                ("iban", models.CharField(max_length=34, verbose_name="IBAN van de groep")),
                ("account_holder", models.CharField(max_length=70, verbose_name="ten name van")),
                (
                    "sent_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                ("requested_by_id", models.BigIntegerField()),
                ("history_user_id", models.BigIntegerField(blank=True, null=True)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField()),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
            ],
            options={
                "verbose_name": "historical terugbetaalverzoek",
                "verbose_name_plural": "historical terugbetaalverzoeken",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="PaybackRequest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "amount",
                    models.DecimalField(decimal_places=2, max_digits=14, verbose_name="bedrag"),
                ),
                (
                    "reference",
                    models.CharField(max_length=35, unique=True, verbose_name="betalingskenmerk"),
                ),
                ("iban", models.CharField(max_length=34, verbose_name="IBAN van de groep")),
                ("account_holder", models.CharField(max_length=70, verbose_name="ten name van")),
                (
                    "sent_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                ("requested_by_id", models.BigIntegerField()),
            ],
            options={
                "verbose_name": "terugbetaalverzoek",
                "verbose_name_plural": "terugbetaalverzoeken",
                "ordering": ["sent_at", "id"],
            },
        ),
        migrations.AddField(
            model_name="attachment",
            name="payout",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="receipts",
                to="initiatives.payout",
            ),
        ),
        migrations.AddField(
            model_name="attachment",
            name="review",
            field=models.CharField(
                choices=[
                    ("nieuw", "nog niet bekeken"),
                    ("goedgekeurd", "goedgekeurd"),
                    ("afgewezen", "afgewezen"),
                ],
                default="nieuw",
                max_length=12,
                verbose_name="beoordeling",
            ),
        ),
        migrations.AddField(
            model_name="attachment",
            name="review_note",
            field=models.CharField(blank=True, max_length=300, verbose_name="toelichting"),
        ),
        migrations.AddField(
            model_name="attachment",
            name="reviewed_by_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="historicalattachment",
            name="payout",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="initiatives.payout",
            ),
        ),
        migrations.AddField(
            model_name="historicalattachment",
            name="review",
            field=models.CharField(
                choices=[
                    ("nieuw", "nog niet bekeken"),
                    ("goedgekeurd", "goedgekeurd"),
                    ("afgewezen", "afgewezen"),
                ],
                default="nieuw",
                max_length=12,
                verbose_name="beoordeling",
            ),
        ),
        migrations.AddField(
            model_name="historicalattachment",
            name="review_note",
            field=models.CharField(blank=True, max_length=300, verbose_name="toelichting"),
        ),
        migrations.AddField(
            model_name="historicalattachment",
            name="reviewed_by_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="historicalinitiative",
            name="accepted_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="historicalinitiative",
            name="accepted_by_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="historicalinitiative",
            name="account_holder",
            field=models.CharField(blank=True, max_length=70, verbose_name="ten name van"),
        ),
        migrations.AddField(
            model_name="historicalinitiative",
            name="initiator_iban",
            field=models.CharField(blank=True, max_length=34, verbose_name="IBAN"),
        ),
        migrations.AddField(
            model_name="historicalpayout",
            name="payment_order_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="initiative",
            name="accepted_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="initiative",
            name="accepted_by_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="initiative",
            name="account_holder",
            field=models.CharField(blank=True, max_length=70, verbose_name="ten name van"),
        ),
        migrations.AddField(
            model_name="initiative",
            name="initiator_iban",
            field=models.CharField(blank=True, max_length=34, verbose_name="IBAN"),
        ),
        migrations.AddField(
            model_name="payout",
            name="payment_order_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="historicalpayout",
            name="kind",
            field=models.CharField(
                choices=[
                    ("voorschot", "voorschot"),
                    ("bonnen", "betaald tegen bonnetjes"),
                    ("terug", "terugbetaald voorschot"),
                ],
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="initiativeevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("initiative_submitted", "aanvraag ingediend"),
                    ("initiative_edited", "aanvraag aangepast door de initiatiefnemer"),
                    ("initiative_link_renewed", "nieuwe persoonlijke link gemaakt"),
                    ("initiative_declared", "belang verklaard"),
                    ("initiative_scored", "beoordeeld"),
                    ("initiative_decided", "besluit genomen"),
                    ("initiative_paid", "voorschot betaald"),
                    ("initiative_receipt_sent", "bonnetje ingestuurd"),
                    ("initiative_receipt_reviewed", "bonnetje bekeken"),
                    ("initiative_paid_receipts", "betaald tegen bonnetjes"),
                    ("initiative_accepted", "verantwoording goedgekeurd"),
                    ("initiative_return_requested", "terugbetaling gevraagd"),
                    ("initiative_returned", "voorschot terugbetaald"),
                    ("initiative_accounted", "verantwoording ingeleverd"),
                    ("initiative_closed", "afgerond"),
                    ("vouchers_issued", "vouchers uitgegeven"),
                    ("voucher_reissued", "voucher opnieuw uitgegeven"),
                    ("voucher_redeemed", "voucher gebruikt"),
                    ("ballot_counted", "stem geteld"),
                ],
                max_length=40,
                verbose_name="gebeurtenis",
            ),
        ),
        migrations.AlterField(
            model_name="payout",
            name="kind",
            field=models.CharField(
                choices=[
                    ("voorschot", "voorschot"),
                    ("bonnen", "betaald tegen bonnetjes"),
                    ("terug", "terugbetaald voorschot"),
                ],
                max_length=10,
            ),
        ),
        migrations.AddConstraint(
            model_name="attachment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("review", "afgewezen"), _negated=True),
                    models.Q(("review_note", ""), _negated=True),
                    _connector="OR",
                ),
                name="attachment_rejection_has_reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="attachment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("payout__isnull", True), ("review", "goedgekeurd"), _connector="OR"
                ),
                name="attachment_paid_only_when_accepted",
            ),
        ),
        migrations.AddField(
            model_name="historicalpaybackrequest",
            name="initiative",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="initiatives.initiative",
            ),
        ),
        migrations.AddField(
            model_name="paybackrequest",
            name="initiative",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="payback_requests",
                to="initiatives.initiative",
            ),
        ),
        migrations.AddField(
            model_name="historicalpayout",
            name="request",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="initiatives.paybackrequest",
            ),
        ),
        migrations.AddField(
            model_name="payout",
            name="request",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="returns",
                to="initiatives.paybackrequest",
            ),
        ),
        migrations.AddConstraint(
            model_name="payout",
            constraint=models.CheckConstraint(
                condition=models.Q(("request__isnull", True), ("kind", "terug"), _connector="OR"),
                name="payout_request_on_return",
            ),
        ),
        migrations.AddConstraint(
            model_name="paybackrequest",
            constraint=models.CheckConstraint(
                condition=models.Q(("amount__gt", 0)), name="payback_request_positive"
            ),
        ),
        migrations.RunSQL(
            load("groups/initiatives/sql/payout_limit.0004.sql"),
            """
            DROP TRIGGER IF EXISTS initiatives_payout_limit ON initiatives_payout;
            DROP FUNCTION IF EXISTS initiatives_payout_limit();
            DROP TRIGGER IF EXISTS initiatives_award_covers_payouts ON initiatives_initiative;
            DROP FUNCTION IF EXISTS initiatives_award_covers_payouts();
            """,
        ),
    ]
