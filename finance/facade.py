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


@dataclass(frozen=True)
class BudgetLineOption:
    """A budget line as a person picks it from a list (a decision about money names one)."""

    id: int
    label: str


def budget_line_options() -> list[BudgetLineOption]:
    """Every budget line of the group: "grant reference — description (category)"."""
    lines = BudgetLine.objects.select_related("grant", "account").order_by(
        "-grant__period_start", "grant__reference", "id"
    )
    return [
        BudgetLineOption(
            id=line.pk,
            label=f"{line.grant.reference} — {line.description} ({line.account.name})",
        )
        for line in lines
    ]


def budget_line_label(budget_line_id: int | None) -> str | None:
    """The words for one budget line (None when it does not exist, or is not given)."""
    if budget_line_id is None:
        return None
    return next((o.label for o in budget_line_options() if o.id == budget_line_id), None)
