"""Demo bank data per demo group: a bank account, a statement that imports cleanly, most of it
reconciled with the demo books, a few lines left to reconcile by hand, and claims in
different states (submitted, approved, paid, rejected).

Deterministic (seeded by the slug) and idempotent (skips a group that has a bank account).
Runs after finance.demo (register it after that module in backoffice/demo.py DEMO_MODULES).

`try_statement()` gives the bank's *next* statement for the group's demo account, not yet
imported, so a newcomer can try the import at once (`load_demo` writes it under var/demo/).
"""

import datetime as dt
import zlib
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from finance.bank import importing as bank_import
from finance.bank import payments, reconciliation
from finance.bank.formats import samples
from finance.bank.models import BankAccount
from finance.claims import services as claims
from finance.claims.models import ExpenseClaim
from finance.demo import demo_today, demo_years, receipt_png
from finance.ledger.models import Account, JournalEntry, JournalLine
from tenants import facade as tenants

# Lines nobody booked yet, left for the treasurer to match by hand: days after the last
# booking (finance.demo.BOOKED_UNTIL before today), so they are a few days old.
HAND = [
    (dt.timedelta(days=12), Decimal("-23.45"), "Albert Heijn 1234", "Boodschappen buurtavond"),
    (dt.timedelta(days=11), Decimal("50.00"), "J. de Vries", "Gift voor de buurttuin"),
    (dt.timedelta(days=9), Decimal("-2.10"), "ING", "Kosten extra betaalpas"),
]
# The paid claim's payment, and the days before today the claims were spent.
CLAIM_PAID = dt.timedelta(days=8)
CLAIM_DAYS = (
    dt.timedelta(days=30),
    dt.timedelta(days=28),
    dt.timedelta(days=26),
    dt.timedelta(days=25),
)


def _people(group):
    """The first person per role; for "lid" the first who holds no other role."""
    return {
        role: tenants.users_with_role(
            group=group, role=role, only=role == tenants.Role.MEMBER
        ).first()
        for role in tenants.Role.values
    }


def load_for_group(group, people, roster=None) -> None:
    if BankAccount.objects.exists():
        return
    roles = _people(group)
    treasurer = roles.get(tenants.Role.TREASURER)
    if treasurer is None or not Account.objects.filter(role="bank").exists():
        return
    with transaction.atomic():
        _load(group, roles, treasurer)


def _load(group, roles, treasurer) -> None:
    bank = Account.objects.get(role="bank")
    iban = samples.nl_iban("INGB", zlib.crc32(group.slug.encode()) % 9_000_000 + 1_000_000)
    account = bank_import.bank_account_create(
        user=treasurer, iban=iban, name="ING zakelijk", holder=group.name[:70], ledger_account=bank
    )
    today = demo_today()
    paid_claim = _claims(group, roles, treasurer, today)
    entries = list(
        JournalEntry.objects.filter(
            status=JournalEntry.Status.POSTED,
            lines__account=bank,
            date__year__in=demo_years(today),
            date__lte=today,
        )
        .exclude(kind=JournalEntry.Kind.REVERSAL)
        .exclude(reversed_by__isnull=False)
        .distinct()
        .order_by("date", "id")
    )
    nets = {
        r["entry_id"]: r["debit"] - r["credit"]
        for r in JournalLine.objects.filter(account=bank, entry__in=entries)
        .values("entry_id")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
        .order_by()
    }
    lines, by_ref = [], {}
    for n, entry in enumerate(entries, start=1):
        if not nets.get(entry.pk):
            continue
        ref = f"DEMO{group.pk:03d}{n:06d}"
        by_ref[ref] = entry
        lines.append(
            samples.SampleLine(
                entry.date, entry.date, nets[entry.pk], "Tegenpartij", "", entry.description, ref
            )
        )
    for m, (before, amount, name, text) in enumerate(HAND, start=1):
        day = today - before
        lines.append(samples.SampleLine(day, day, amount, name, "", text, f"HAND{m:04d}"))
    if paid_claim is not None:
        lines.append(
            samples.SampleLine(
                today - CLAIM_PAID,
                today - CLAIM_PAID,
                -paid_claim.amount,
                paid_claim.account_holder,
                paid_claim.iban,
                payments.payment_reference(paid_claim),
                "CLAIM0001",
            )
        )
    lines.sort(key=lambda x: x.booking_date)
    data = samples.camt053_document(lines, account_iban=iban, opening_balance=Decimal("0.00"))
    result = bank_import.import_statement(
        data=data, filename=f"ING-{today:%Y-%m}-afschrift.xml", user=treasurer
    )
    imported = {ln.bank_reference: ln for ln in result.statement.lines.all()}
    items = {
        i.pk: i
        for i in reconciliation.open_items(bank_account=account)
        if i.kind == reconciliation.ENTRY
    }
    pairs = [(imported[ref], items[e.pk]) for ref, e in by_ref.items() if e.pk in items]
    reconciliation.apply_matches(pairs=pairs, user=treasurer, note="demo")
    reconciliation.auto_match(user=treasurer, bank_account=account)  # the paid claim


def _claims(group, roles, treasurer, today):
    member = roles.get(tenants.Role.MEMBER) or roles.get(tenants.Role.SECRETARY)
    chair = roles.get(tenants.Role.CHAIR)
    if member is None or member == treasurer:
        return None
    base = f"{group.slug} declaratie"
    try:

        def submit(n, amount, text, day):
            return claims.claim_submit(
                user=member,
                amount=Decimal(amount),
                spent_on=day,
                description=text,
                iban=samples.nl_iban(
                    "RABO", 100_000 + zlib.crc32(member.username.encode()) % 899_999
                ),
                account_holder=(member.get_full_name() or member.username)[:70],
                receipt_name=f"bon-{n}.png",
                receipt_data=receipt_png(f"{base} {n} {text}", (200, 180, 40 * n % 255)),
            )

        first, second, third, fourth = (today - before for before in CLAIM_DAYS)
        submit(1, "18.40", "Koffie en koekjes bewonersavond", first)
        approved = submit(2, "32.95", "Verf voor de plantenbakken", second)
        claims.claim_approve(
            claim=approved, user=treasurer, category=Account.objects.get(code="4100")
        )
        paid = submit(3, "12.60", "Printen flyers buurtfeest", third)
        claims.claim_approve(claim=paid, user=treasurer, category=Account.objects.get(code="4200"))
        wrong = submit(4, "7.50", "Parkeren", fourth)
        claims.claim_reject(
            claim=wrong,
            user=chair or treasurer,
            reason="Parkeerkosten vergoeden we niet (huishoudelijk reglement).",
        )
    except ValidationError:  # a group without spending rules: every claim needs a decision
        return None
    return ExpenseClaim.objects.get(pk=paid.pk)


def try_statement(group) -> tuple[str, bytes] | None:
    """(file name, CAMT.053 bytes) of the statement that follows the imported ones.

    It is for the group's own demo account, opens with the balance the last statement closed
    with, and holds a few new lines: the payment of the claim that waits for payment (so
    matching marks it paid), hall rent, a contribution and bank costs. None if the group has
    no demo bank account.
    """
    account = BankAccount.objects.order_by("pk").first()
    last = account.statements.order_by("-closing_date", "-pk").first() if account else None
    if last is None or last.closing_date is None:
        return None
    opening = last.closing_balance or Decimal("0.00")
    day = last.closing_date + dt.timedelta(days=3)
    lines = []
    waiting = (
        ExpenseClaim.objects.filter(status=ExpenseClaim.Status.APPROVED).order_by("number").first()
    )
    if waiting is not None:
        lines.append(
            samples.SampleLine(
                day,
                day,
                -waiting.amount,
                waiting.account_holder,
                waiting.iban,
                payments.payment_reference(waiting),
                "TRY0001",
            )
        )
    later = day + dt.timedelta(days=4)
    lines += [
        samples.SampleLine(
            later, later, Decimal("-85.00"), "Stichting Buurthuis", "", "Huur zaal", "TRY0002"
        ),
        samples.SampleLine(
            later, later, Decimal("25.00"), "A. Bakker", "", "Bijdrage buurtfeest", "TRY0003"
        ),
        samples.SampleLine(
            later, later, Decimal("-2.10"), "ING", "", "Kosten betaalrekening", "TRY0004"
        ),
    ]
    data = samples.camt053_document(lines, account_iban=account.iban, opening_balance=opening)
    return f"{group.slug}-bankafschrift-{day:%Y-%m}.xml", data
