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
    """Recompute under the row's lock (lines reconciled or undone: the oldest may change)."""
    registry.group_facts_refresh(bank)


def lines_added(dates) -> None:
    """New, unreconciled lines (an import): added to the row in one UPDATE."""
    dates = list(dates)
    if dates:
        registry.group_facts_adjust(
            add={"unreconciled_lines": len(dates)}, at_most={"oldest_unreconciled_on": min(dates)}
        )
