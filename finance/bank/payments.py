"""Payment files: approved expense claims paid from one of the group's bank accounts (pain.001).

A claim goes into one payment file only, ever; each claim exported gets its event. The claim
is marked paid later, when its bank line comes in and is matched (finance.bank.reconciliation).
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.services import model_update
from finance.bank.formats.sepa import Payment, PaymentFileError, build_credit_transfer
from finance.bank.models import BankAccount
from finance.claims import events
from finance.claims.models import ExpenseClaim
from finance.roles import current_access


def end_to_end_id(claim: ExpenseClaim) -> str:
    return f"DECLARATIE-D{claim.number}"


def payment_reference(claim: ExpenseClaim) -> str:
    return f"Declaratie D{claim.number} {claim.description}"[:140]


@transaction.atomic
def claims_export(
    *, user, claims: list[ExpenseClaim], bank_account: BankAccount, execution_date: dt.date
) -> bytes:
    """A pain.001 file paying the approved claims; each gets an 'in betaalbestand' event."""
    if not current_access(user).is_treasurer:
        raise PermissionDenied(_("Alleen de penningmeester maakt een betaalbestand."))
    locked = list(
        ExpenseClaim.objects.select_for_update()
        .filter(pk__in=[c.pk for c in claims])
        .order_by("pk")
    )
    if not locked:
        raise ValidationError(_("Kies minstens één goedgekeurde declaratie."))
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
            ],
            execution_date=execution_date,
        )
    except PaymentFileError as exc:
        raise ValidationError(exc.message_nl) from None
    now = timezone.now()
    for claim in locked:
        model_update(claim, user, validate_constraints=False, exported_at=now)
        events.claim_exported(claim=claim, actor=user, execution_date=execution_date)
    return data
