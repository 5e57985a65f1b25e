"""Reads on the ledger: accounts, years, entries, receipts, balances."""

from datetime import date as Date
from decimal import Decimal

from django.db.models import DecimalField, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from backoffice.core.money import ZERO
from finance.ledger.models import Account, FinancialYear, JournalEntry, JournalLine, Receipt

MONEY = DecimalField(max_digits=14, decimal_places=2)


POSTED = JournalEntry.Status.POSTED


def _zero():
    return Value(Decimal("0.00"), output_field=MONEY)


def correlated_sum(model, filters: Q, expression) -> Coalesce:
    qs = (
        model.objects.filter(filters)
        .order_by()
        .annotate(_group=Value(1))
        .values("_group")
        .annotate(total=Sum(expression, output_field=MONEY))
        .values("total")
    )
    return Coalesce(Subquery(qs, output_field=MONEY), _zero())


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
        nets = net_by("account_id", lines)
    else:
        nets = net_by("account_id", lines.filter(entry__date__lte=on))
    for account in accounts:
        account.balance = nets.get(account.pk, ZERO)
    return accounts


def year_list() -> QuerySet[FinancialYear]:
    return FinancialYear.objects.order_by("-year")


def year_current(*, today: Date | None = None) -> FinancialYear | None:
    from django.utils import timezone

    today = today or timezone.localdate()
    return (
        FinancialYear.objects.filter(start__lte=today, end__gte=today).first()
        or FinancialYear.objects.order_by("-year").first()
    )


def entry_list(
    *, status: str | None = None, year: FinancialYear | None = None
) -> QuerySet[JournalEntry]:
    qs = (
        JournalEntry.objects.select_related("year")
        .annotate(
            total=correlated_sum(JournalLine, Q(entry=OuterRef("pk")), F("debit")),
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


def expense_account_ids() -> list[int]:
    return list(Account.objects.filter(kind=Account.Kind.EXPENSE).values_list("pk", flat=True))


def net_by(field, lines: QuerySet[JournalLine]) -> dict:
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
