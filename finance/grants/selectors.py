"""Reads on grants: figures per grant and budget line (awarded, received, spent, committed)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, OuterRef, Q, QuerySet

from backoffice.core.money import ZERO
from finance.grants.models import BudgetLine, Commitment, Grant, Tranche
from finance.ledger.selectors import correlated_sum, expense_account_ids, posted_net_by


def _grants() -> QuerySet[Grant]:
    return Grant.objects.annotate(
        received=correlated_sum(
            Tranche, Q(grant=OuterRef("pk"), received_entry__isnull=False), F("amount")
        ),
        expected=correlated_sum(Tranche, Q(grant=OuterRef("pk")), F("amount")),
        committed=correlated_sum(
            Commitment,
            Q(budget_line__grant=OuterRef("pk"), settled_entry__isnull=True, cancelled=False),
            F("amount"),
        ),
        budgeted=correlated_sum(BudgetLine, Q(grant=OuterRef("pk")), F("amount")),
    ).order_by("-period_start", "reference")


@dataclass
class GrantSums:
    """Net amounts of the earmarked posted lines, from the ledger's day totals."""

    spent: dict[int, Decimal]  # grant id -> expense
    unbudgeted: dict[int, Decimal]  # grant id -> expense without a budget line
    actual: dict[int, Decimal]  # budget line id -> net


def grant_sums(grant_ids: list[int]) -> GrantSums:
    expense_ids = set(expense_account_ids())
    keys = ("grant_id", "budget_line_id", "account_id")
    nets = posted_net_by(keys, grant_id__in=grant_ids)
    sums = GrantSums(spent={}, unbudgeted={}, actual={})
    for (grant_id, budget_line_id, account_id), net in nets.items():
        if budget_line_id is not None:
            sums.actual[budget_line_id] = sums.actual.get(budget_line_id, ZERO) + net
        if account_id in expense_ids:
            sums.spent[grant_id] = sums.spent.get(grant_id, ZERO) + net
            if budget_line_id is None:
                sums.unbudgeted[grant_id] = sums.unbudgeted.get(grant_id, ZERO) + net
    return sums


def grant_list(*, sums: GrantSums | None = None) -> list[Grant]:
    """Grants with awarded, received, spent, committed, unspent and to-return amounts."""
    grants = list(_grants())
    sums = sums or grant_sums([g.pk for g in grants])
    for grant in grants:
        grant.spent = sums.spent.get(grant.pk, ZERO)
        _derive_grant_figures(grant)
    return grants


def grant_overview() -> tuple[list[Grant], list[BudgetLine]]:
    """All grants and all budget lines, from one scan of the ledger."""
    sums = grant_sums(list(Grant.objects.values_list("pk", flat=True)))
    return grant_list(sums=sums), budget_lines(sums=sums)


def grant_get(*, pk: int, sums: GrantSums | None = None) -> Grant:
    grant = _grants().get(pk=pk)
    sums = sums or grant_sums([grant.pk])
    grant.spent = sums.spent.get(grant.pk, ZERO)
    _derive_grant_figures(grant)
    return grant


def _derive_grant_figures(grant: Grant) -> None:
    grant.unspent = grant.amount - grant.spent
    grant.available = grant.unspent - grant.committed
    grant.to_return = max(grant.received - grant.spent, ZERO)
    grant.spent_percent = _percent(grant.spent, grant.amount)


def tranches(*, grant: Grant) -> QuerySet[Tranche]:
    return grant.tranches.select_related("received_entry", "received_entry__year")


def budget_lines(*, grant: Grant | None = None, sums: GrantSums | None = None) -> list[BudgetLine]:
    """Budget lines with `actual` (posted, net) and `committed` (open), `remaining`."""
    qs = (
        BudgetLine.objects.select_related("account", "grant")
        .annotate(
            committed=correlated_sum(
                Commitment,
                Q(budget_line=OuterRef("pk"), settled_entry__isnull=True, cancelled=False),
                F("amount"),
            ),
        )
        .order_by("grant__reference", "account__code", "id")
    )
    if grant is not None:
        qs = qs.filter(grant=grant)
    lines = list(qs)
    if sums is None:
        actuals = posted_net_by("budget_line_id", budget_line_id__in=[x.pk for x in lines])
    else:
        actuals = sums.actual
    for line in lines:
        line.actual = actuals.get(line.pk, ZERO)
        line.remaining = line.amount - line.actual - line.committed
        line.percent = _percent(line.actual, line.amount)
        line.committed_percent = min(
            _percent(line.committed, line.amount), 100 - min(line.percent, 100)
        )
        line.over = line.actual + line.committed > line.amount
    return lines


def unbudgeted_spent(*, grant: Grant, sums: GrantSums | None = None) -> Decimal:
    sums = sums or grant_sums([grant.pk])
    return sums.unbudgeted.get(grant.pk, ZERO)


def open_commitments(*, grant: Grant | None = None) -> QuerySet[Commitment]:
    qs = Commitment.objects.filter(settled_entry__isnull=True, cancelled=False).select_related(
        "budget_line", "budget_line__grant"
    )
    return qs.filter(budget_line__grant=grant) if grant is not None else qs


def _percent(part: Decimal, whole: Decimal) -> int:
    if not whole or whole <= 0:
        return 0
    return max(0, int((part * 100 / whole).to_integral_value()))
