"""Reads on expense claims, and what a decision has already allowed (claims and expenses)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet, Sum

from finance.claims.models import ClaimEvent, ExpenseClaim
from finance.ledger.models import Account, JournalLine


def claims(*, user_id: int | None = None, status: str | None = None) -> QuerySet[ExpenseClaim]:
    """All claims, or only `user_id`'s own."""
    qs = ExpenseClaim.objects.select_related("duplicate_of", "decision").order_by(
        "-submitted_at", "-id"
    )
    if user_id is not None:
        qs = qs.filter(claimant_id=user_id)
    if status:
        qs = qs.filter(status=status)
    return qs


def claim_get(*, pk: int) -> ExpenseClaim:
    return ExpenseClaim.objects.select_related(
        "decision", "category", "budget_line", "duplicate_of", "paid_entry", "paid_entry__year"
    ).get(pk=pk)


def claim_events(*, claim: ExpenseClaim) -> list[ClaimEvent]:
    from django.contrib.auth import get_user_model

    events = list(claim.events.order_by("at", "id"))
    users = get_user_model().objects.in_bulk({e.actor_id for e in events if e.actor_id})
    for event in events:
        event.by = users.get(event.actor_id)
    return events


def claims_to_pay() -> QuerySet[ExpenseClaim]:
    return ExpenseClaim.objects.filter(
        status=ExpenseClaim.Status.APPROVED, exported_at__isnull=True
    ).order_by("number")


def claims_waiting_count() -> int:
    return ExpenseClaim.objects.filter(
        status__in=[ExpenseClaim.Status.SUBMITTED, ExpenseClaim.Status.HALF]
    )[:1000].count()


def spent_under_decision(decision, *, excluding_claim: int | None = None) -> Decimal:
    """What a decision has already allowed: expenses booked citing it (reversed entries do
    not count) plus expense claims citing it that are not rejected. A paid claim's payment
    entry does not cite the decision itself, so nothing is counted twice."""
    decision_id = getattr(decision, "pk", decision)
    booked = JournalLine.objects.filter(
        entry__decision_id=decision_id,
        entry__reversed_by__isnull=True,
        account__kind=Account.Kind.EXPENSE,
    ).aggregate(total=Sum("debit"))["total"] or Decimal("0.00")
    claims = ExpenseClaim.objects.filter(decision_id=decision_id).exclude(
        status=ExpenseClaim.Status.REJECTED
    )
    if excluding_claim is not None:
        claims = claims.exclude(pk=excluding_claim)
    claimed = claims.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    return booked + claimed
