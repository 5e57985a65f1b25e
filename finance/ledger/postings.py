"""The one place where a business event becomes journal lines.

Every booking the product makes starts here: an expense or income typed by the treasurer, a
grant tranche that came in, an expense claim paid from the bank, a bank line booked to a
category, the reversal of an entry — and, as they land, initiative advances, pooled vouchers
and returned advances. Each function is pure: it reads nothing and writes nothing, it returns
the `EntryInput` that `finance.ledger.services.entry_book` / `entries_create` validate, number,
chain and post. Each entry records its origin (what kind of event, which row), so a booking
can always be followed back to where it came from.

One function here does write: `figures_record`, called by the posting service in the posting
transaction, hands the posted lines' month totals to the registry's per-group figures
(`tenants.facade.month_figures_add`), so reports over all groups read one public table.

Sign conventions: money going out credits the bank (or cash) account and debits the
category; money coming in debits the bank and credits the category. Grants and budget lines
are earmarked on the category side only, so a grant's spending is the sum of its lines on
expense accounts.
"""

from dataclasses import dataclass, field
from datetime import date as Date
from decimal import Decimal

from django.utils.translation import gettext as _

from backoffice.core.money import ZERO
from finance.ledger.models import Account, JournalEntry
from tenants import facade as tenants


@dataclass(frozen=True)
class LineInput:
    """One side of a booking: a debit or a credit on one account, optionally earmarked."""

    account: Account
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    description: str = ""
    grant: object | None = None  # finance.grants.models.Grant
    budget_line: object | None = None  # finance.grants.models.BudgetLine


@dataclass(frozen=True)
class Origin:
    """Where a booking came from: the kind of event and the id of its row (if any)."""

    kind: str
    id: int | None = None


@dataclass(frozen=True)
class EntryInput:
    """A booking before it is written: what `entry_book` and `entries_create` take."""

    date: Date
    description: str
    lines: list[LineInput]
    kind: str = JournalEntry.Kind.JOURNAL
    origin: Origin | None = None
    reverses: JournalEntry | None = field(default=None, compare=False)
    # When the money was spent, if not on the booking's date (a claim is paid later): the
    # date a grant's period is checked against.
    spent_on: Date | None = None
    # Why this spending is earmarked to a grant outside the grant's period (recorded on the
    # entry, in its fingerprint); empty means the period is enforced.
    period_exception: str = ""


# Origin kinds, stored on JournalEntry.origin_kind.
MANUAL = "handmatig"
EXPENSE = "uitgave"
INCOME = "inkomst"
TRANCHE = "termijn"
CLAIM = "declaratie"
BANK_LINE = "bankregel"
REVERSAL = "correctie"
INITIATIVE_ADVANCE = "initiatief_voorschot"
INITIATIVE_RETURN = "initiatief_terug"
INITIATIVE_RECEIPTS = "initiatief_bonnen"
INITIATIVE_KINDS = (INITIATIVE_ADVANCE, INITIATIVE_RECEIPTS, INITIATIVE_RETURN)


def journal(*, date: Date, description: str, lines: list[LineInput]) -> EntryInput:
    """A memorial entry typed line by line by the treasurer."""
    return EntryInput(date=date, description=description, lines=lines, origin=Origin(MANUAL))


def expense(
    *,
    date: Date,
    amount: Decimal,
    category: Account,
    paid_from: Account,
    description: str,
    grant=None,
    budget_line=None,
    period_exception: str = "",
) -> EntryInput:
    """Money spent: the category up (earmarked to a grant or budget line), the bank down."""
    if budget_line is not None:
        grant = budget_line.grant
    return EntryInput(
        date=date,
        description=description,
        kind=JournalEntry.Kind.EXPENSE,
        origin=Origin(EXPENSE),
        period_exception=period_exception,
        lines=[
            LineInput(
                account=category,
                debit=amount,
                grant=grant,
                budget_line=budget_line,
                description=description,
            ),
            LineInput(account=paid_from, credit=amount, description=description),
        ],
    )


def income(
    *,
    date: Date,
    amount: Decimal,
    category: Account,
    received_in: Account,
    description: str,
    grant=None,
) -> EntryInput:
    """Money received: the bank up, the income category up (earmarked to a grant)."""
    return EntryInput(
        date=date,
        description=description,
        kind=JournalEntry.Kind.INCOME,
        origin=Origin(INCOME),
        lines=[
            LineInput(account=received_in, debit=amount, description=description),
            LineInput(account=category, credit=amount, grant=grant, description=description),
        ],
    )


def tranche_received(*, tranche, date: Date, into: Account, income_account: Account) -> EntryInput:
    """A grant's tranche came in: the bank up, grant income up, both earmarked to the grant."""
    grant = tranche.grant
    description = _("Ontvangen termijn %(ref)s") % {"ref": grant.reference}
    return EntryInput(
        date=date,
        description=description[:200],
        kind=JournalEntry.Kind.INCOME,
        origin=Origin(TRANCHE, tranche.pk),
        lines=[
            LineInput(account=into, debit=tranche.amount, grant=grant),
            LineInput(account=income_account, credit=tranche.amount, grant=grant),
        ],
    )


def claim_paid(*, claim, date: Date, paid_from: Account) -> EntryInput:
    """An approved expense claim paid back to the claimant from the bank; the grant's period
    is checked against the day the money was spent, not the day it was paid back."""
    description = _("Declaratie D%(n)s: %(d)s (%(who)s)") % {
        "n": claim.number,
        "d": claim.description,
        "who": claim.claimant_name,
    }
    return EntryInput(
        date=date,
        description=description[:200],
        kind=JournalEntry.Kind.EXPENSE,
        origin=Origin(CLAIM, claim.pk),
        spent_on=claim.spent_on,
        lines=[
            LineInput(
                account=claim.category,
                debit=claim.amount,
                budget_line=claim.budget_line,
                grant=claim.budget_line.grant if claim.budget_line_id else None,
                description=claim.description,
            ),
            LineInput(account=paid_from, credit=claim.amount, description=description[:200]),
        ],
    )


def bank_line_booked(
    *,
    line,
    bank: Account,
    category: Account,
    description: str,
    grant=None,
    budget_line=None,
) -> EntryInput:
    """A bank line booked straight to a category: out debits it, in credits it."""
    if budget_line is not None:
        grant = budget_line.grant
    amount = abs(line.amount)
    outgoing = line.amount < 0
    other = LineInput(
        account=category,
        grant=grant,
        budget_line=budget_line,
        description=description,
        **({"debit": amount} if outgoing else {"credit": amount}),
    )
    own = LineInput(
        account=bank,
        description=description,
        **({"credit": amount} if outgoing else {"debit": amount}),
    )
    return EntryInput(
        date=line.booking_date,
        description=description,
        kind=JournalEntry.Kind.EXPENSE if outgoing else JournalEntry.Kind.INCOME,
        origin=Origin(BANK_LINE, line.pk),
        lines=[other, own] if outgoing else [own, other],
    )


def reversal(*, entry: JournalEntry, date: Date, reason: str = "") -> EntryInput:
    """The mirror image of a posted entry: every debit becomes a credit and back."""
    description = _("Correctie van %(n)s: %(d)s") % {
        "n": entry.display_number,
        "d": entry.description,
    }
    if reason.strip():
        description = f"{description} ({reason.strip()})"
    return EntryInput(
        date=date,
        description=description[:200],
        kind=JournalEntry.Kind.REVERSAL,
        origin=Origin(REVERSAL, entry.pk),
        reverses=entry,
        lines=[
            LineInput(
                account=line.account,
                debit=line.credit,
                credit=line.debit,
                description=line.description,
                grant=line.grant,
                budget_line=line.budget_line,
            )
            for line in entry.lines.select_related("account", "grant", "budget_line")
        ],
    )


def initiative_advance(
    *,
    payout_id: int,
    date: Date,
    amount: Decimal,
    budget_line,
    paid_from: Account,
    description: str,
) -> EntryInput:
    """An advance paid to a resident initiative: the round's budget line spent, the bank down.

    The grant pays for the initiative once it is handed over; what is not spent comes back
    with `initiative_advance_returned`, which lowers the same budget line again.
    """
    return EntryInput(
        date=date,
        description=description[:200],
        kind=JournalEntry.Kind.EXPENSE,
        origin=Origin(INITIATIVE_ADVANCE, payout_id),
        lines=[
            LineInput(
                account=budget_line.account,
                debit=amount,
                grant=budget_line.grant,
                budget_line=budget_line,
                description=description[:200],
            ),
            LineInput(account=paid_from, credit=amount, description=description[:200]),
        ],
    )


def initiative_receipts_paid(
    *,
    payout_id: int,
    date: Date,
    amount: Decimal,
    budget_line,
    paid_from: Account,
    description: str,
) -> EntryInput:
    """The initiator paid out of pocket and is paid back against accepted receipts: booked
    like an advance (the round's budget line spent, the bank down), with its own origin."""
    spec = initiative_advance(
        payout_id=payout_id,
        date=date,
        amount=amount,
        budget_line=budget_line,
        paid_from=paid_from,
        description=description,
    )
    return EntryInput(
        date=spec.date,
        description=spec.description,
        kind=spec.kind,
        origin=Origin(INITIATIVE_RECEIPTS, payout_id),
        lines=spec.lines,
    )


def initiative_advance_returned(
    *,
    payout_id: int,
    date: Date,
    amount: Decimal,
    budget_line,
    received_in: Account,
    description: str,
) -> EntryInput:
    """The unspent part of an advance came back: the bank up, the budget line's spending down."""
    return EntryInput(
        date=date,
        description=description[:200],
        kind=JournalEntry.Kind.INCOME,
        origin=Origin(INITIATIVE_RETURN, payout_id),
        lines=[
            LineInput(account=received_in, debit=amount, description=description[:200]),
            LineInput(
                account=budget_line.account,
                credit=amount,
                grant=budget_line.grant,
                budget_line=budget_line,
                description=description[:200],
            ),
        ],
    )


def figure_deltas(rows: list[dict], accounts: dict[str, tuple[str, str]]) -> list:
    """Posted line rows (entry date, account code, debit, credit, grant id) added up per
    month, account and grant; `accounts` maps a code to its (kind, RGS code)."""
    totals: dict[tuple, list] = {}
    for row in rows:
        month = row["date"].replace(day=1)
        key = (month, row["account__code"], row["grant_id"])
        total = totals.setdefault(key, [ZERO, ZERO, 0])
        total[0] += row["debit"]
        total[1] += row["credit"]
        total[2] += 1
    return [
        tenants.MonthDelta(
            month=month,
            account_code=code,
            account_kind=accounts[code][0],
            rgs_code=accounts[code][1],
            grant_id=grant_id,
            debit=debit,
            credit=credit,
            lines=lines,
        )
        for (month, code, grant_id), (debit, credit, lines) in sorted(
            totals.items(), key=lambda item: (item[0][0], item[0][1], item[0][2] or 0)
        )
    ]


def figures_record(*, entries: list[JournalEntry], lines_by_entry: dict[int, list[dict]]) -> None:
    """Add freshly posted entries to the group's month figures (same transaction)."""
    rows = [
        {**row, "date": entry.date} for entry in entries for row in lines_by_entry.get(entry.pk, [])
    ]
    if not rows:
        return
    codes = {row["account__code"] for row in rows}
    accounts = {
        code: (kind, rgs)
        for code, kind, rgs in Account.objects.filter(code__in=codes).values_list(
            "code", "kind", "rgs_code"
        )
    }
    tenants.month_figures_add(
        group_id=tenants.current_group().pk, deltas=figure_deltas(rows, accounts)
    )
