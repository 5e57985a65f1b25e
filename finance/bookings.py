"""Bookings in plain words: an expense ("uitgave") or income ("inkomst") as a volunteer types it.

The treasurer's booking is posted at once; another board member's waits as a draft. Above the
threshold in the group's decision rules, an expense must cite a valid decision whose amount
covers it together with everything already spent under that decision (direct expenses plus
expense claims: one budget).
"""

from datetime import date as Date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from backoffice.core.money import format_euro, positive_money
from backoffice.core.services import model_update
from finance.claims import selectors as claim_selectors
from finance.grants import services as grant_services
from finance.grants.models import BudgetLine, Commitment, Grant
from finance.ledger import postings
from finance.ledger.models import Account, JournalEntry
from finance.ledger.receipts import receipt_add
from finance.ledger.services import entry_book
from finance.roles import BOARD, require_role
from groups import facade as groups


@transaction.atomic
def expense_record(
    *,
    user,
    date: Date,
    amount: Decimal,
    category: Account,
    description: str,
    budget_line: BudgetLine | None = None,
    grant: Grant | None = None,
    paid_from: Account | None = None,
    commitment: Commitment | None = None,
    receipt_name: str = "",
    receipt_data: bytes | None = None,
    decision=None,
    period_exception: str = "",
) -> JournalEntry:
    """An expense in plain words; the treasurer's is booked at once, others' wait as drafts.

    Above the threshold in the group's decision rules, the expense must cite a valid decision
    whose amount covers it together with everything already spent under that decision. On a
    grant, the date must fall inside the grant's period, or `period_exception` says why not.
    """
    access = require_role(user, *BOARD, message=_("Alleen bestuursleden mogen uitgaven invoeren."))
    amount = positive_money(amount, field="amount")
    _check_spending_decision(amount=amount, decision=decision)
    if category.kind != Account.Kind.EXPENSE:
        raise ValidationError({"category": _("Kies een uitgavencategorie.")})
    paid_from = paid_from or Account.objects.get(role="bank")
    if not paid_from.is_cash:
        raise ValidationError({"paid_from": _("Kies de bank of de kas.")})
    spec = postings.expense(
        date=date,
        amount=amount,
        category=category,
        paid_from=paid_from,
        description=description,
        grant=grant,
        budget_line=budget_line,
        period_exception=period_exception,
    )
    entry = entry_book(spec=spec, user=user, post=access.is_treasurer, decision=decision)
    if commitment is not None:
        commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
        if not commitment.is_open:
            raise ValidationError({"commitment": _("Deze verplichting is al betaald.")})
        model_update(commitment, user, settled_entry=entry)
        grant_services.grant_figures_sync(grant_id=commitment.budget_line.grant_id)
    if receipt_data is not None:
        receipt_add(entry=entry, name=receipt_name, data=receipt_data, user=user)
    return entry


def _check_spending_decision(*, amount: Decimal, decision) -> None:
    limit = groups.spending_rule().decision_required_above
    if decision is None:
        if amount > limit:
            raise ValidationError(
                {
                    "decision": _(
                        "Een uitgave boven %(limit)s mag alleen met een besluit van de groep. "
                        "Kies het besluit dat deze uitgave toestaat."
                    )
                    % {"limit": format_euro(limit)}
                }
            )
        return
    # Lock the decision row so two payments cannot both fit into what is left of it.
    groups.decision_lock(decision.pk)
    try:
        groups.decision_for_spending(
            decision_id=decision.pk,
            amount=amount,
            already_spent=claim_selectors.spent_under_decision(decision),
        )
    except ValidationError as exc:
        raise ValidationError({"decision": exc.messages}) from exc


@transaction.atomic
def income_record(
    *,
    user,
    date: Date,
    amount: Decimal,
    category: Account,
    description: str,
    grant: Grant | None = None,
    received_in: Account | None = None,
    receipt_name: str = "",
    receipt_data: bytes | None = None,
) -> JournalEntry:
    access = require_role(user, *BOARD, message=_("Alleen bestuursleden mogen inkomsten invoeren."))
    amount = positive_money(amount, field="amount")
    if category.kind != Account.Kind.INCOME:
        raise ValidationError({"category": _("Kies een soort inkomsten.")})
    received_in = received_in or Account.objects.get(role="bank")
    if not received_in.is_cash:
        raise ValidationError({"received_in": _("Kies de bank of de kas.")})
    spec = postings.income(
        date=date,
        amount=amount,
        category=category,
        received_in=received_in,
        description=description,
        grant=grant,
    )
    entry = entry_book(spec=spec, user=user, post=access.is_treasurer)
    if receipt_data is not None:
        receipt_add(entry=entry, name=receipt_name, data=receipt_data, user=user)
    return entry
