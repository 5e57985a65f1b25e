"""What other apps may ask of a group's books. Nothing outside finance imports more than this.

Functions run in the current group's schema and return frozen dataclasses or plain values.
"""

from dataclasses import dataclass

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
