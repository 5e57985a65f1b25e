"""Reads on the books. Sums are computed by PostgreSQL (NUMERIC), never in floats."""

from dataclasses import dataclass
from datetime import date as Date
from decimal import Decimal

from django.db.models import DecimalField, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .models import (
    Account,
    AuditCheck,
    BudgetLine,
    Commitment,
    FinancialYear,
    Grant,
    JournalEntry,
    JournalLine,
    PeriodEvent,
    Receipt,
    ReopenRequest,
    Tranche,
)
from .money import ZERO

MONEY = DecimalField(max_digits=14, decimal_places=2)
POSTED = JournalEntry.Status.POSTED


def _zero():
    return Value(Decimal("0.00"), output_field=MONEY)


def _correlated_sum(model, filters: Q, expression) -> Coalesce:
    qs = (
        model.objects.filter(filters)
        .order_by()
        .annotate(_group=Value(1))
        .values("_group")
        .annotate(total=Sum(expression, output_field=MONEY))
        .values("total")
    )
    return Coalesce(Subquery(qs, output_field=MONEY), _zero())


# --- accounts and balances -----------------------------------------------------------------


def account_list(*, active_only: bool = False) -> QuerySet[Account]:
    qs = Account.objects.all().order_by("code")
    return qs.filter(is_active=True) if active_only else qs


def expense_categories() -> QuerySet[Account]:
    return Account.objects.filter(kind=Account.Kind.EXPENSE, is_active=True).order_by("code")


def income_categories() -> QuerySet[Account]:
    return Account.objects.filter(kind=Account.Kind.INCOME, is_active=True).order_by("code")


def cash_accounts() -> QuerySet[Account]:
    return Account.objects.filter(is_cash=True, is_active=True).order_by("code")


def account_by_role(role: str) -> Account:
    return Account.objects.get(role=role)


def posted_lines(*, start: Date | None = None, end: Date | None = None) -> QuerySet[JournalLine]:
    qs = JournalLine.objects.filter(entry__status=POSTED)
    if start is not None:
        qs = qs.filter(entry__date__gte=start)
    if end is not None:
        qs = qs.filter(entry__date__lte=end)
    return qs


def account_totals(*, start: Date | None = None, end: Date | None = None) -> dict[int, dict]:
    """{account_id: {"debit": Decimal, "credit": Decimal}} over posted lines in the period."""
    rows = (
        posted_lines(start=start, end=end)
        .order_by()
        .values("account_id")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
    )
    return {r["account_id"]: {"debit": r["debit"], "credit": r["credit"]} for r in rows}


def cash_balances(*, on: Date | None = None) -> list[Account]:
    """Cash and bank accounts with `balance` (debit − credit) up to `on`."""
    accounts = list(cash_accounts())
    lines = JournalLine.objects.filter(account_id__in=[a.pk for a in accounts])
    if on is None:
        nets = _net_by("account_id", lines)
    else:
        nets = _net_by("account_id", lines.filter(entry__date__lte=on))
    for account in accounts:
        account.balance = nets.get(account.pk, ZERO)
    return accounts


# --- years ---------------------------------------------------------------------------------


def year_list() -> QuerySet[FinancialYear]:
    return FinancialYear.objects.order_by("-year")


def year_current(*, today: Date | None = None) -> FinancialYear | None:
    from django.utils import timezone

    today = today or timezone.localdate()
    return (
        FinancialYear.objects.filter(start__lte=today, end__gte=today).first()
        or FinancialYear.objects.order_by("-year").first()
    )


def year_events(*, year: FinancialYear) -> QuerySet[PeriodEvent]:
    return year.events.order_by("at", "id")


def reopen_request_open(*, year: FinancialYear) -> ReopenRequest | None:
    return year.reopen_requests.filter(completed_at__isnull=True).first()


def audit_for_year(*, year: FinancialYear) -> AuditCheck | None:
    return AuditCheck.objects.filter(year=year).first()


# --- entries -------------------------------------------------------------------------------


def entry_list(
    *, status: str | None = None, year: FinancialYear | None = None
) -> QuerySet[JournalEntry]:
    qs = (
        JournalEntry.objects.select_related("year")
        .annotate(
            total=_correlated_sum(JournalLine, Q(entry=OuterRef("pk")), F("debit")),
            has_receipt=Exists(Receipt.objects.filter(entry=OuterRef("pk"))),
        )
        .order_by("-date", "-id")
    )
    if status:
        qs = qs.filter(status=status)
    if year is not None:
        qs = qs.filter(year=year)
    return qs


def entry_detail(*, pk: int) -> JournalEntry:
    return (
        JournalEntry.objects.select_related("year", "reverses", "reverses__year", "decision")
        .prefetch_related("lines__account", "lines__grant", "lines__budget_line", "receipts")
        .get(pk=pk)
    )


def entry_reversal(*, entry: JournalEntry) -> JournalEntry | None:
    return JournalEntry.objects.select_related("year").filter(reverses=entry).first()


def drafts() -> QuerySet[JournalEntry]:
    return entry_list(status=JournalEntry.Status.DRAFT)


def missing_receipts() -> QuerySet[JournalEntry]:
    """Expenses without a receipt (corrections and corrected entries excluded)."""
    expense_line = JournalLine.objects.filter(
        entry=OuterRef("pk"), debit__gt=0, account__kind=Account.Kind.EXPENSE
    )
    return (
        entry_list()
        .filter(Exists(expense_line), has_receipt=False)
        .exclude(kind=JournalEntry.Kind.REVERSAL)
        .exclude(Exists(JournalEntry.objects.filter(reverses=OuterRef("pk"))))
    )


def receipt_get(*, pk: int) -> Receipt:
    return Receipt.objects.select_related("entry").get(pk=pk)


# --- grants and budgets --------------------------------------------------------------------


def _expense_account_ids() -> list[int]:
    return list(Account.objects.filter(kind=Account.Kind.EXPENSE).values_list("pk", flat=True))


def _net_by(field, lines: QuerySet[JournalLine]) -> dict:
    """{field value: debit − credit} over posted lines.

    Summed over all lines minus the (few) draft lines, so the large scan needs no join with
    the entries; the draft part is small and uses the status index.
    """
    fields = (field,) if isinstance(field, str) else tuple(field)

    def grouped(qs):
        rows = (
            qs.order_by()
            .values(*fields)
            .annotate(net=Sum(F("debit") - F("credit"), output_field=MONEY))
        )
        return {
            (r[fields[0]] if len(fields) == 1 else tuple(r[f] for f in fields)): r["net"]
            for r in rows
        }

    totals = grouped(lines)
    for key, net in grouped(lines.filter(entry__status=JournalEntry.Status.DRAFT)).items():
        totals[key] = totals.get(key, ZERO) - net
    return totals


def _grants() -> QuerySet[Grant]:
    return Grant.objects.annotate(
        received=_correlated_sum(
            Tranche, Q(grant=OuterRef("pk"), received_entry__isnull=False), F("amount")
        ),
        expected=_correlated_sum(Tranche, Q(grant=OuterRef("pk")), F("amount")),
        committed=_correlated_sum(
            Commitment,
            Q(budget_line__grant=OuterRef("pk"), settled_entry__isnull=True, cancelled=False),
            F("amount"),
        ),
        budgeted=_correlated_sum(BudgetLine, Q(grant=OuterRef("pk")), F("amount")),
    ).order_by("-period_start", "reference")


@dataclass
class GrantSums:
    """Net amounts from one scan of the earmarked lines (posted only)."""

    spent: dict[int, Decimal]  # grant id -> expense
    unbudgeted: dict[int, Decimal]  # grant id -> expense without a budget line
    actual: dict[int, Decimal]  # budget line id -> net


def grant_sums(grant_ids: list[int]) -> GrantSums:
    expense_ids = set(_expense_account_ids())
    lines = JournalLine.objects.filter(grant_id__in=grant_ids)
    keys = ("grant_id", "budget_line_id", "account_id")
    nets = _net_by(keys, lines)
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
            committed=_correlated_sum(
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
        actuals = _net_by(
            "budget_line_id", JournalLine.objects.filter(budget_line_id__in=[x.pk for x in lines])
        )
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
