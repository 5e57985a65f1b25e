"""Demo bank data: imports cleanly, mostly reconciled, a few lines by hand, claims in states."""

import datetime as dt
from decimal import Decimal

import time_machine

from finance import demo
from finance.bank import demo as bank_demo
from finance.bank.models import BankAccount, BankLine, Statement
from finance.claims.models import ExpenseClaim
from finance.ledger import chain as ledger_chain
from groups.decisions import services as decision_services

TODAY = dt.date(2026, 12, 2)


def test_demo_statement_and_claims(books, group_a, users):
    decision_services.rules_initialise(
        valid_from=dt.date(2025, 1, 1),
        quorum_percent=50,
        treasurer_alone_up_to=Decimal("250.00"),
        treasurer_and_chair_up_to=Decimal("1000.00"),
    )
    with time_machine.travel(dt.datetime(2026, 12, 2, 10, tzinfo=dt.UTC), tick=False):
        demo.load_for_group(group_a, users)
        bank_demo.load_for_group(group_a, users)
        counts = (
            BankAccount.objects.count(),
            BankLine.objects.count(),
            ExpenseClaim.objects.count(),
        )
        bank_demo.load_for_group(group_a, users)  # idempotent
    assert (
        BankAccount.objects.count(),
        BankLine.objects.count(),
        ExpenseClaim.objects.count(),
    ) == counts
    assert Statement.objects.count() == 1 and counts[1] > 40
    open_lines = BankLine.objects.filter(reconciled_at__isnull=True)
    assert sorted(open_lines.values_list("bank_reference", flat=True)) == [
        "HAND0001",
        "HAND0002",
        "HAND0003",
    ]
    assert sorted(ExpenseClaim.objects.values_list("status", flat=True)) == [
        "afgewezen",
        "betaald",
        "goedgekeurd",
        "ingediend",
    ]
    assert ledger_chain.verify_chain() is None
    # the lines left to match are recent, not a year old
    ages = [(TODAY - line.booking_date).days for line in open_lines]
    assert ages and all(0 < age <= 14 for age in ages), ages
    assert BankLine.objects.latest("booking_date").booking_date <= TODAY
