"""The bank's fact for the registry's row: the oldest bank line not yet reconciled."""

from django.db.models import Count, Min

from finance.bank.models import BankLine
from tenants import facade as registry


def bank() -> dict:
    row = BankLine.objects.filter(reconciled_at__isnull=True).aggregate(
        oldest=Min("booking_date"), count=Count("pk")
    )
    return {"oldest_unreconciled_on": row["oldest"], "unreconciled_lines": row["count"]}


def refresh() -> None:
    registry.group_facts_record(**bank())
