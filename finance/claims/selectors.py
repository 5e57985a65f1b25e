"""Reads on expense claims."""

from __future__ import annotations

from django.db.models import QuerySet

from finance.claims.models import ClaimEvent, ExpenseClaim


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
