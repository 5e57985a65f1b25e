"""The ledger's facts about the current group for the registry's row (tenants/facts.py).

Bookings, the budget of the newest grant against its spending, and the oldest year the
kascommissie has not discharged. Posting adds to the row
(`entries_posted`: one UPDATE); a service that changes what a topic reads in a way that does
not add up (a grant, a year's closing or signatures) calls `refresh(topic)`, which recomputes
it under the row's lock. Both run inside the service's own transaction, so the public row
changes with the write or not at all (docs/adr/0013). Grants and the kascommissie's
signatures are reached through the ledger's own relations (a line's grant, a year's audit),
so the ledger imports neither.
"""

from django.db.models import Count, Max, Min

from backoffice.core.money import ZERO
from finance.ledger.models import Account, FinancialYear, JournalEntry, JournalLine, LedgerState
from finance.ledger.selectors import expense_account_ids, posted_net_by
from tenants import facade as registry

BOOKINGS = "bookings"
BUDGET = "budget"
AUDIT = "audit"


def bookings() -> dict:
    """The last booking's date, and the head of the keyed hash chain (sequence and HMAC of
    the last posted entry) that the municipality's report names as the books it read."""
    last = JournalEntry.objects.filter(status=JournalEntry.Status.POSTED).aggregate(d=Max("date"))
    state = LedgerState.objects.filter(pk=1).values_list("last_sequence", "last_hash").first()
    sequence, head = state or (0, "")
    return {"last_booking_on": last["d"], "chain_sequence": sequence, "chain_head": head}


def budget() -> dict:
    """The newest grant (by start of its period): its period, amount and what it spent."""
    grant_model = JournalLine._meta.get_field("grant").related_model
    ends = sorted(grant_model.objects.values_list("period_end", flat=True))
    grant = grant_model.objects.order_by("-period_start", "-pk").first()
    if grant is None:
        return {
            "grant_period_ends": [],
            "budget_start": None,
            "budget_end": None,
            "budget_total": ZERO,
            "budget_spent": ZERO,
        }
    nets = posted_net_by("account_id", grant_id=grant.pk)
    expense = set(expense_account_ids())
    spent = sum((net for account_id, net in nets.items() if account_id in expense), ZERO)
    return {
        "grant_period_ends": ends,
        "budget_start": grant.period_start,
        "budget_end": grant.period_end,
        "budget_total": grant.amount,
        "budget_spent": spent,
    }


def audit() -> dict:
    """The end of the oldest year without decharge (two members of the kascommissie signed)."""
    oldest = (
        FinancialYear.objects.annotate(signed=Count("audit__signoffs__user_id", distinct=True))
        .exclude(signed__gte=2)
        .aggregate(end=Min("end"))
    )
    return {"audit_due_year_end": oldest["end"]}


TOPICS = {BOOKINGS: bookings, BUDGET: budget, AUDIT: audit}


def refresh(*topics: str) -> None:
    """Recompute `topics` under the row's lock (grants changed, a year closed or signed)."""

    def compute() -> dict:
        values: dict = {}
        for topic in topics:
            values.update(TOPICS[topic]())
        return values

    registry.group_facts_refresh(compute)


def entries_posted(*, entries, lines_by_entry: dict[int, list[dict]]) -> None:
    """What freshly posted entries change, added to the row in one UPDATE (the posting path).

    Posted entries are never removed (a correction is a new posted entry), so the last
    booking only moves forward, and the newest grant's spending only changes by the lines
    posted on it. Only when a line carries a grant is the row locked first and the newest
    grant looked up: a grant made at the same moment then either is seen here or waits and
    recomputes with these lines in it.
    """
    if not entries:
        return
    add = {}
    granted = [row for e in entries for row in lines_by_entry.get(e.pk, []) if row["grant_id"]]
    if granted:
        registry.group_facts_lock()
        grant_model = JournalLine._meta.get_field("grant").related_model
        newest = (
            grant_model.objects.order_by("-period_start", "-pk").values_list("pk", flat=True)
        ).first()
        on_newest = [row for row in granted if row["grant_id"] == newest]
        if on_newest:
            expense = set(
                Account.objects.filter(
                    kind=Account.Kind.EXPENSE, pk__in={row["account_id"] for row in on_newest}
                ).values_list("pk", flat=True)
            )
            add["budget_spent"] = sum(
                (row["debit"] - row["credit"] for row in on_newest if row["account_id"] in expense),
                ZERO,
            )
    state = LedgerState.objects.filter(pk=1).values_list("last_sequence", "last_hash").first()
    sequence, head = state or (0, "")
    registry.group_facts_adjust(
        add=add,
        at_least={"last_booking_on": max(e.date for e in entries)},
        becomes={"chain_sequence": sequence, "chain_head": head},
    )


def all_facts() -> dict:
    return {k: v for compute in TOPICS.values() for k, v in compute().items()}
