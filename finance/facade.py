"""What other apps may ask of a group's books. Nothing outside finance imports more than this.

Functions run in the current group's schema and return frozen dataclasses or plain values.
"""

from dataclasses import dataclass

from finance.bank.models import BankAccount
from finance.grants.models import BudgetLine


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


def group_facts() -> dict:
    """Every fact the books keep in the registry's row (tenants/facts.py), read afresh."""
    from finance.bank import facts as bank_facts
    from finance.claims import facts as claim_facts
    from finance.ledger import facts as ledger_facts

    return {**ledger_facts.all_facts(), **bank_facts.bank(), **claim_facts.claims()}
