"""Reads on the ledger: accounts, years, entries, receipts, balances.

Balances and totals come from the day totals PostgreSQL keeps at posting
(`AccountDayTotal`); lines are read only where a report lists them.
"""

from dataclasses import dataclass
from datetime import date as Date
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from backoffice.core.money import ZERO
from finance.ledger.models import (
    Account,
    AccountDayTotal,
    FinancialYear,
    JournalEntry,
    JournalLine,
    Receipt,
    ReceiptNeed,
)

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


def _day_totals(*, start: Date | None = None, end: Date | None = None) -> QuerySet:
    qs = AccountDayTotal.objects.order_by()
    if start is not None:
        qs = qs.filter(date__gte=start)
    if end is not None:
        qs = qs.filter(date__lte=end)
    return qs


def account_totals(*, start: Date | None = None, end: Date | None = None) -> dict[int, dict]:
    """{account_id: {"debit": Decimal, "credit": Decimal}} over posted lines in the period."""
    rows = (
        _day_totals(start=start, end=end)
        .values("account_id")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
    )
    return {r["account_id"]: {"debit": r["debit"], "credit": r["credit"]} for r in rows}


def cash_balances(*, on: Date | None = None) -> list[Account]:
    """Cash and bank accounts with `balance` (debit − credit) up to `on`."""
    accounts = list(cash_accounts())
    nets = posted_net_by("account_id", end=on, account_id__in=[a.pk for a in accounts])
    for account in accounts:
        account.balance = nets.get(account.pk, ZERO)
    return accounts


def posted_net_by(fields, *, end: Date | None = None, **filters) -> dict:
    """{value of `fields`: debit − credit} over posted lines, from the day totals.

    `fields` is one of account_id, grant_id, budget_line_id or a tuple of them (then the keys
    are tuples); `filters` narrow the day totals, e.g. grant_id__in=[...].
    """
    fields = (fields,) if isinstance(fields, str) else tuple(fields)
    rows = (
        _day_totals(end=end)
        .filter(**filters)
        .values(*fields)
        .annotate(net=Sum(F("debit") - F("credit"), output_field=MONEY))
    )
    return {
        (r[fields[0]] if len(fields) == 1 else tuple(r[f] for f in fields)): r["net"] for r in rows
    }


@dataclass(frozen=True)
class AccountDay:
    date: Date
    net: Decimal  # debit − credit of the day's posted lines
    lines: int


def account_days(*, account: Account, start: Date, end: Date) -> tuple[Decimal, list[AccountDay]]:
    """The account's balance (debit − credit) before `start`, and its days with posted lines
    from `start` to `end`: the map a ledger card uses to find any page without reading the
    lines before it."""
    totals = AccountDayTotal.objects.filter(account=account).order_by()
    opening = totals.filter(date__lt=start).aggregate(
        net=Sum(F("debit") - F("credit"), output_field=MONEY)
    )["net"]
    days = [
        AccountDay(r["date"], r["net"], r["lines"])
        for r in totals.filter(date__gte=start, date__lte=end)
        .values("date")
        .annotate(net=Sum(F("debit") - F("credit"), output_field=MONEY), lines=Sum("lines"))
        .order_by("date")
    ]
    return opening or ZERO, days


LINE_ORDER = ("entry__date", "entry_id", "line_no")


def account_lines(*, account: Account, start: Date, end: Date) -> QuerySet[JournalLine]:
    """Posted lines of one account dated `start`..`end`, in ledger-card order, as tuples:
    (date, number, line description, entry description, debit, credit, entry id)."""
    return (
        posted_lines(start=start, end=end)
        .filter(account=account)
        .order_by(*LINE_ORDER)
        .values_list(
            "entry__date",
            "entry__number",
            "description",
            "entry__description",
            "debit",
            "credit",
            "entry_id",
        )
    )


def day_totals_differences() -> list[tuple]:
    """Where the stored day totals differ from the posted lines: (account, date, grant,
    budget line, stored debit, credit, lines, recomputed debit, credit, lines). Empty when
    they agree."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH recomputed AS (
                SELECT l.account_id, e.date, l.grant_id, l.budget_line_id,
                       sum(l.debit) AS debit, sum(l.credit) AS credit, count(*) AS lines
                FROM finance_journalline l
                JOIN finance_journalentry e ON e.id = l.entry_id
                WHERE e.status = %s
                GROUP BY l.account_id, e.date, l.grant_id, l.budget_line_id
            )
            SELECT coalesce(t.account_id, r.account_id), coalesce(t.date, r.date),
                   coalesce(t.grant_id, r.grant_id), coalesce(t.budget_line_id, r.budget_line_id),
                   t.debit, t.credit, t.lines, r.debit, r.credit, r.lines
            FROM finance_accountdaytotal t
            FULL JOIN recomputed r
              ON r.account_id = t.account_id AND r.date = t.date
             AND r.grant_id IS NOT DISTINCT FROM t.grant_id
             AND r.budget_line_id IS NOT DISTINCT FROM t.budget_line_id
            WHERE (t.debit, t.credit, t.lines) IS DISTINCT FROM (r.debit, r.credit, r.lines)
            ORDER BY 1, 2
            """,
            [POSTED],
        )
        return cursor.fetchall()


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


def _missing_drafts() -> QuerySet[JournalEntry]:
    """Drafts with an expense and no receipt (few: drafts are what is still being entered)."""
    expense_line = JournalLine.objects.filter(
        entry=OuterRef("pk"), debit__gt=0, account__kind=Account.Kind.EXPENSE
    )
    return (
        entry_list(status=JournalEntry.Status.DRAFT)
        .filter(Exists(expense_line), has_receipt=False)
        .exclude(kind=JournalEntry.Kind.REVERSAL)
    )


def _missing_posted_needs() -> QuerySet[ReceiptNeed]:
    return ReceiptNeed.objects.filter(has_receipt=False, reversed=False)


def _missing_posted() -> QuerySet[JournalEntry]:
    # Ordered by the receipt needs' own columns, so their partial index gives the order.
    return (
        entry_list()
        .filter(receipt_need__has_receipt=False, receipt_need__reversed=False)
        .order_by("-receipt_need__date", "-receipt_need__entry_id")
    )


def missing_receipts() -> QuerySet[JournalEntry]:
    """Expenses without a receipt, drafts and posted (corrections and corrected entries
    excluded). For a list or a count use `missing_receipt_list()`, which reads faster."""
    return entry_list().filter(
        Q(receipt_need__has_receipt=False, receipt_need__reversed=False)
        | Q(pk__in=_missing_drafts().values("pk"))
    )


class MissingReceipts:
    """Expenses without a receipt: drafts first, then posted ones, newest first.

    Sized and sliced like a queryset (a Paginator takes it), in a fixed number of queries:
    posted expenses come from the receipt needs PostgreSQL keeps, so neither a page nor the
    count probes every entry.
    """

    def __init__(self):
        self._drafts = _missing_drafts()
        self._posted = _missing_posted()
        self._draft_count: int | None = None
        self._count: int | None = None

    def draft_count(self) -> int:
        if self._draft_count is None:
            self._draft_count = self._drafts.count()
        return self._draft_count

    def count(self, *, cap: int | None = None) -> int:
        """How many, in one query; with `cap`, counting stops there (a to-do count needs
        no more)."""
        if cap is None and self._count is not None:
            return self._count
        drafts = self._drafts.values("pk")
        posted = _missing_posted_needs().order_by().values("entry_id")
        if cap is not None:
            drafts, posted = drafts[:cap], posted[:cap]
        total = drafts.union(posted, all=True).count()
        if cap is not None:
            return min(total, cap)
        self._count = total
        return total

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice | int) -> list[JournalEntry] | JournalEntry:
        if isinstance(key, int):
            return self[key : key + 1][0]
        start, stop = key.start or 0, key.stop
        if start == 0:  # the first page: no need to know how many drafts there are
            found = list(self._drafts[:stop])
            if stop is None or len(found) < stop:
                self._draft_count = len(found)
                found += list(self._posted[: None if stop is None else stop - len(found)])
            return found
        drafts = self.draft_count()
        found = list(self._drafts[start:stop]) if start < drafts else []
        first, last = max(start - drafts, 0), (None if stop is None else stop - drafts)
        if last is None or last > 0:
            found += list(self._posted[first:last])
        return found

    def __iter__(self):
        return iter(self[0:None])

    def exists(self) -> bool:
        return self._drafts.exists() or _missing_posted_needs().exists()


def missing_receipt_list() -> MissingReceipts:
    return MissingReceipts()


def receipt_counts(*, grant_id: int) -> dict:
    """Posted, uncorrected expenses on a grant: {"total": n, "with_receipt": m}."""
    return ReceiptNeed.objects.filter(grant_ids__contains=[grant_id], reversed=False).aggregate(
        total=Count("pk"), with_receipt=Count("pk", filter=Q(has_receipt=True))
    )


def receipt_get(*, pk: int) -> Receipt:
    return Receipt.objects.select_related("entry").get(pk=pk)


def expense_account_ids() -> list[int]:
    return list(Account.objects.filter(kind=Account.Kind.EXPENSE).values_list("pk", flat=True))
