"""Every table of a group's books, by subdomain; Django loads the app's models from here.

Code imports models from their subdomain (`finance.ledger.models`, `finance.bank.models`, …);
this package only tells Django where they are. The app label stays `finance`, so the
migrations are unchanged.
"""

from finance.bank.models import (
    BankAccount,
    BankLine,
    BankLinePart,
    ImportJob,
    MatchEvent,
    PaymentOrder,
    Statement,
)
from finance.claims.models import ClaimEvent, ExpenseClaim
from finance.closing.models import AuditCheck, AuditSample, AuditSignoff, PeriodEvent, ReopenRequest
from finance.grants.models import BudgetLine, Commitment, Grant, Tranche
from finance.ledger.models import (
    Account,
    AccountDayTotal,
    ChainAnchor,
    FinancialYear,
    JournalEntry,
    JournalLine,
    LedgerState,
    Receipt,
    ReceiptNeed,
)

__all__ = [
    "Account",
    "AccountDayTotal",
    "AuditCheck",
    "AuditSample",
    "AuditSignoff",
    "BankAccount",
    "BankLine",
    "BankLinePart",
    "BudgetLine",
    "ChainAnchor",
    "ClaimEvent",
    "Commitment",
    "ExpenseClaim",
    "FinancialYear",
    "Grant",
    "ImportJob",
    "JournalEntry",
    "JournalLine",
    "LedgerState",
    "MatchEvent",
    "PaymentOrder",
    "PeriodEvent",
    "Receipt",
    "ReceiptNeed",
    "ReopenRequest",
    "Statement",
    "Tranche",
]
