"""Writes on grants: the grant itself, its tranches, budget lines and commitments."""

from datetime import date as Date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from backoffice.core.money import positive_money, to_money
from backoffice.core.services import model_update
from finance.grants.models import BudgetLine, Commitment, Grant, Tranche
from finance.ledger import facts as ledger_facts
from finance.ledger import postings
from finance.ledger import services as ledger_services
from finance.ledger.models import Account, JournalEntry
from finance.roles import (
    require_treasurer,
)
from tenants import facade as tenants


@transaction.atomic
def grant_create(
    *,
    user,
    funder: str,
    reference: str,
    title: str,
    amount: Decimal,
    period_start: Date,
    period_end: Date,
    conditions: str = "",
) -> Grant:
    require_treasurer(user)
    amount = positive_money(amount, field="amount")
    if period_end < period_start:
        raise ValidationError({"period_end": _("Het einde ligt vóór het begin.")})
    grant = model_update(
        Grant(),
        user,
        funder=funder,
        reference=reference.strip(),
        title=title,
        amount=amount,
        period_start=period_start,
        period_end=period_end,
        conditions=conditions,
    )
    ledger_facts.refresh(ledger_facts.BUDGET)
    grant_figures_sync(grant_id=grant.pk)
    return grant


# Posted spending on a grant (see finance/ledger/sql/grant_period.0016.sql, which refuses the
# same at the database): its first entry outside [start, end] without a recorded exception.
_SPENDING_OUTSIDE = """
SELECT e.id, e.date FROM finance_journalline l
JOIN finance_journalentry e ON e.id = l.entry_id
JOIN finance_account a ON a.id = l.account_id
LEFT JOIN finance_expenseclaim c ON e.origin_kind = 'declaratie' AND c.id = e.origin_id
WHERE l.grant_id = %s AND e.status = 'geboekt' AND e.kind <> 'correctie'
  AND e.period_exception = '' AND l.debit > 0 AND a.kind = 'lasten'
  AND coalesce(c.spent_on, e.date) NOT BETWEEN %s AND %s
ORDER BY e.date, e.id LIMIT 1
"""


@transaction.atomic
def grant_update(*, grant: Grant, user, **fields) -> Grant:
    require_treasurer(user)
    if "amount" in fields:
        fields["amount"] = positive_money(fields["amount"], field="amount")
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    start = fields.get("period_start", grant.period_start)
    end = fields.get("period_end", grant.period_end)
    if (start, end) != (grant.period_start, grant.period_end) and start <= end:
        with connection.cursor() as cursor:
            cursor.execute(_SPENDING_OUTSIDE, [grant.pk, start, end])
            outside = cursor.fetchone()
        if outside is not None:
            raise ValidationError(
                {
                    "period_end" if outside[1] > end else "period_start": _(
                        "Er is al een uitgave van %(day)s op deze subsidie geboekt; die zou "
                        "dan buiten de periode vallen."
                    )
                    % {"day": outside[1].strftime("%d-%m-%Y")}
                }
            )
    grant = model_update(grant, user, **fields)
    ledger_facts.refresh(ledger_facts.BUDGET)
    grant_figures_sync(grant_id=grant.pk)
    return grant


@transaction.atomic
def tranche_create(*, grant: Grant, user, expected_on: Date, amount: Decimal) -> Tranche:
    require_treasurer(user)
    amount = positive_money(amount, field="amount")
    return model_update(Tranche(grant=grant), user, expected_on=expected_on, amount=amount)


@transaction.atomic
def tranche_receive(
    *, tranche: Tranche, user, date: Date, into: Account | None = None
) -> JournalEntry:
    """Book a tranche that came in: bank up, grant income up, earmarked to the grant."""
    require_treasurer(user)
    tranche = Tranche.objects.select_for_update().select_related("grant").get(pk=tranche.pk)
    if tranche.received_entry_id:
        raise ValidationError(_("Deze termijn is al als ontvangen geboekt."))
    into = into or Account.objects.get(role="bank")
    spec = postings.tranche_received(
        tranche=tranche,
        date=date,
        into=into,
        income_account=Account.objects.get(role="grant_income"),
    )
    entry = ledger_services.entry_book(spec=spec, user=user, post=True)
    model_update(tranche, user, received_entry=entry)
    return entry


@transaction.atomic
def budget_line_create(
    *, grant: Grant, user, account: Account, description: str, amount: Decimal
) -> BudgetLine:
    require_treasurer(user)
    if account.kind != Account.Kind.EXPENSE:
        raise ValidationError({"account": _("Kies een uitgavencategorie.")})
    amount = to_money(amount, field="amount")
    if amount < 0:
        raise ValidationError({"amount": _("Een begroot bedrag kan niet negatief zijn.")})
    return model_update(
        BudgetLine(grant=grant), user, account=account, description=description, amount=amount
    )


@transaction.atomic
def budget_line_update(*, budget_line: BudgetLine, user, **fields) -> BudgetLine:
    require_treasurer(user)
    if "amount" in fields:
        fields["amount"] = to_money(fields["amount"], field="amount")
        if fields["amount"] < 0:
            raise ValidationError({"amount": _("Een begroot bedrag kan niet negatief zijn.")})
    return model_update(
        BudgetLine.objects.select_for_update().get(pk=budget_line.pk), user, **fields
    )


@transaction.atomic
def commitment_create(
    *, budget_line: BudgetLine, user, description: str, amount: Decimal, approved_on: Date
) -> Commitment:
    require_treasurer(user)
    amount = positive_money(amount, field="amount")
    commitment = model_update(
        Commitment(budget_line=budget_line, created_by_id=user.pk),
        user,
        description=description,
        amount=amount,
        approved_on=approved_on,
    )
    grant_figures_sync(grant_id=budget_line.grant_id)
    return commitment


@transaction.atomic
def commitment_cancel(*, commitment: Commitment, user) -> Commitment:
    require_treasurer(user)
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if not commitment.is_open:
        raise ValidationError(_("Deze verplichting is al betaald of vervallen."))
    commitment = model_update(commitment, user, cancelled=True)
    grant_figures_sync(grant_id=commitment.budget_line.grant_id)
    return commitment


def grant_facts(grant: Grant, committed) -> "tenants.GrantFacts":
    return tenants.GrantFacts(
        grant_id=grant.pk,
        reference=grant.reference,
        funder=grant.funder,
        period_start=grant.period_start,
        period_end=grant.period_end,
        awarded=grant.amount,
        committed=committed or Decimal("0.00"),
    )


def open_commitments_of(grant_id: int) -> Decimal:
    total = Commitment.objects.filter(
        budget_line__grant_id=grant_id, settled_entry__isnull=True, cancelled=False
    ).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0.00")


@transaction.atomic
def grant_figures_sync(*, grant_id: int) -> None:
    """Hand a grant's awarded amount and open commitments to the registry's figures, under the
    grant's row lock so two commitment changes of one grant cannot overwrite each other."""
    grant = Grant.objects.select_for_update().get(pk=grant_id)
    tenants.grant_figure_set(
        group_id=tenants.current_group().pk,
        facts=grant_facts(grant, open_commitments_of(grant_id)),
    )
