"""Payment files: approved expense claims, and booked payouts waiting for their transfer
(`PaymentOrder`: an initiative's advance or payout against receipts), paid from one of the
group's bank accounts in one SEPA batch (pain.001).

A claim or an order goes into one payment file only, ever; each claim exported gets its event,
each order its history row. The claim is marked paid later, when its bank line comes in and is
matched (finance.bank.reconciliation); an order's booking is already made, and its bank line is
linked to that booking.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.services import model_update
from finance.bank.formats.sepa import Payment, PaymentFileError, build_credit_transfer
from finance.bank.models import BankAccount, PaymentOrder
from finance.claims import events
from finance.claims.models import ExpenseClaim
from finance.roles import current_access


def end_to_end_id(claim: ExpenseClaim) -> str:
    return f"DECLARATIE-D{claim.number}"


def payment_reference(claim: ExpenseClaim) -> str:
    return f"Declaratie D{claim.number} {claim.description}"[:140]


@transaction.atomic
def orders_to_pay():
    """Booked payouts whose transfer is not in a payment file yet."""
    return PaymentOrder.objects.filter(exported_at__isnull=True).order_by("created_at", "id")


@transaction.atomic
def claims_export(
    *,
    user,
    claims: list[ExpenseClaim],
    bank_account: BankAccount,
    execution_date: dt.date,
    orders: list[PaymentOrder] = (),
) -> bytes:
    """A pain.001 file paying the approved claims and the chosen payment orders; each claim
    gets an 'in betaalbestand' event, each order its export time (with history)."""
    if not current_access(user).is_treasurer:
        raise PermissionDenied(_("Alleen de penningmeester maakt een betaalbestand."))
    locked = list(
        ExpenseClaim.objects.select_for_update()
        .filter(pk__in=[c.pk for c in claims])
        .order_by("pk")
    )
    locked_orders = list(
        PaymentOrder.objects.select_for_update()
        .filter(pk__in=[o.pk for o in orders])
        .order_by("pk")
    )
    if not locked and not locked_orders:
        raise ValidationError(_("Kies minstens één betaling: een declaratie of een uitbetaling."))
    for order in locked_orders:
        if order.exported_at is not None:
            raise ValidationError(
                _(
                    "Betaling %(ref)s staat al in een betaalbestand (%(when)s). "
                    "Zo wordt niemand twee keer betaald."
                )
                % {
                    "ref": order.end_to_end_id,
                    "when": timezone.localtime(order.exported_at).strftime("%d-%m-%Y"),
                }
            )
    for claim in locked:
        if claim.status != ExpenseClaim.Status.APPROVED:
            raise ValidationError(
                _("Declaratie D%(n)s is niet goedgekeurd of al betaald.") % {"n": claim.number}
            )
        if claim.exported_at is not None:
            raise ValidationError(
                _(
                    "Declaratie D%(n)s staat al in een betaalbestand (%(when)s). "
                    "Zo wordt niemand twee keer betaald."
                )
                % {
                    "n": claim.number,
                    "when": timezone.localtime(claim.exported_at).strftime("%d-%m-%Y"),
                }
            )
    try:
        data = build_credit_transfer(
            debtor_name=bank_account.holder,
            debtor_iban=bank_account.iban,
            debtor_bic=bank_account.bic or None,
            payments=[
                Payment(
                    name=c.account_holder,
                    iban=c.iban,
                    amount=c.amount,
                    description=payment_reference(c),
                    end_to_end_id=end_to_end_id(c),
                )
                for c in locked
            ]
            + [
                Payment(
                    name=o.name,
                    iban=o.iban,
                    amount=o.amount,
                    description=o.description,
                    end_to_end_id=o.end_to_end_id,
                )
                for o in locked_orders
            ],
            execution_date=execution_date,
        )
    except PaymentFileError as exc:
        raise ValidationError(exc.message_nl) from None
    now = timezone.now()
    for claim in locked:
        model_update(claim, user, validate_constraints=False, exported_at=now)
        events.claim_exported(claim=claim, actor=user, execution_date=execution_date)
    for order in locked_orders:
        model_update(order, user, exported_at=now)
    return data
