"""The claims' fact for the registry's row: how many claims wait for approval or payment."""

from finance.claims.models import ExpenseClaim
from tenants import facade as registry

OPEN = (ExpenseClaim.Status.SUBMITTED, ExpenseClaim.Status.HALF, ExpenseClaim.Status.APPROVED)


def claims() -> dict:
    return {"open_claims": ExpenseClaim.objects.filter(status__in=OPEN).count()}


def refresh() -> None:
    registry.group_facts_refresh(claims)  # locks the row, then counts
