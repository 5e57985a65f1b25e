"""What other apps may ask of a group's books. Nothing outside finance imports more than this.

Functions run in the current group's schema and return frozen dataclasses or plain values.
"""

from dataclasses import dataclass

from finance.bank.models import BankAccount
from finance.grants.models import BudgetLine


@dataclass(frozen=True)
class SetupState:
    """The parts of the set-up wizard that the books answer."""

    bank_account_present: bool
    budget_present: bool


def setup_state() -> SetupState:
    return SetupState(
        bank_account_present=BankAccount.objects.filter(is_active=True).exists(),
        budget_present=BudgetLine.objects.exists(),
    )


def figures_compute() -> tuple[list, list]:
    """The current group's per-group figures recomputed from its books: month totals of the
    posted lines per account and grant, and each grant's awarded amount and open commitments
    (for `manage.py rebuild_group_figures`; the posting path keeps them current)."""
    from django.db.models import Count, Sum
    from django.db.models.functions import TruncMonth

    from finance.grants.services import grant_facts, open_commitments_of
    from finance.ledger.models import JournalEntry, JournalLine
    from tenants import facade as tenants

    rows = (
        JournalLine.objects.filter(entry__status=JournalEntry.Status.POSTED)
        .annotate(month=TruncMonth("entry__date"))
        .values("month", "account__code", "account__kind", "account__rgs_code", "grant_id")
        .annotate(debit=Sum("debit"), credit=Sum("credit"), lines=Count("id"))
        .order_by("month", "account__code", "grant_id")
    )
    months = [
        tenants.MonthDelta(
            month=row["month"],
            account_code=row["account__code"],
            account_kind=row["account__kind"],
            rgs_code=row["account__rgs_code"],
            grant_id=row["grant_id"],
            debit=row["debit"],
            credit=row["credit"],
            lines=row["lines"],
        )
        for row in rows
    ]
    from finance.grants.models import Grant

    grants = [grant_facts(g, open_commitments_of(g.pk)) for g in Grant.objects.order_by("pk")]
    return months, grants
