"""What other apps may ask of a group's books. Nothing outside finance imports more than this.

Functions run in the current group's schema and return frozen dataclasses or plain values.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from finance import todo
from finance.bank.models import BankAccount
from finance.grants.models import BudgetLine

ToDo = todo.ToDo
ToDoItem = todo.ToDoItem


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


def my_todo(*, user) -> todo.ToDo:
    """What waits for `user` in the current group: claims to approve (never their own),
    reopen requests and a kascommissie signature waiting for them, their own bookings
    without a receipt. A few queries, whatever the number of items."""
    return todo.todo_for(user)


# --- Resident initiatives (groups.initiatives) ---------------------------------------------


@dataclass(frozen=True)
class BudgetLineInfo:
    id: int
    label: str  # "SUB-2026-01 — Activiteiten (Kosten activiteiten)"
    amount: Decimal


@dataclass(frozen=True)
class EntryRef:
    """A booking as another app may show it: its number, date, amount and bank line."""

    id: int
    number: str
    date: date
    description: str
    amount: Decimal
    origin_kind: str
    origin_id: int | None
    bank_line: str  # "12-03-2026 € 150,00 K. de Vries", or "" while not reconciled


def budget_line_info(budget_line_id: int | None) -> BudgetLineInfo | None:
    """One budget line (None when it does not exist, or is not given)."""
    if budget_line_id is None:
        return None
    line = BudgetLine.objects.select_related("grant", "account").filter(pk=budget_line_id).first()
    return _budget_line_info(line) if line is not None else None


def initiative_award_commit(
    *, user, budget_line_id: int, amount: Decimal, description: str, approved_on: date
) -> int:
    """Promise an awarded amount on a budget line; returns the commitment's id."""
    from finance import initiative_money

    return initiative_money.award_commit(
        user=user,
        budget_line_id=budget_line_id,
        amount=amount,
        description=description,
        approved_on=approved_on,
    ).pk


def initiative_commitment_end(*, user, commitment_id: int, entry_id: int | None) -> None:
    from finance import initiative_money

    initiative_money.award_commitment_end(user=user, commitment_id=commitment_id, entry_id=entry_id)


def initiative_advance_pay(
    *,
    user,
    payout_id: int,
    budget_line_id: int,
    amount: Decimal,
    date: date,
    description: str,
    decision_id: int | None,
    paid_before: Decimal,
    against_receipts: bool = False,
) -> EntryRef:
    """Book an advance to an initiator, or a payout against accepted receipts
    (`against_receipts`) (treasurer; the award's decision covers it)."""
    from finance import initiative_money

    entry = initiative_money.advance_pay(
        user=user,
        payout_id=payout_id,
        budget_line_id=budget_line_id,
        amount=amount,
        date=date,
        description=description,
        decision_id=decision_id,
        paid_before=paid_before,
        against_receipts=against_receipts,
    )
    return entry_refs([entry.pk])[0]


@dataclass(frozen=True)
class PaymentOrderRef:
    """A transfer waiting for (or put in) the SEPA payment file."""

    id: int
    end_to_end_id: str
    exported_at: object | None  # datetime once in a payment file


def initiative_payment_order(
    *,
    user,
    entry_id: int,
    payout_id: int,
    kind: str,
    name: str,
    iban: str,
    amount: Decimal,
    description: str,
) -> PaymentOrderRef:
    """A booked initiative payout to be transferred to `iban` through the payment file
    (the same batch as approved expense claims). The IBAN is checked (schwifty)."""
    from finance import initiative_money

    order = initiative_money.payment_order_add(
        user=user,
        entry_id=entry_id,
        origin_kind=kind,
        origin_id=payout_id,
        name=name,
        iban=iban,
        amount=amount,
        description=description,
        end_to_end_id=f"INITIATIEF-U{payout_id}",
    )
    return PaymentOrderRef(order.pk, order.end_to_end_id, order.exported_at)


def payment_orders(order_ids: list[int]) -> dict[int, PaymentOrderRef]:
    from finance.bank.models import PaymentOrder

    return {
        o.pk: PaymentOrderRef(o.pk, o.end_to_end_id, o.exported_at)
        for o in PaymentOrder.objects.filter(pk__in=order_ids)
    }


@dataclass(frozen=True)
class ReceivingAccount:
    iban: str
    holder: str


def receiving_account() -> ReceivingAccount | None:
    """The group's bank account that money paid back goes to (None if it has none)."""
    from finance import initiative_money

    account = initiative_money.receiving_account()
    return ReceivingAccount(account.iban, account.holder) if account else None


def initiative_advance_return(
    *, user, payout_id: int, budget_line_id: int, amount: Decimal, date: date, description: str
) -> EntryRef:
    """Book the unspent part of an advance that came back (treasurer)."""
    from finance import initiative_money

    entry = initiative_money.advance_return(
        user=user,
        payout_id=payout_id,
        budget_line_id=budget_line_id,
        amount=amount,
        date=date,
        description=description,
    )
    return entry_refs([entry.pk])[0]


def entry_refs(entry_ids: list[int]) -> list[EntryRef]:
    """Bookings by id (in that order), with the bank line that paid them when reconciled."""
    from backoffice.core.money import format_euro
    from finance.ledger.models import JournalEntry

    entries = JournalEntry.objects.filter(pk__in=entry_ids).select_related("bank_line", "year")
    by_id = {}
    for entry in entries.prefetch_related("lines"):
        amount = sum((line.debit for line in entry.lines.all()), Decimal("0.00"))
        bank = getattr(entry, "bank_line", None)
        by_id[entry.pk] = EntryRef(
            id=entry.pk,
            number=entry.display_number,
            date=entry.date,
            description=entry.description,
            amount=amount,
            origin_kind=entry.origin_kind,
            origin_id=entry.origin_id,
            bank_line=(
                f"{bank.booking_date:%d-%m-%Y} {format_euro(bank.amount)} {bank.counterparty_name}"
                if bank is not None
                else ""
            ),
        )
    return [by_id[pk] for pk in entry_ids if pk in by_id]


def spending_by_category(entry_ids: list[int]) -> tuple[tuple[str, Decimal], ...]:
    """What these bookings spent, net of returns, per cost category (the expense account's
    name), largest first: debits minus credits on expense accounts, exact to the cent."""
    from django.db.models import Sum

    from finance.ledger.models import Account, JournalLine

    rows = (
        JournalLine.objects.filter(entry_id__in=entry_ids, account__kind=Account.Kind.EXPENSE)
        .values("account__name")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
    )
    spent = [(row["account__name"], row["debit"] - row["credit"]) for row in rows]
    return tuple(sorted(((n, a) for n, a in spent if a != 0), key=lambda r: (-r[1], r[0])))


def group_facts() -> dict:
    """Every fact the books keep in the registry's row (tenants/facts.py), read afresh."""
    from finance.bank import facts as bank_facts
    from finance.claims import facts as claim_facts
    from finance.ledger import facts as ledger_facts

    return {**ledger_facts.all_facts(), **bank_facts.bank(), **claim_facts.claims()}


def year_statuses() -> list:
    """Per financial year: closed or not, and the kascommissie's progress (for the reports'
    GroupYearStatus rows; the closing services keep them current, the rebuild asks this)."""
    from finance.closing.report_status import year_statuses as compute

    return compute()


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


def _budget_line_info(line: BudgetLine) -> BudgetLineInfo:
    return BudgetLineInfo(
        id=line.pk,
        label=f"{line.grant.reference} — {line.description} ({line.account.name})",
        amount=line.amount,
    )


def budget_line_options() -> list[BudgetLineInfo]:
    """Every budget line of the group, newest grant first: the one choice list for decisions
    and rounds of initiatives, labelled "grant reference — description (category)"."""
    lines = BudgetLine.objects.select_related("grant", "account").order_by(
        "-grant__period_start", "grant__reference", "id"
    )
    return [_budget_line_info(line) for line in lines]


def budget_line_label(budget_line_id: int | None) -> str | None:
    """The words for one budget line (None when it does not exist, or is not given)."""
    info = budget_line_info(budget_line_id)
    return info.label if info is not None else None
