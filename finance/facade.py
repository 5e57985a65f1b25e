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
