"""Reads on closing: year events, reopen requests, the kascommissie's check."""

from dataclasses import dataclass
from datetime import date as Date
from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from backoffice.core.money import ZERO, format_euro
from finance.bank.models import BankAccount, BankLine
from finance.closing.models import AuditCheck, AuditSample, PeriodEvent, ReopenRequest
from finance.ledger import selectors as ledger_selectors
from finance.ledger.models import FinancialYear, JournalEntry, ReceiptNeed


def year_events(*, year: FinancialYear) -> QuerySet[PeriodEvent]:
    return year.events.select_related("anchor").order_by("at", "id")


def reopen_request_open(*, year: FinancialYear) -> ReopenRequest | None:
    return year.reopen_requests.filter(completed_at__isnull=True).first()


def audit_for_year(*, year: FinancialYear) -> AuditCheck | None:
    return AuditCheck.objects.filter(year=year).first()


# --- the kascommissie's view of a year: bank against books, and what is still open -------


@dataclass(frozen=True)
class BankAtYearEnd:
    """One bank account at the year's end: what the imported statements say, and the books."""

    account: BankAccount
    statement_balance: Decimal | None  # None: no imported statement reaches the year end
    statement_date: Date | None  # the statement balance the figure starts from
    books_balance: Decimal

    @property
    def difference(self) -> Decimal | None:
        if self.statement_balance is None:
            return None
        return self.statement_balance - self.books_balance


@dataclass(frozen=True)
class YearCheck:
    """What the kascommissie sees before signing; `blocking` stops signing and closing,
    `open_items` may be signed for only with a written finding."""

    year: FinancialYear
    banks: list[BankAtYearEnd]
    books_bank_balance: Decimal  # the books' bank account(s) at the year end
    unreconciled_lines: int
    drafts: int
    missing_receipts: int
    samples_not_ok: int

    @property
    def statement_total(self) -> Decimal | None:
        if not self.banks or any(b.statement_balance is None for b in self.banks):
            return None
        return sum((b.statement_balance for b in self.banks), ZERO)

    @property
    def blocking(self) -> list[str]:
        reasons = []
        if self.drafts:
            reasons.append(
                _("%(n)s conceptboeking(en) in %(y)s: boek of verwijder ze eerst.")
                % {"n": self.drafts, "y": self.year.year}
            )
        if self.unreconciled_lines:
            reasons.append(
                _(
                    "%(n)s bankregel(s) van %(y)s zijn nog niet gekoppeld aan de boeken. "
                    "Na het afsluiten kunnen ze niet meer worden geboekt: koppel of boek ze "
                    "eerst."
                )
                % {"n": self.unreconciled_lines, "y": self.year.year}
            )
        return reasons

    @property
    def open_items(self) -> list[str]:
        items = []
        for bank in self.banks:
            if bank.statement_balance is None:
                items.append(
                    _("Geen ingelezen afschrift van %(a)s tot het einde van het jaar.")
                    % {"a": bank.account}
                )
            elif bank.difference:
                items.append(
                    _("%(a)s: het afschrift zegt %(s)s, de boeken %(b)s (verschil %(d)s).")
                    % {
                        "a": bank.account,
                        "s": format_euro(bank.statement_balance),
                        "b": format_euro(bank.books_balance),
                        "d": format_euro(bank.difference),
                    }
                )
        if self.missing_receipts:
            items.append(
                _("%(n)s geboekte uitgave(n) zonder bonnetje.") % {"n": self.missing_receipts}
            )
        if self.samples_not_ok:
            items.append(
                _("%(n)s boeking(en) uit de steekproef niet in orde.") % {"n": self.samples_not_ok}
            )
        return items


def bank_balance_at(*, account: BankAccount, on: Date) -> tuple[Decimal | None, Date | None]:
    """The balance of `account` at the end of `on` by its imported statements: the latest
    balance a statement gives on or before that day, plus the lines imported after it."""
    points = []
    for statement in account.statements.all():
        if statement.closing_date and statement.closing_balance is not None:
            points.append((statement.closing_date, statement.closing_balance))
        if statement.opening_date and statement.opening_balance is not None:
            # an opening balance is the balance before that day's lines
            points.append((statement.opening_date - timedelta(days=1), statement.opening_balance))
    points = [p for p in points if p[0] <= on]
    if not points:
        return None, None
    day, balance = max(points, key=lambda p: p[0])
    later = account.lines.filter(booking_date__gt=day, booking_date__lte=on).aggregate(
        total=Sum("amount")
    )["total"]
    return balance + (later or ZERO), day


def _open_counts(year: FinancialYear, check: AuditCheck | None) -> tuple[int, int, int, int]:
    """Unreconciled bank lines, drafts, missing receipts and rejected samples: one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT
              (SELECT count(*) FROM {BankLine._meta.db_table}
                WHERE reconciled_at IS NULL AND booking_date BETWEEN %(start)s AND %(end)s),
              (SELECT count(*) FROM {JournalEntry._meta.db_table}
                WHERE year_id = %(year)s AND status = %(draft)s),
              (SELECT count(*) FROM {ReceiptNeed._meta.db_table}
                WHERE NOT has_receipt AND NOT reversed AND date BETWEEN %(start)s AND %(end)s),
              (SELECT count(*) FROM {AuditSample._meta.db_table}
                WHERE check_run_id = %(check)s AND ok = false)
            """,
            {
                "start": year.start,
                "end": year.end,
                "year": year.pk,
                "draft": JournalEntry.Status.DRAFT.value,
                "check": check.pk if check else None,
            },
        )
        return cursor.fetchone()


def year_check(*, year: FinancialYear, check: AuditCheck | None = None) -> YearCheck:
    """The figures of the kascommissie's check (`check`, if given, saves looking it up)."""
    books = {a.pk: a.balance for a in ledger_selectors.cash_balances(on=year.end)}
    banks = []
    for account in BankAccount.objects.filter(is_active=True).prefetch_related("statements"):
        balance, day = bank_balance_at(account=account, on=year.end)
        banks.append(
            BankAtYearEnd(
                account=account,
                statement_balance=balance,
                statement_date=day,
                books_balance=books.get(account.ledger_account_id, ZERO),
            )
        )
    if check is None:
        check = AuditCheck.objects.filter(year=year).first()
    if banks:
        books_bank = sum((b.books_balance for b in banks), ZERO)
    else:
        books_bank = books.get(ledger_selectors.account_by_role("bank").pk, ZERO)
    unreconciled, drafts, missing, not_ok = _open_counts(year, check)
    return YearCheck(
        year=year,
        banks=banks,
        books_bank_balance=books_bank,
        unreconciled_lines=unreconciled,
        drafts=drafts,
        missing_receipts=missing,
        samples_not_ok=not_ok,
    )
