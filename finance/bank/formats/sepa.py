"""SEPA credit transfer file (pain.001) for paying approved claims in one batch.

The treasurer uploads the file in the bank's business or batch-payment screen. We build it
with the installed ``sepaxml`` package, which takes amounts as integer cents and validates
the result against the pain.001.001.03 XSD (the version every Dutch bank accepts).

Everything that would make the bank reject the file — or worse, pay the wrong amount — is
checked here first with a Dutch message: valid IBANs (schwifty), amounts that are Decimals
above zero with at most two decimals, a remittance text of at most 140 characters and an
end-to-end id of at most 35. Names are transliterated to the SEPA character set and cut to
70 characters by ``sepaxml``, as the bank would do anyway.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from sepaxml import SepaTransfer
from sepaxml.validation import ValidationError
from text_unidecode import unidecode  # sepaxml's own dependency, used for its transliteration

SCHEMA = "pain.001.001.03"


class PaymentFileError(ValueError):
    """A payment that cannot go into the file; ``message_nl`` is shown to the treasurer."""

    def __init__(self, message_nl: str) -> None:
        super().__init__(message_nl)
        self.message_nl = message_nl


@dataclass(frozen=True, slots=True)
class Payment:
    """One transfer: ``amount`` in euros as a Decimal with at most two decimals, > 0."""

    name: str
    iban: str
    amount: Decimal
    description: str
    end_to_end_id: str


def _iban(raw: str, who: str) -> str:
    try:
        return IBAN(raw).compact
    except SchwiftyException:
        raise PaymentFileError(f"De IBAN ‘{raw}’ van {who} is ongeldig.") from None


def _cents(payment: Payment, index: int) -> int:
    amount = payment.amount
    if not isinstance(amount, Decimal):  # a float would already have lost cents
        raise PaymentFileError(
            f"Betaling {index} ({payment.name}): het bedrag moet een Decimal zijn."
        )
    if not amount.is_finite() or amount <= 0:
        raise PaymentFileError(
            f"Betaling {index} ({payment.name}): het bedrag moet groter dan nul zijn."
        )
    if amount != amount.quantize(Decimal("0.01")):
        raise PaymentFileError(
            f"Betaling {index} ({payment.name}): het bedrag {amount} heeft meer dan twee decimalen."
        )
    return int(amount * 100)


def build_credit_transfer(
    *,
    debtor_name: str,
    debtor_iban: str,
    debtor_bic: str | None = None,
    payments: Sequence[Payment],
    execution_date: dt.date,
) -> bytes:
    """A pain.001.001.03 batch paying ``payments`` from the group's account, as UTF-8 XML.

    Raises ``PaymentFileError`` for anything the bank would refuse; the result has been
    validated against the XSD by ``sepaxml``.
    """
    if not payments:
        raise PaymentFileError("Er zijn geen betalingen om in het bestand te zetten.")
    if not isinstance(execution_date, dt.date):
        raise PaymentFileError("De uitvoerdatum ontbreekt.")
    config = {
        "name": debtor_name,
        "IBAN": _iban(debtor_iban, "de groep"),
        "batch": True,
        "currency": "EUR",
    }
    if debtor_bic:
        try:
            config["BIC"] = str(BIC(debtor_bic))
        except SchwiftyException:
            raise PaymentFileError(f"De BIC ‘{debtor_bic}’ is ongeldig.") from None
    transfer = SepaTransfer(config, schema=SCHEMA, clean=True)
    for index, payment in enumerate(payments, start=1):
        if not payment.name.strip():
            raise PaymentFileError(f"Betaling {index}: de naam van de ontvanger ontbreekt.")
        # sepaxml transliterates ("€" -> "EUR") and then cuts at 140: check what the bank gets.
        if len(unidecode(payment.description)) > 140:
            raise PaymentFileError(
                f"Betaling {index} ({payment.name}): de omschrijving is langer dan 140 tekens."
            )
        if not 0 < len(payment.end_to_end_id) <= 35:
            raise PaymentFileError(
                f"Betaling {index} ({payment.name}): het betalingskenmerk moet 1 tot 35 tekens "
                "zijn."
            )
        transfer.add_payment(
            {
                "name": payment.name,
                "IBAN": _iban(payment.iban, payment.name),
                "amount": _cents(payment, index),
                "execution_date": execution_date,
                "description": payment.description,
                "endtoend_id": payment.end_to_end_id,
            }
        )
    try:
        return transfer.export(validate=True)
    except ValidationError as exc:
        raise PaymentFileError(
            "Het betaalbestand voldoet niet aan het SEPA-schema; controleer namen en "
            f"omschrijvingen op bijzondere tekens. ({exc.__cause__})"
        ) from exc
