"""The money of resident initiatives in the group's books (called through finance.facade).

An award is a commitment on the round's budget line, made under the group's numbered
decision; an advance is an expense on that line booked through the ledger's posting module
(origin `initiatief_voorschot`, the payout's id), and an unspent advance that comes back is
booked the other way (origin `initiatief_terug`). A payout against accepted receipts is
booked like an advance (origin `initiatief_bonnen`). The decision is cited on the booking, so
the spending-authority rule of the house rules holds for initiatives like for any expense.

A payout that the treasurer pays by bank transfer becomes a `PaymentOrder`: it goes into the
same SEPA payment file as approved expense claims (`finance.bank.payments`).
"""

from datetime import date as Date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from backoffice.core.iban import normalise_iban
from backoffice.core.money import positive_money
from backoffice.core.services import model_update
from finance.bank.models import BankAccount, PaymentOrder
from finance.bookings import _check_spending_decision
from finance.grants.models import BudgetLine, Commitment
from finance.ledger import postings
from finance.ledger.models import Account, JournalEntry
from finance.ledger.services import entry_book
from finance.roles import BOARD, require_role, require_treasurer
from groups import facade as groups


def _budget_line(budget_line_id: int) -> BudgetLine:
    line = BudgetLine.objects.select_related("account", "grant").filter(pk=budget_line_id).first()
    if line is None:
        raise ValidationError(_("Deze begrotingsregel bestaat niet (meer)."))
    return line


@transaction.atomic
def award_commit(
    *, user, budget_line_id: int, amount: Decimal, description: str, approved_on: Date
) -> Commitment:
    """The awarded amount promised on the budget line (a board member records the decision)."""
    require_role(user, *BOARD, message=_("Alleen bestuursleden leggen een toekenning vast."))
    amount = positive_money(amount, field="amount")
    line = BudgetLine.objects.select_for_update().get(pk=_budget_line(budget_line_id).pk)
    return model_update(
        Commitment(budget_line=line, created_by_id=user.pk),
        user,
        description=description[:160],
        amount=amount,
        approved_on=approved_on,
    )


@transaction.atomic
def award_commitment_end(*, user, commitment_id: int, entry_id: int | None) -> None:
    """When an initiative is closed: its commitment settled by its last payout, or cancelled."""
    require_role(user, *BOARD, message=_("Alleen bestuursleden ronden een initiatief af."))
    commitment = Commitment.objects.select_for_update().get(pk=commitment_id)
    if not commitment.is_open:
        return
    if entry_id is None:
        model_update(commitment, user, cancelled=True)
    else:
        model_update(commitment, user, settled_entry=JournalEntry.objects.get(pk=entry_id))


@transaction.atomic
def advance_pay(
    *,
    user,
    payout_id: int,
    budget_line_id: int,
    amount: Decimal,
    date: Date,
    description: str,
    decision_id: int | None,
    paid_before: Decimal,
    against_receipts: bool = False,
) -> JournalEntry:
    require_treasurer(user)
    amount = positive_money(amount, field="amount")
    decision = None
    if decision_id is not None:
        decision = groups.decision_for_spending(
            decision_id=decision_id, amount=amount, already_spent=paid_before
        )
    _check_spending_decision(amount=amount, decision=decision)
    posting = postings.initiative_receipts_paid if against_receipts else postings.initiative_advance
    spec = posting(
        payout_id=payout_id,
        date=date,
        amount=amount,
        budget_line=_budget_line(budget_line_id),
        paid_from=Account.objects.get(role="bank"),
        description=description,
    )
    return entry_book(spec=spec, user=user, post=True, decision=decision)


@transaction.atomic
def advance_return(
    *, user, payout_id: int, budget_line_id: int, amount: Decimal, date: Date, description: str
) -> JournalEntry:
    require_treasurer(user)
    amount = positive_money(amount, field="amount")
    spec = postings.initiative_advance_returned(
        payout_id=payout_id,
        date=date,
        amount=amount,
        budget_line=_budget_line(budget_line_id),
        received_in=Account.objects.get(role="bank"),
        description=description,
    )
    return entry_book(spec=spec, user=user, post=True)


@transaction.atomic
def payment_order_add(
    *,
    user,
    entry_id: int,
    origin_kind: str,
    origin_id: int,
    name: str,
    iban: str,
    amount: Decimal,
    description: str,
    end_to_end_id: str,
) -> PaymentOrder:
    """A booked payout that still has to be transferred: it waits for the payment file."""
    require_treasurer(user)
    if not name.strip():
        raise ValidationError({"account_holder": _("Vul de naam in waarop de rekening staat.")})
    return model_update(
        PaymentOrder(
            origin_kind=origin_kind,
            origin_id=origin_id,
            entry=JournalEntry.objects.get(pk=entry_id),
            created_by_id=user.pk,
        ),
        user,
        name=name.strip()[:70],
        iban=normalise_iban(iban),
        amount=positive_money(amount, field="amount"),
        description=description[:140],
        end_to_end_id=end_to_end_id[:35],
    )


def receiving_account() -> BankAccount | None:
    """The account money comes back to: the group's first active bank account."""
    return BankAccount.objects.filter(is_active=True).order_by("id").first()
