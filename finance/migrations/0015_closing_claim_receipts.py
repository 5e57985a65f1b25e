"""The receipts of claims paid before this release reach their bookings (issue 14, point 5):
from now on `finance.claims.services.claims_paid_receipts` does it when a claim is paid."""

from django.core.files.storage import default_storage
from django.db import migrations


def forwards(apps, schema_editor):
    ExpenseClaim = apps.get_model("finance", "ExpenseClaim")
    Receipt = apps.get_model("finance", "Receipt")
    taken = set(Receipt.objects.values_list("sha256", flat=True))
    for claim in ExpenseClaim.objects.filter(status="betaald", paid_entry__isnull=False).order_by(
        "number"
    ):
        if not claim.receipt or claim.receipt_sha256 in taken:
            continue
        try:
            size = default_storage.size(claim.receipt.name)
        except OSError:
            size = 0
        Receipt.objects.create(
            entry_id=claim.paid_entry_id,
            file=claim.receipt.name,
            original_name=(claim.receipt_name or "bonnetje")[:200],
            content_type=claim.receipt_type,
            size=size,
            sha256=claim.receipt_sha256,
            uploaded_by_id=claim.claimant_id,
        )
        taken.add(claim.receipt_sha256)


class Migration(migrations.Migration):
    dependencies = [("finance", "0014_speed_receipt_needs")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
